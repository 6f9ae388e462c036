"""Small-cell suppression: the one disclosure rule every view, export, API endpoint and PDF uses.

The rule (DESIGN.md, "Privacy rules"), with k the minimum group size
(``KOERS_MIN_GROUP_SIZE``, at least 5):

1. A cell (a group in a breakdown) with 0 < n < k is suppressed.
2. If a breakdown then has exactly one suppressed cell, the next smallest
   non-empty cell is suppressed too, so no cell follows from the total
   (complementary suppression). The total itself is shown only when n ≥ k.
3. A filter (a subset of the population) is allowed only if the subset and
   its complement both have n ≥ k, or the complement is empty. At most two
   filters combine, and every combination is checked the same way; for two
   filters A and B also "A and not B" and "B and not A" must be empty or ≥ k,
   so that the difference of two allowed views never describes a small group.
4. Breakdowns by gender follow the same rule per gender: each gender's
   column of a category × gender table is a breakdown of its own.

Empty cells (n = 0) are shown as 0: they disclose nothing about a person.
Reference: Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley,
§5.2 (threshold rule) and §5.4 (secondary suppression).
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_K = 5
MAX_FILTERS = 2


def _check_k(k: int) -> int:
    if int(k) < MIN_K:
        raise ValueError(f"the minimum group size is at least {MIN_K}, got {k}")
    return int(k)


@dataclass(frozen=True)
class Breakdown:
    """The disclosed form of one breakdown: ``counts[key]`` is None when suppressed."""

    counts: dict[Hashable, int | None]
    suppressed: frozenset[Hashable]
    total: int | None
    k: int

    def is_suppressed(self, key: Hashable) -> bool:
        return key in self.suppressed


def suppressed_cells(counts: Mapping[Hashable, int], k: int = MIN_K) -> frozenset[Hashable]:
    """Keys of the cells to suppress under rules 1 and 2.

    Secondary suppression picks the smallest non-empty unsuppressed cell; ties
    are broken by the order of ``counts`` so the result is deterministic.
    """
    k = _check_k(k)
    for key, n in counts.items():
        if int(n) < 0:
            raise ValueError(f"cell {key!r} has a negative count {n}")
    primary = {key for key, n in counts.items() if 0 < int(n) < k}
    if len(primary) == 1:
        candidates = [
            (int(n), i, key)
            for i, (key, n) in enumerate(counts.items())
            if key not in primary and int(n) > 0
        ]
        if candidates:
            primary.add(min(candidates)[2])
    return frozenset(primary)


def suppress_breakdown(counts: Mapping[Hashable, int], k: int = MIN_K) -> Breakdown:
    """Apply rules 1–2 to one breakdown of counts."""
    hidden = suppressed_cells(counts, k)
    total = sum(int(n) for n in counts.values())
    return Breakdown(
        counts={key: None if key in hidden else int(n) for key, n in counts.items()},
        suppressed=hidden,
        total=total if total >= k else None,
        k=int(k),
    )


def suppress_table(table: pd.DataFrame, k: int = MIN_K, *, by: str = "columns") -> pd.DataFrame:
    """Boolean mask of suppressed cells of a count table.

    ``by="columns"`` treats each column as one breakdown (rule 4: a category ×
    gender table is suppressed per gender); ``by="rows"`` each row; ``by="both"``
    repeats both passes until no breakdown has a single suppressed cell.
    """
    k = _check_k(k)
    values = table.fillna(0).to_numpy(dtype=np.int64)
    hidden = np.zeros(values.shape, dtype=bool)

    def pass_over(lines: np.ndarray, mask: np.ndarray) -> bool:
        # ``lines`` and ``mask`` are views: one breakdown per row of the view.
        changed = False
        for cells, line_mask in zip(lines, mask, strict=True):
            primary = (cells > 0) & (cells < k)
            now = primary | line_mask
            if int(now.sum()) == 1:
                # Rule 2: hide the smallest other non-empty cell (first one on ties).
                free = np.flatnonzero(~now & (cells > 0))
                if free.size:
                    now[free[np.argmin(cells[free])]] = True
            if (now & ~line_mask).any():
                line_mask |= now
                changed = True
        return changed

    if by == "columns":
        pass_over(values.T, hidden.T)
    elif by == "rows":
        pass_over(values, hidden)
    elif by == "both":
        for _ in range(sum(values.shape) + 1):
            if not (pass_over(values.T, hidden.T) | pass_over(values, hidden)):
                break
    else:
        raise ValueError(f"by must be 'columns', 'rows' or 'both', got {by!r}")
    return pd.DataFrame(hidden, index=table.index, columns=table.columns)


@dataclass(frozen=True)
class FilterDecision:
    """Whether a filter (or a combination of filters) may be applied, and why not."""

    allowed: bool
    n_subset: int
    n_complement: int
    reason: str = ""
    failing: tuple[str, ...] = field(default_factory=tuple)


def check_subset(
    n_subset: int, n_population: int, k: int = MIN_K, label: str = ""
) -> FilterDecision:
    """Rule 3 for one subset: subset ≥ k and (complement ≥ k or complement empty)."""
    k = _check_k(k)
    if not 0 <= n_subset <= n_population:
        raise ValueError(f"subset of {n_subset} does not fit a population of {n_population}")
    complement = n_population - n_subset
    name = f" ({label})" if label else ""
    if n_subset < k:
        return FilterDecision(
            False,
            n_subset,
            complement,
            f"This selection{name} has fewer than {k} people; choose a larger group.",
            (label,) if label else (),
        )
    if 0 < complement < k:
        return FilterDecision(
            False,
            n_subset,
            complement,
            f"Everyone except this selection{name} is fewer than {k} people, so their answers "
            "would follow from the total; choose a smaller or a different group.",
            (label,) if label else (),
        )
    return FilterDecision(True, n_subset, complement)


def check_filters(
    population: pd.DataFrame, filters: Sequence[tuple[str, object]], k: int = MIN_K
) -> FilterDecision:
    """Rule 3 for up to two filters ``(column, value)`` on a population (one row per person).

    Each filter alone and their combination must pass :func:`check_subset`.
    """
    k = _check_k(k)
    if len(filters) > MAX_FILTERS:
        return FilterDecision(
            False, 0, 0, f"At most {MAX_FILTERS} filters can be combined; remove one.", ()
        )
    n = len(population)
    masks: list[tuple[str, np.ndarray]] = []
    for column, value in filters:
        if column not in population.columns:
            raise KeyError(f"unknown filter column {column!r}")
        masks.append((f"{column}={value}", (population[column] == value).to_numpy()))
    combos: list[tuple[str, np.ndarray]] = list(masks)
    if len(masks) == 2:
        combos.append((f"{masks[0][0]} & {masks[1][0]}", masks[0][1] & masks[1][1]))
    final = FilterDecision(True, n, 0)
    for label, mask in combos:
        decision = check_subset(int(mask.sum()), n, k, label)
        if not decision.allowed:
            return decision
        final = decision
    if len(masks) == 2:
        # Differencing: "A" and "A & B" are each allowed, but together they show "A & not B".
        # Both differences must be empty or at least k.
        (label_a, a), (label_b, b) = masks
        for label, diff in (
            (f"{label_a} & not {label_b}", a & ~b),
            (f"{label_b} & not {label_a}", b & ~a),
        ):
            size = int(diff.sum())
            if 0 < size < k:
                return FilterDecision(
                    False,
                    final.n_subset,
                    final.n_complement,
                    f"Combined with the single filters, this selection would show a group of "
                    f"fewer than {k} people ({label}); choose other filters.",
                    (label,),
                )
    return final


# --- Disclosure across queries: releases and the family of released figures -----------------
#
# Rules 1–4 judge one table at a time. A viewer who can open many pages (every filter value,
# every pair, every statistic computed over a subgroup such as "works in the technical sector"
# or "answered this scale") can subtract one figure from another. The functions below judge the
# whole family of figures a campaign offers at once.
#
# A *figure* is a statistic over a set of people described by conditions ``column == value``
# (ANDed): the team-scan group "department R&D and gender woman", the count of one profile in
# it, the mean of a scale over those of them who answered it, the leave share over those of
# them in the technical sector. Whatever the statistic, a viewer learns at most the sum of some
# per-person value over that set, and its size.
#
# The invariant (``plan_release``): split the population into *atoms*, the classes of people who
# belong to exactly the same released sets. Every released set is a union of atoms, so every sum,
# difference or other linear combination of released figures is a combination of sums over whole
# atoms. If every atom that a released set ever split off has at least k people, no combination
# of released figures describes fewer than k people. The test enumerating subtractions is
# ``tests/stats/test_release_plan.py``. The condition is sufficient, not necessary: it can refuse
# a figure that no subtraction would actually expose (docs/privacy.md says what that costs).
#
# Releases: figures are computed on a frozen population (a release). A new release is planned
# with every earlier release's figures as already shown ("prior"): the part of an old set that
# is still present is a set the viewer knows the sum of, so the new figures may not cut it into
# small pieces either. That is what stops "the figure changed when one person arrived".

Condition = tuple[str, str]
Conditions = tuple[Condition, ...]


def conditions_key(conditions: Sequence[tuple[str, object]]) -> str:
    """Canonical text key of a set of conditions (order-free; stored with a release)."""
    pairs = sorted({(str(column), str(value)) for column, value in conditions})
    return json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


def key_conditions(key: str) -> Conditions:
    """The conditions of a key made by :func:`conditions_key`."""
    return tuple((str(c), str(v)) for c, v in json.loads(key))


def conditions_mask(frame: pd.DataFrame, conditions: Sequence[tuple[str, object]]) -> np.ndarray:
    """Boolean mask of the rows meeting every condition; a missing value meets none."""
    return ConditionMasks(frame).mask(conditions)


class ConditionMasks:
    """``conditions_mask`` for many condition sets on one frame: each column is coded once.

    (Planning a release asks for about a thousand sets; comparing pandas columns for each took
    7 s for 150 people, coding each column once takes a fraction of that.)
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.n = len(frame)
        self._codes: dict[str, tuple[np.ndarray, dict[str, int]]] = {}

    def _column(self, column: str) -> tuple[np.ndarray, dict[str, int]]:
        if column not in self._codes:
            values = self.frame[column]
            text = values.astype(object).where(values.notna(), None)
            codes, uniques = pd.factorize(
                text.map(lambda v: None if v is None else str(v)), use_na_sentinel=True
            )
            self._codes[column] = (
                np.asarray(codes),
                {str(u): i for i, u in enumerate(uniques)},
            )
        return self._codes[column]

    def mask(self, conditions: Sequence[tuple[str, object]]) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
        for column, value in conditions:
            codes, index = self._column(column)
            code = index.get(str(value))
            if code is None:
                return np.zeros(self.n, dtype=bool)
            mask &= codes == code
        return mask

    def values(self, column: str, mask: np.ndarray) -> list[str]:
        """Values of ``column`` among the rows of ``mask``, most frequent first."""
        codes, index = self._column(column)
        counts = np.bincount(codes[mask & (codes >= 0)], minlength=len(index))
        return sorted(
            (v for v, i in index.items() if counts[i] > 0), key=lambda v: (-counts[index[v]], v)
        )


