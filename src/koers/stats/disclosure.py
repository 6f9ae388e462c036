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

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from koers.stats.release import ReleasePlan

MIN_K = 5
MAX_FILTERS = 2


def check_k(k: int) -> int:
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
    k = check_k(k)
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
    k = check_k(k)
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


def suppress_with_margins(
    cells: np.ndarray, k: int, *, fixed_margin: np.ndarray | None = None
) -> np.ndarray:
    """Hidden entries of ``cells`` (groups × outcomes) with its margins appended.

    The rule above applied to a table shown *with* its row and column totals (each row
    with its total, each column with its total, the margin row and column with the grand
    total are breakdowns), repeated until no line has exactly one hidden entry
    (Hundepool et al. 2012, *Statistical Disclosure Control*, §5.4); used by the
    fair-flexibility register (``stats.flexibility``) and the calculator's promotion table.

    Returns a boolean mask of shape ``(rows + 1, columns + 1)``: the last column is the
    row totals, the last row the column totals, the corner the grand total.
    ``fixed_margin`` (length ``columns + 1``) forces the margin row's mask (the shared
    outcome margin); it is never changed here.

    >>> suppress_with_margins(np.array([[10, 2], [8, 9]]), 5).astype(int).tolist()
    [[1, 1, 0], [1, 1, 0], [0, 0, 0]]
    """
    k = check_k(k)
    cells = np.asarray(cells, dtype=np.int64)
    rows, cols = cells.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = cells
    full[:rows, cols] = cells.sum(axis=1)
    full[rows, :cols] = cells.sum(axis=0)
    full[rows, cols] = cells.sum()
    hidden = (full > 0) & (full < k)
    if fixed_margin is not None:
        hidden[rows, :] = np.asarray(fixed_margin, dtype=bool)

    fixed = fixed_margin is not None

    def lines() -> Iterable[tuple[np.ndarray, np.ndarray, int | None]]:
        # (values, mask view, index that must not change) for every line with its total;
        # the margin row itself is left alone when it is fixed.
        for r in range(rows):
            yield full[r, :], hidden[r, :], None
        for c in range(cols + 1):
            yield full[:, c], hidden[:, c], rows if fixed else None
        if not fixed:
            yield full[rows, :], hidden[rows, :], None

    for _ in range((rows + 1) * (cols + 1) + 1):
        changed = False
        for values, mask, keep in lines():
            if int(mask.sum()) != 1:
                continue
            free = ~mask & (values > 0)
            if keep is not None:
                free[keep] = False
            candidates = np.flatnonzero(free)
            if candidates.size:
                mask[candidates[np.argmin(values[candidates])]] = True
                changed = True
        if not changed:
            break
    return hidden


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
    k = check_k(k)
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
    k = check_k(k)
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
