"""The fair-flexibility register in aggregate: grant rates by type, team and gender.

Input is a list of decided requests (:class:`Request`: type, team, gender, granted or
not); output is what a team, the works council and HR may see (:class:`RegisterFigures`).
Every viewer gets the same suppressed figures: the register is a tally of individual
decisions, so even HR sees no request on its own (docs/dialogue.md).

Disclosure. Each breakdown is a table ``group × outcome`` (granted, refused) shown with its
margins: the count per group, the count per outcome and the total. The rule of
:mod:`koers.stats.disclosure` is applied to the table *with* its margins, so that no
hidden cell follows from a margin:

1. every entry (cell or margin) with 0 < n < k is hidden;
2. every line (a row with its row total, a column with its column total, the margin row
   with the grand total, the margin column with the grand total) with exactly one hidden
   entry gets a second one, its smallest other non-empty entry; repeated until no line
   has exactly one (Hundepool et al. 2012, *Statistical Disclosure Control*, §5.4).

The three tables share the outcome margin (granted, refused, total). It is decided once,
from the outcome counts alone, and fixed before each table is suppressed, so a margin is
hidden in all three tables or in none and one table cannot reveal what another hides.
A grant rate is shown only when both cells of its row are shown.

Women versus men. The comparison is made only when both groups have at least k requests
and all four cells of the gender table are shown (no cell 0 < n < k); the statement "a
difference in grant rates" is made only when Fisher's exact test (two-sided) gives
p < ``alpha`` (Fisher 1935; ``scipy.stats.fisher_exact``). Its behaviour is checked by a
seeded simulation in ``tests/stats/test_flexibility.py``: with no difference the statement
is made in at most about ``alpha`` of the registers, a planted difference is found, and
small groups are withheld.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from koers.stats.disclosure import check_k, suppress_breakdown, suppress_with_margins
from koers.stats.release import ReleasedFamily

KINDS = ("hours", "place", "schedule")
GENDERS = ("female", "male", "other")
OUTCOMES = ("granted", "refused")
ALPHA = 0.05


@dataclass(frozen=True)
class Request:
    """One decided request: what was asked, by whom (as a category) and the outcome."""

    kind: str  # "hours" | "place" | "schedule"
    team: str
    gender: str  # "female" | "male" | "other" (also: not recorded)
    granted: bool


@dataclass(frozen=True)
class Row:
    """One group of a breakdown: counts (None = hidden) and the grant rate when shown."""

    key: str
    n: int | None
    granted: int | None
    refused: int | None

    @property
    def rate(self) -> float | None:
        if self.granted is None or self.refused is None or self.n is None or self.n == 0:
            return None
        return self.granted / self.n


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    total: Row  # the outcome margin, the same in every table of one register


@dataclass(frozen=True)
class GenderComparison:
    """Women versus men. ``shown`` False: withheld (a group or a cell is too small)."""

    shown: bool
    rate_female: float | None = None
    rate_male: float | None = None
    n_female: int | None = None
    n_male: int | None = None
    p_value: float | None = None
    difference: bool = False  # "a difference in grant rates" may be said


@dataclass(frozen=True)
class RegisterFigures:
    n: int  # the raw number of requests (callers show it only through ``total.n``)
    k: int
    by_kind: Table
    by_team: Table
    by_gender: Table
    comparison: GenderComparison


def _table(
    requests: Sequence[Request], attribute: str, keys: Sequence[str], k: int, margin: np.ndarray
) -> Table:
    index = {key: i for i, key in enumerate(keys)}
    cells = np.zeros((len(keys), 2), dtype=np.int64)
    for r in requests:
        cells[index[getattr(r, attribute)], 0 if r.granted else 1] += 1
    hidden = suppress_with_margins(cells, k, fixed_margin=margin)
    rows = []
    for i, key in enumerate(keys):
        g, f = int(cells[i, 0]), int(cells[i, 1])
        rows.append(
            Row(
                key=key,
                n=None if hidden[i, 2] else g + f,
                granted=None if hidden[i, 0] else g,
                refused=None if hidden[i, 1] else f,
            )
        )
    return Table(tuple(rows), _margin_row(cells.sum(axis=0), margin))


def _margin_row(outcomes: np.ndarray, margin: np.ndarray) -> Row:
    g, f = int(outcomes[0]), int(outcomes[1])
    return Row(
        key="total",
        n=None if margin[2] else g + f,
        granted=None if margin[0] else g,
        refused=None if margin[1] else f,
    )


def outcome_margin(granted: int, refused: int, k: int) -> np.ndarray:
    """The shared margin's mask (granted, refused, total) under rules 1 and 2."""
    hidden = suppress_with_margins(np.array([[granted, refused]]), k)
    return hidden[1, :].copy()