class AtomPartition:
    """People grouped by the released sets they belong to (see the invariant above).

    ``fits(mask)`` says whether releasing the set ``mask`` keeps the invariant: every atom the set
    cuts in two leaves two parts of at least k. An atom the set does not cut may be small (after
    deletions, a set released earlier can have lost people); it is not made any smaller.
    """

    def __init__(self, n: int, k: int) -> None:
        self.k = _check_k(k)
        self.labels = np.zeros(n, dtype=np.int64)

    def fits(self, mask: np.ndarray) -> bool:
        combined = self.labels * 2 + mask.astype(np.int64)
        sizes = np.bincount(combined, minlength=2 * (int(self.labels.max(initial=0)) + 1))
        outside, inside = sizes[0::2], sizes[1::2]
        cut = (inside > 0) & (outside > 0)
        return not bool(np.any(cut & ((inside < self.k) | (outside < self.k))))

    def add(self, mask: np.ndarray) -> None:
        combined = self.labels * 2 + mask.astype(np.int64)
        self.labels = np.unique(combined, return_inverse=True)[1].astype(np.int64).ravel()

    def sizes(self) -> np.ndarray:
        """Sizes of the atoms (people per class)."""
        return np.bincount(self.labels) if self.labels.size else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class ReleasePlan:
    """Which figures of one release may be shown: ``released`` holds their condition keys."""

    k: int
    n: int
    released: frozenset[str]
    order: tuple[str, ...] = ()

    def allows(self, conditions: Sequence[tuple[str, object]]) -> bool:
        return conditions_key(conditions) in self.released


