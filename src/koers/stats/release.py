"""Disclosure across queries: releases and the family of released figures.

The rule of :mod:`koers.stats.disclosure` judges one table at a time; this module judges the
whole family of figures a campaign or survey round offers (every filter value, every pair,
every statistic over a subgroup), so that no sum or difference of released figures describes
fewer than k people (DESIGN.md, "the one suppression rule").
:class:`koers.stats.disclosure.Discloser` answers page by page from the :class:`ReleasePlan`
made here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from koers.stats.disclosure import MAX_FILTERS, MIN_K, check_k

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