def compare_genders(table: Table, k: int, alpha: float = ALPHA) -> GenderComparison:
    """Women versus men from the disclosed gender table (nothing hidden may be used)."""
    rows: Mapping[Hashable, Row] = {row.key: row for row in table.rows}
    women, men = rows.get("female"), rows.get("male")
    if women is None or men is None:
        return GenderComparison(False)
    for row in (women, men):
        if row.n is None or row.granted is None or row.refused is None or row.n < k:
            return GenderComparison(False)
    p = float(
        stats.fisher_exact(
            [[women.granted, women.refused], [men.granted, men.refused]],
            alternative="two-sided",
        ).pvalue
    )
    return GenderComparison(
        True,
        rate_female=women.rate,
        rate_male=men.rate,
        n_female=women.n,
        n_male=men.n,
        p_value=p,
        difference=p < alpha,
    )


def register_figures(
    requests: Sequence[Request],
    k: int,
    *,
    teams: Sequence[str] | None = None,
    alpha: float = ALPHA,
) -> RegisterFigures:
    """Everything the register's aggregate page shows, suppressed for every viewer."""
    k = check_k(k)
    for r in requests:
        if r.kind not in KINDS:
            raise ValueError(f"unknown kind of flexibility {r.kind!r}; use one of {KINDS}")
        if r.gender not in GENDERS:
            raise ValueError(f"unknown gender {r.gender!r}; use one of {GENDERS}")
    team_keys = list(teams) if teams is not None else sorted({r.team for r in requests})
    granted = sum(1 for r in requests if r.granted)
    margin = outcome_margin(granted, len(requests) - granted, k)
    by_gender = _table(requests, "gender", GENDERS, k, margin)
    return RegisterFigures(
        n=len(requests),
        k=k,
        by_kind=_table(requests, "kind", KINDS, k, margin),
        by_team=_table(requests, "team", team_keys, k, margin),
        by_gender=by_gender,
        comparison=compare_genders(by_gender, k, alpha),
    )


# --- Versions: what the published figures show together --------------------------------------
#
# Each figure of a version is a count over a set of requests; a viewer can add and subtract
# them. Two versions of one year subtract (k new requests, four in team A and one in team B,
# move team B's counts by one), and even one version's three tables count the same requests,
# so a sum or difference across them can be nonzero on a few requests only. The register
# (``koers.dialogue.flexibility``) therefore publishes one version per closed calendar year
# and plans it as a whole: a figure is shown only when no sum or difference of it with the
# figures already kept counts fewer than k requests (``plan_version`` with no earlier
# version; :class:`koers.stats.release.ReleasedFamily`, the Compass's release plan). The
# entries it refuses are stored with the version and hidden on top of the table rule.
# ``plan_version`` also takes earlier versions (tests/stats/test_flexibility_versions.py:
# planning every version against all earlier ones leaves almost nothing by year end).

Entry = tuple[str, str, str]  # (table, key, column): ("team", "A", "granted"), ("total", "", "n")
COLUMNS = ("n", "granted", "refused")


@dataclass(frozen=True)
class Unit:
    """One request of a version, by its id: what it counts in and its refusal reason."""

    id: int
    request: Request
    reason: str