@dataclass(frozen=True)
class PriorRelease:
    """An earlier release as it bears on a new one: who was in it (a mask over the new frame,
    deleted people simply absent) and the keys of the figures it showed."""

    members: np.ndarray
    released: Sequence[str]


def plan_release(
    frame: pd.DataFrame,
    candidates: Sequence[Sequence[tuple[str, object]]],
    k: int = MIN_K,
    *,
    prior: Sequence[PriorRelease] = (),
    groups: Sequence[Sequence[tuple[str, object]]] = (),
) -> ReleasePlan:
    """Choose the figures of a release: greedily, in the order of ``candidates``.

    ``frame`` is the release's population (one row per person). A candidate is released when
    its set is empty or has at least k people, it keeps the atom invariant with everything
    released before it (earlier candidates and, as already shown, every ``prior`` release's
    sets restricted to its members), and, when it is in ``groups`` (a selection a viewer opens,
    not a cell inside one), it has at least k people. The population itself needs n ≥ k, or
    nothing is released.
    """
    k = _check_k(k)
    n = len(frame)
    if n < k:
        return ReleasePlan(k, n, frozenset(), ())
    masks = ConditionMasks(frame)
    partition = AtomPartition(n, k)
    for earlier in prior:
        members = np.asarray(earlier.members, dtype=bool)
        partition.add(members)
        for key in earlier.released:
            partition.add(masks.mask(key_conditions(key)) & members)
    group_keys = {conditions_key(g) for g in groups}
    released: list[str] = []
    seen: set[str] = set()
    for conditions in candidates:
        key = conditions_key(conditions)
        if key in seen:
            continue
        seen.add(key)
        mask = masks.mask(conditions)
        size = int(mask.sum())
        if 0 < size < k or (key in group_keys and size < k):
            continue
        if partition.fits(mask):
            partition.add(mask)
            released.append(key)
    return ReleasePlan(k, n, frozenset(released), tuple(released))


