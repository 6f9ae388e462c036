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
import time
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

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
# belong to exactly the same released sets. Every released figure is a sum over whole atoms, so
# every sum, difference or other linear combination of released figures is one too. A
# combination describes fewer than k people only if it is nonzero on atoms smaller than k alone;
# ``ReleasedFamily.admits`` refuses the figure that would make such a combination possible (a
# rank test on the atoms × sets matrix). The test that enumerates subtractions and checks every
# linear combination is ``tests/stats/test_release_plan.py``.
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


class ReleasedFamily:
    """The sets of people whose figures have been released, and the test for one more.

    People who belong to exactly the same released sets form an *atom*: every released figure
    is a sum over whole atoms, so every linear combination of released figures is too, and it
    involves fewer than k people only if it is nonzero on small atoms (under k) alone. Such a
    combination exists exactly when, in the matrix ``atoms × released sets``, the rows of the
    large atoms have a lower rank than all rows (a combination of sets vanishing on every
    large atom but not on some small one). :meth:`admits` keeps that from happening.

    Fast path: when every atom has at least k people nothing can isolate fewer than k.
    (Measured: planning the demo campaign's 320 responses, about 1,500 candidate figures,
    takes about a second; the rank test runs on atoms, not people.)
    """

    def __init__(
        self,
        n: int,
        k: int,
        *,
        budget_seconds: float | None = None,
        everyone_known: bool = True,
        new_only: bool = False,
    ) -> None:
        self.k = check_k(k)
        self.labels = np.zeros(n, dtype=np.int64)
        # The rank test costs O(r³) for r released sets; past the budget only figures that need
        # no rank test (every atom still ≥ k) are admitted. Safe either way, only less shown.
        self.deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
        # A linearly independent basis of the released sets (people × r) and its Gram matrix.
        # ``everyone_known``: the n people are themselves a released set (a campaign's
        # population); False when n is only the union of the sets added (e.g. requests of
        # several versions, some since deleted), whose size nobody was shown.
        self.basis = np.ones((n, 1 if everyone_known else 0), dtype=np.float64)
        self.gram = self.basis.T @ self.basis
        # ``new_only``: a set is also admitted when no combination that uses it vanishes on
        # every atom of k or more (whatever the sets added before allow is theirs: another
        # page's figures, judged by its own rule). Sound on its own: a combination on fewer
        # than k people vanishes on every large atom of the moment its last set was added.
        self.new_only = new_only

    def _refined(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        combined = self.labels * 2 + mask.astype(np.int64)
        _, labels, sizes = np.unique(combined, return_inverse=True, return_counts=True)
        return labels.astype(np.int64).ravel(), sizes

    def _gram_with(self, column: np.ndarray) -> np.ndarray:
        cross = self.basis.T @ column
        return np.block([[self.gram, cross[:, None]], [cross[None, :], column @ column]])

    def admits(self, mask: np.ndarray) -> bool:
        """Releasing the set ``mask`` as well isolates nobody (no combination under k)."""
        labels, sizes = self._refined(mask)
        if sizes.min(initial=self.k) >= self.k:
            return True
        if self.deadline is not None and time.monotonic() > self.deadline:
            return False
        column = mask.astype(np.float64)
        gram = self._gram_with(column)
        small_people = sizes[labels] < self.k
        rows = np.column_stack([self.basis[small_people], column[small_people]])
        # Coefficient vectors c with (sets @ c) = 0 on every large atom: the null space of
        # G_large = G − G_small (a Gram matrix has the null space of its rows).
        values, vectors = np.linalg.eigh(gram - rows.T @ rows)
        tol = max(float(np.abs(values).max(initial=0.0)), 1.0) * gram.shape[0] * 1e-10
        null = vectors[:, np.abs(values) <= tol]
        if null.shape[1] == 0:
            return True
        if self.new_only and float(np.abs(null[-1, :]).max()) <= 1e-8:
            return True  # every such combination leaves the new set out
        # The combinations themselves, on the small atoms (one row per atom).
        small_atoms = np.flatnonzero(sizes < self.k)
        _, reps = np.unique(labels, return_index=True)
        on_small = np.column_stack([self.basis[reps], column[reps]])[small_atoms] @ null
        u, singular, _ = np.linalg.svd(on_small, full_matrices=False)
        space = u[:, singular > max(float(singular.max(initial=0.0)), 1.0) * 1e-9]
        if space.shape[1] == 0:
            return True  # every such combination is zero: the sets are merely dependent
        if space.shape[1] > 1:
            # Several independent ones: the one involving the fewest people is a hard search
            # (tried: 30 s for 320 people); refuse, unsure counts as unsafe.
            return False
        # One line of combinations, all involving the same people: fine when they are k or
        # more (e.g. "gender not given", 1–3 per department but 16 in all).
        vector = space[:, 0]
        support = np.abs(vector) > 1e-9 * max(float(np.abs(vector).max()), 1.0)
        return int(sizes[small_atoms][support].sum()) >= self.k

    def add(self, mask: np.ndarray) -> None:
        """Count ``mask`` as released (also when :meth:`admits` would refuse: earlier releases)."""
        self.labels, _ = self._refined(mask)
        column = mask.astype(np.float64)
        gram = self._gram_with(column)
        # Keep the basis independent: the rank tests stay r × r.
        if int(np.linalg.matrix_rank(gram, hermitian=True)) > self.basis.shape[1]:
            self.basis = np.column_stack([self.basis, column])
            self.gram = gram

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
    parents: Mapping[str, str] | None = None,
    budget_seconds: float | None = None,
) -> ReleasePlan:
    """Choose the figures of a release: greedily, in the order of ``candidates``.

    ``frame`` is the release's population (one row per person). A candidate is released when
    its set is empty or has at least k people, it keeps the atom invariant with everything
    released before it (earlier candidates and, as already shown, every ``prior`` release's
    sets restricted to its members), and, when it is in ``groups`` (a selection a viewer opens,
    not a cell inside one), it has at least k people. A figure inside a selection (key → key of
    the selection in ``parents``) is considered only when its selection was released: a cell of
    a selection nobody can open would only use up room. The population itself needs n ≥ k, or
    nothing is released. ``budget_seconds`` bounds the time spent on rank tests (see
    :class:`ReleasedFamily`); None means no bound.
    """
    k = check_k(k)
    n = len(frame)
    if n < k:
        return ReleasePlan(k, n, frozenset(), ())
    masks = ConditionMasks(frame)
    partition = ReleasedFamily(n, k, budget_seconds=budget_seconds)
    for earlier in prior:
        members = np.asarray(earlier.members, dtype=bool)
        partition.add(members)
        for key in earlier.released:
            partition.add(masks.mask(key_conditions(key)) & members)
    group_keys = {conditions_key(g) for g in groups}
    released: list[str] = []
    seen: set[str] = set()
    seen_released: set[str] = set()
    for conditions in candidates:
        key = conditions_key(conditions)
        if key in seen:
            continue
        seen.add(key)
        parent = (parents or {}).get(key)
        if parent is not None and parent not in seen_released:
            continue
        mask = masks.mask(conditions)
        size = int(mask.sum())
        if 0 < size < k or (key in group_keys and size < k):
            continue
        if partition.admits(mask):
            partition.add(mask)
            released.append(key)
            seen_released.add(key)
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
) -> tuple[list[Conditions], list[Conditions], dict[str, str]]:
    """Every figure a page family can show, most wanted first; the selections among them; and
    for each figure inside a selection, the selection (``parents``, by key).

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
    groups: list[Conditions] = [()]
    for column in filters:
        groups += [((column, value),) for value in values_of(column, everyone)]
    if max_filters >= 2:
        for i, first in enumerate(filters):
            for second in filters[i + 1 :]:
                for a in values_of(first, everyone):
                    inside = masks.mask(((first, a),))
                    groups += [((first, a), (second, b)) for b in values_of(second, inside)]
    parents: dict[str, str] = {}
    figures: list[Conditions] = []

    def add_inside(parent: Conditions, inside: Sequence[Conditions]) -> None:
        for figure in inside:
            figures.append(figure)
            parents.setdefault(conditions_key(figure), conditions_key(parent))

    def add_cells(group: Conditions) -> None:
        if breakdown is not None:
            cells = values_of(breakdown, masks.mask(group))
            add_inside(group, [(*group, (breakdown, b)) for b in cells])
        add_inside(group, [(*group, (s, "1")) for s in subgroups])

    # Order = priority. The whole campaign's figures; then every selection's n, so that what
    # can be opened is decided before the cells inside selections use up room; then the
    # figures per profile and the reliability; then the cells of each selection.
    figures.append(())
    add_cells(())
    figures += groups[1:]
    if breakdown is not None:
        for b in values_of(breakdown, everyone):
            cell: Conditions = ((breakdown, b),)
            add_inside(cell, [(*cell, (s, "1")) for s in breakdown_subgroups])
    add_inside((), [((s, "1"),) for s in whole_subgroups])
    for group in groups[1:]:
        add_cells(group)
    return figures, groups, parents


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