def shown_entries(figures: RegisterFigures, reasons: Mapping[str, int | None]) -> list[Entry]:
    """Every count the register page shows, in the order a plan keeps them: the outcome
    margin, the gender, kind and team tables, then the refusal reasons."""
    out: list[Entry] = []
    for column in COLUMNS:
        if getattr(figures.by_kind.total, column) is not None:
            out.append(("total", "", column))
    for table, t in (
        ("gender", figures.by_gender),
        ("kind", figures.by_kind),
        ("team", figures.by_team),
    ):
        for row in t.rows:
            out += [(table, row.key, c) for c in COLUMNS if getattr(row, c) is not None]
    out += [("reason", key, "refused") for key, n in reasons.items() if n is not None]
    return out


def entry_ids(entry: Entry, units: Sequence[Unit]) -> frozenset[int]:
    """The requests an entry counts."""
    table, key, column = entry

    def counted(u: Unit) -> bool:
        if table == "reason":
            return not u.request.granted and u.reason == key
        if table != "total" and getattr(u.request, table) != key:
            return False
        return column == "n" or u.request.granted == (column == "granted")

    return frozenset(u.id for u in units if counted(u))


def plan_version(
    shown: Sequence[tuple[Entry, frozenset[int]]],
    earlier: Sequence[Sequence[tuple[Entry, frozenset[int]]]],
    k: int,
    *,
    budget_seconds: float | None = 5.0,
) -> frozenset[Entry]:
    """The entries of a new version (``shown``: entry and its requests) to hide as well, so
    that together with every ``earlier`` version's shown entries no linear combination
    counts fewer than k requests. The universe is every request in any of them; refused
    when the rank tests run out of time (safe: less shown)."""
    k = check_k(k)
    ids = sorted({i for _, s in shown for i in s} | {i for v in earlier for _, s in v for i in s})
    index = {i: n for n, i in enumerate(ids)}

    def mask(requests: frozenset[int]) -> np.ndarray:
        out = np.zeros(len(ids), dtype=bool)
        out[[index[i] for i in requests]] = True
        return out

    family = ReleasedFamily(
        len(ids), k, budget_seconds=budget_seconds, everyone_known=False, new_only=True
    )
    for version in earlier:
        for _, requests in version:
            family.add(mask(requests))
    hidden: set[Entry] = set()
    for entry, requests in shown:
        m = mask(requests)
        if 0 < int(m.sum()) < k or not family.admits(m):
            hidden.add(entry)
        else:
            family.add(m)
    return frozenset(hidden)


def hide_entries(
    figures: RegisterFigures,
    reasons: Mapping[str, int | None],
    hidden: Iterable[Entry],
    *,
    alpha: float = ALPHA,
) -> tuple[RegisterFigures, dict[str, int | None]]:
    """The figures with ``hidden`` entries hidden too (rates and the comparison follow)."""
    gone = set(hidden)

    def row(table: str, r: Row) -> Row:
        key = "" if table == "total" else r.key
        n, granted, refused = (None if (table, key, c) in gone else getattr(r, c) for c in COLUMNS)
        return Row(key=r.key, n=n, granted=granted, refused=refused)

    def tab(table: str, t: Table) -> Table:
        return Table(tuple(row(table, r) for r in t.rows), row("total", t.total))

    by_gender = tab("gender", figures.by_gender)
    result = replace(
        figures,
        by_kind=tab("kind", figures.by_kind),
        by_team=tab("team", figures.by_team),
        by_gender=by_gender,
        comparison=compare_genders(by_gender, figures.k, alpha),
    )
    return result, {
        key: None if ("reason", key, "refused") in gone else n for key, n in reasons.items()
    }


def version_figures(
    units: Sequence[Unit], k: int, reason_keys: Sequence[str], *, teams: Sequence[str] | None = None
) -> tuple[RegisterFigures, dict[str, int | None]]:
    """A version's suppressed tables (table rule only) and its refusal reasons: a breakdown of
    the refused total (rules 1 and 2), shown only when that total is (None = hidden)."""
    result = register_figures([u.request for u in units], k, teams=teams)
    reasons: dict[str, int | None] = {}
    if result.by_kind.total.refused is not None:
        cells: dict[Hashable, int] = {
            key: sum(1 for u in units if not u.request.granted and u.reason == key)
            for key in reason_keys
        }
        reasons = {str(key): n for key, n in suppress_breakdown(cells, k).counts.items()}
    return result, reasons