def figure_candidates(
    frame: pd.DataFrame,
    *,
    filters: Sequence[str] = (),
    breakdown: str | None = None,
    subgroups: Sequence[str] = (),
    breakdown_subgroups: Sequence[str] = (),
    whole_subgroups: Sequence[str] = (),
    max_filters: int = MAX_FILTERS,
) -> tuple[list[Conditions], list[Conditions]]:
    """Every figure a page family can show, most wanted first, and the selections among them.

    Selections: the whole population, each value of each filter column, and each pair of values
    of two filter columns (``max_filters`` = 2). Per selection G: G itself (its n), G ∧ each
    subgroup column (a statistic computed over a subgroup, e.g. ``"_tech"`` = "1" for the leave
    share), G ∧ each value of ``breakdown`` (e.g. profile counts). For the whole population also
    each ``breakdown`` value ∧ each of ``breakdown_subgroups`` (figures per profile) and the
    ``whole_subgroups`` (e.g. reliability over the complete cases of a scale). Values come
    largest first, so that what the greedy plan leaves out are the small groups.
    """

    masks = ConditionMasks(frame)
    values_of = masks.values
    everyone = np.ones(len(frame), dtype=bool)
    figures: list[Conditions] = []
    groups: list[Conditions] = []

    def add_group(group: Conditions) -> None:
        mask = masks.mask(group)
        if not mask.any():
            return
        groups.append(group)
        figures.append(group)
        figures.extend((*group, (s, "1")) for s in subgroups)
        if breakdown is not None:
            figures.extend((*group, (breakdown, b)) for b in values_of(breakdown, mask))

    add_group(())
    figures.extend(((s, "1"),) for s in whole_subgroups)
    if breakdown is not None:
        for b in values_of(breakdown, everyone):
            figures.extend(((breakdown, b), (s, "1")) for s in breakdown_subgroups)
    for column in filters:
        for value in values_of(column, everyone):
            add_group(((column, value),))
    if max_filters >= 2:
        for i, first in enumerate(filters):
            for second in filters[i + 1 :]:
                for a in values_of(first, everyone):
                    inside = masks.mask(((first, a),))
                    for b in values_of(second, inside):
                        add_group(((first, a), (second, b)))
    return figures, groups


class Discloser:
    """Applies the suppression rule for non-HR viewers; lets everything through for HR.

    With ``releases`` (oldest first, see :func:`plan_release`) it also knows every figure a
    viewer can already have been shown for the population: :meth:`shows` answers whether one
    more figure may be shown, :meth:`release_of` in which release a selection was last shown.
    Questionnaire figures are never HR data: their pages pass ``hr=False`` for every role.
    """

    def __init__(self, hr: bool, k: int, *, releases: Sequence[ReleasePlan] = ()) -> None:
        self.hr = hr
        self.k = k
        self.releases = tuple(releases)

    def shows(self, conditions: Sequence[tuple[str, object]], release: int = -1) -> bool:
        """The figure over this set may be shown from release ``release`` (default the latest)."""
        if self.hr:
            return True
        if not self.releases:
            return False
        return self.releases[release].allows(conditions)

    def release_of(self, conditions: Sequence[tuple[str, object]]) -> int | None:
        """Index of the latest release that shows this selection, or None."""
        if self.hr and self.releases:
            return len(self.releases) - 1
        for index in range(len(self.releases) - 1, -1, -1):
            if self.releases[index].allows(conditions):
                return index
        return None

    def counts(self, counts: Mapping[str, int]) -> dict[str, int | None]:
        """One breakdown (rules 1–2): e.g. leavers by gender."""
        if self.hr:
            return {key: int(n) for key, n in counts.items()}
        cells: dict[Hashable, int] = {key: int(n) for key, n in counts.items()}
        disclosed = suppress_breakdown(cells, self.k).counts
        return {str(key): n for key, n in disclosed.items()}

    def table(self, table: pd.DataFrame) -> np.ndarray:
        """Mask of hidden cells of a group × gender count table, per gender (rule 4)."""
        if self.hr or table.empty:
            return np.zeros(table.shape, dtype=bool)
        return suppress_table(table, self.k, by="columns").to_numpy()

    def enough(self, *ns: int | None) -> bool:
        """A figure computed from these groups may be shown (each has ≥ k people)."""
        return self.hr or all(n is not None and n >= self.k for n in ns)
