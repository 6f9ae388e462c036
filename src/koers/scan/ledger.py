"""Linked small-cell suppression: every count a viewer sees, and how the counts add up.

The per-breakdown rule of :mod:`koers.stats.disclosure` protects one table at a
time. A report shows many tables of the same people (headcount by gender, by
job level, by pay quartile, the flows of several periods), and a hidden cell of
one table can follow from the others: a row total minus the shown cells, the
headcount at the end of a quarter minus hires plus leavers, a share times its
total. A :class:`Ledger` holds every count of the report as a variable with its
true value, and every identity between them as a linear relation (a row sums
to its total; Q1 + … + Q4 = the year; end = start + hires − leavers). It then
hides counts until no protected count is *determined* by the shown ones:

1. Protected (primary) are counts with 0 < n < k, and counts the caller marks
   (e.g. a cell whose people changed since the previous snapshot).
2. Repeatedly: propagate what the shown values determine (a relation with one
   unknown determines it); when that reaches a protected count, hide the
   cheapest shown count of the relation that determined it. When propagation
   finds nothing, an exact check (the null space of the relations over the
   unknowns) looks for counts determined only by several relations together.

Costs steer the choice: hide a row total before a cell, a small cell before a
large one, a zero only when nothing else helps, the grand totals last. Counts
that are never shown ("people without a job level") take part as unknowns;
constants (the size of a pay quartile) are known to everyone.

Pure Python and numpy, no Django (``tests/scan/test_disclosure_audit.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from threadpoolctl import threadpool_limits

Key = Hashable

TOTAL = 0  # a row or column total: hidden first
CELL = 1  # a cell of a breakdown (the value breaks ties: smallest first)
ZERO = 2  # an empty cell: shown as 0 unless a hidden cell would follow from it
GRAND = 3  # the organisation's headcount: hidden last


@dataclass
class _Var:
    value: float
    shown: bool  # displayed to the viewer (unless hidden)
    constant: bool  # known to everyone, never hidden
    tier: int


class Ledger:
    """Counts, the relations between them, and which of them a viewer may see."""

    def __init__(self, k: int) -> None:
        self.k = int(k)
        self._vars: dict[Key, _Var] = {}
        self._relations: list[dict[Key, float]] = []
        self._sums: list[tuple[Key, tuple[Key, ...]]] = []
        self._protected: set[Key] = set()
        self._hidden: frozenset[Key] | None = None

    # -- building -----------------------------------------------------------------------------
    def add(
        self,
        key: Key,
        value: float,
        *,
        tier: int = CELL,
        shown: bool = True,
        constant: bool = False,
    ) -> Key:
        """Register a count (once per key; later calls keep the first registration)."""
        if key not in self._vars:
            if tier == CELL and value == 0:
                tier = ZERO
            self._vars[key] = _Var(float(value), shown and not constant, constant, tier)
            self._hidden = None
        return key

    def relate(self, terms: Mapping[Key, float]) -> None:
        """Σ coefficient × count = 0 over registered counts (must hold for the true values)."""
        terms = {key: float(c) for key, c in terms.items() if c}
        missing = [key for key in terms if key not in self._vars]
        if missing:
            raise KeyError(f"unregistered counts in a relation: {missing!r}")
        total = sum(c * self._vars[key].value for key, c in terms.items())
        if abs(total) > 1e-6:
            raise ValueError(f"relation does not hold for the true values: {terms!r}")
        if len(terms) > 1:
            self._relations.append(terms)
            self._hidden = None

    def sums_to(self, total: Key, parts: Iterable[Key]) -> None:
        """``total`` = Σ ``parts``."""
        terms: dict[Key, float] = {total: -1.0}
        for part in parts:
            terms[part] = terms.get(part, 0.0) + 1.0
        self.relate(terms)
        self._sums.append((total, tuple(key for key in terms if key != total)))

    def protect(self, key: Key) -> None:
        """Mark a count as one that must not be shown or follow from what is shown."""
        if key in self._vars and not self._vars[key].constant:
            self._protected.add(key)
            self._hidden = None

    # -- reading ------------------------------------------------------------------------------
    def __contains__(self, key: object) -> bool:
        return key in self._vars

    def keys(self) -> list[Key]:
        return list(self._vars)

    def value(self, key: Key) -> int | None:
        """The count as the viewer sees it: None when hidden or never shown."""
        var = self._vars.get(key)
        if var is None or not var.shown or key in self.hidden:
            return None
        return int(round(var.value))

    def true_value(self, key: Key) -> int:
        return int(round(self._vars[key].value))

    def is_shown(self, *keys: Key) -> bool:
        return all(self.value(key) is not None for key in keys)

    @property
    def protected(self) -> frozenset[Key]:
        return frozenset(self._protected | self._primary())

    @property
    def hidden(self) -> frozenset[Key]:
        if self._hidden is None:
            with threadpool_limits(1):  # small matrices: BLAS threads only contend
                self._hidden = self._solve()
        return self._hidden

    # -- solving ------------------------------------------------------------------------------
    def _primary(self) -> set[Key]:
        return {
            key for key, var in self._vars.items() if not var.constant and 0 < var.value < self.k
        }

    def _cost(self, key: Key) -> tuple[int, float, str]:
        var = self._vars[key]
        return (var.tier, var.value, repr(key))

    def _solve(self) -> frozenset[Key]:
        protected = self._protected | self._primary()
        hidden = {key for key in protected if self._vars[key].shown}
        for _ in range(len(self._vars) + 1):
            known = {
                key
                for key, var in self._vars.items()
                if var.constant or (var.shown and key not in hidden)
            }
            leak = self._propagate(known, protected)
            if leak is not None:
                candidates = [k for k in leak if k in known and not self._vars[k].constant]
                if not candidates:  # cannot happen while a relation has a shown member
                    raise RuntimeError("a protected count follows from constants alone")
                hidden.add(min(candidates, key=self._cost))
                continue
            more = (
                self._exact_leak(known, protected)
                or self._bound_leak(known, protected)
                or self._sum_leak(known)
            )
            if not more:
                return frozenset(hidden)
            hidden.update(more)
        raise RuntimeError("suppression did not converge")

    def _propagate(self, known: set[Key], protected: set[Key]) -> list[Key] | None:
        """Counts determined one relation at a time; the members that reveal a protected one."""
        determined = set(known)
        how: dict[Key, dict[Key, float]] = {}
        changed = True
        while changed:
            changed = False
            for relation in self._relations:
                unknown = [key for key in relation if key not in determined]
                if len(unknown) != 1:
                    continue
                (key,) = unknown
                determined.add(key)
                how[key] = relation
                changed = True
                if key in protected:
                    return self._sources(key, how, known)
        return None

    def _sources(self, key: Key, how: dict[Key, dict[Key, float]], known: set[Key]) -> list[Key]:
        """Every shown count the derivation of ``key`` rests on (hiding any one breaks it)."""
        out: list[Key] = []
        seen = {key}
        queue = [key]
        while queue:
            item = queue.pop()
            for member in how.get(item, {}):
                if member in seen:
                    continue
                seen.add(member)
                if member in known:
                    out.append(member)
                else:
                    queue.append(member)
        return out

    def _exact_leak(self, known: set[Key], protected: set[Key]) -> list[Key] | None:
        """Protected counts fixed only by several relations together; one count to hide each.

        Returns a list of counts to hide (the cheapest shown count used by each
        determining combination of relations), or None when nothing leaks.
        """
        unknown = [key for key in self._vars if key not in known]
        index = {key: i for i, key in enumerate(unknown)}
        rows = [r for r in self._relations if any(key in index for key in r)]
        targets = [key for key in protected if key in index]
        if not rows or not targets:
            return None
        matrix = np.zeros((len(rows), len(unknown)))
        for i, relation in enumerate(rows):
            for key, c in relation.items():
                if key in index:
                    matrix[i, index[key]] = c
        # x_j is determined iff e_j lies in the row space: the projector onto it is 1 at (j, j).
        u, s, vt = np.linalg.svd(matrix, full_matrices=False)
        rank = int(np.sum(s > 1e-9 * max(1.0, float(s[0]) if s.size else 1.0)))
        diagonal = np.sum(vt[:rank] ** 2, axis=0)
        hide: set[Key] = set()
        for key in sorted(targets, key=repr):
            j = index[key]
            if diagonal[j] < 1 - 1e-7:
                continue
            # The combination of relations that gives x_j: y = U S⁻¹ Vᵀ e_j solves Aᵀ y = e_j.
            weights = u[:, :rank] @ (vt[:rank, j] / s[:rank])
            used = [rows[i] for i in np.flatnonzero(np.abs(weights) > 1e-9)]
            near = {m for r in used for m in r if m in known and not self._vars[m].constant}
            if near:
                hide.add(min(near, key=self._cost))
        return sorted(hide, key=repr) if hide else None

    def _sum_leak(self, known: set[Key]) -> list[Key] | None:
        """The hidden parts of a sum, determined together and counting 1 to k − 1 people.

        Each hidden part may be free while their sum is not: the promotions of a
        year (shown) minus its one shown quarter are the promotions of the other
        three quarters, a group of people like any count. Such a sum is protected
        like a count (rule 1 for the group the hidden parts describe together):
        when the relations fix it (its indicator lies in their row space over the
        unknowns), one more count of the relations that fix it is hidden.
        """
        unknown = [key for key in self._vars if key not in known]
        index = {key: i for i, key in enumerate(unknown)}
        groups: list[list[Key]] = []
        for _total, parts in self._sums:
            hidden = [key for key in parts if key in index]
            if len(hidden) < 2:
                continue
            if 0 < sum(self.true_value(key) for key in hidden) < self.k:
                groups.append(hidden)
            # Some of the hidden parts may be fixed together while the rest are not (the
            # women on the board and in the subtop, when those without a layer follow from
            # their row): every group of the small ones, with or without the empty ones.
            small = [key for key in hidden if 0 < self.true_value(key) < self.k]
            empty = [key for key in hidden if self.true_value(key) == 0]
            for size in range(1, min(len(small), self.k - 1) + 1):
                for chosen in itertools.combinations(small, size):
                    if sum(self.true_value(key) for key in chosen) >= self.k:
                        continue
                    for group in (list(chosen), [*chosen, *empty]):
                        if len(group) > 1 and group != hidden:
                            groups.append(group)
        rows = [r for r in self._relations if any(key in index for key in r)]
        if not groups or not rows:
            return None
        matrix = np.zeros((len(rows), len(unknown)))
        for i, relation in enumerate(rows):
            for key, c in relation.items():
                if key in index:
                    matrix[i, index[key]] = c
        u, s, vt = np.linalg.svd(matrix, full_matrices=False)
        rank = int(np.sum(s > 1e-9 * max(1.0, float(s[0]) if s.size else 1.0)))
        hide: set[Key] = set()
        for hidden in groups:
            target = np.zeros(len(unknown))
            target[[index[key] for key in hidden]] = 1.0
            along = vt[:rank] @ target
            if float(along @ along) < float(target @ target) - 1e-7:
                continue  # the sum is not fixed by the relations
            weights = u[:, :rank] @ (along / s[:rank])
            used = [rows[i] for i in np.flatnonzero(np.abs(weights) > 1e-9)]
            near = {m for r in used for m in r if m in known and not self._vars[m].constant}
            if near:
                hide.add(min(near, key=self._cost))
        return sorted(hide, key=repr) if hide else None

    def _bound_leak(self, known: set[Key], protected: set[Key]) -> list[Key] | None:
        """Protected counts pinned by the relations together with counts being ≥ 0.

        E.g. x + y = 1 and x ≥ 1 from another table: the linear algebra leaves x
        free, the bounds do not. A linear programme gives each protected count's
        smallest and largest value; equal means recomputed. Returns one count to
        hide per pinned count (the cheapest shown one in a relation with it).
        """
        unknown = [key for key in self._vars if key not in known]
        index = {key: i for i, key in enumerate(unknown)}
        rows = [r for r in self._relations if any(key in index for key in r)]
        targets = sorted((key for key in protected if key in index), key=repr)
        if not rows or not targets:
            return None
        matrix = np.zeros((len(rows), len(unknown)))
        rhs = np.zeros(len(rows))
        for i, relation in enumerate(rows):
            for key, c in relation.items():
                if key in index:
                    matrix[i, index[key]] = c
                else:
                    rhs[i] -= c * self._vars[key].value
        hide: set[Key] = set()
        for key in targets:
            objective = np.zeros(len(unknown))
            objective[index[key]] = 1.0
            low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
            high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
            if low.status != 0 or high.status != 0 or -high.fun - low.fun >= 0.5:
                continue
            near: set[Key] = set()
            frontier = {key}
            for _ in range(4):  # widen until a relation around it has a shown count
                touching = [r for r in rows if frontier & set(r)]
                near = {m for r in touching for m in r if m in known}
                near -= {m for m in near if self._vars[m].constant}
                if near:
                    break
                frontier = {m for r in touching for m in r}
            if near:
                hide.add(min(near, key=self._cost))
        return sorted(hide, key=repr) if hide else None
