"""The subtraction attacker shared by the cross-page and cross-version privacy tests.

Every shown count is a sum over a set of people (or requests). An attacker who sees several
can add and subtract them: every linear combination. The rule holds when no combination is
nonzero on fewer than k people. Checked exactly, independently of
``koers.stats.release.ReleasedFamily`` (which the code under test uses):

* people in exactly the same shown sets form an atom; every combination is constant on atoms;
* W = the combinations that vanish on every atom of k or more, restricted to the small atoms;
* a group S of small atoms (fewer than k people) is singled out iff some w in W is nonzero
  only inside S, i.e. iff deleting S's rows from a basis of W lowers its rank. Every such S
  (within the atoms where W is not zero) is tried.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy.linalg import null_space


def smallest_isolated(sets: Sequence[np.ndarray], k: int) -> int | None:
    """The fewest people (< k) some linear combination of ``sets`` is nonzero on, or None."""
    if not sets:
        return None
    matrix = np.column_stack([np.asarray(s, dtype=bool) for s in sets]).astype(np.int8)
    atoms, sizes = np.unique(matrix, axis=0, return_counts=True)
    keep = atoms.any(axis=1)  # people in no shown set are in no combination
    atoms, sizes = atoms[keep].astype(np.float64), sizes[keep]
    large, small = sizes >= k, np.flatnonzero(sizes < k)
    if small.size == 0:
        return None
    coefficients = null_space(atoms[large]) if large.any() else np.eye(atoms.shape[1])
    if coefficients.shape[1] == 0:
        return None
    on_small = atoms[small] @ coefficients
    u, singular, _ = np.linalg.svd(on_small, full_matrices=False)
    basis = u[:, singular > max(float(singular.max(initial=0.0)), 1.0) * 1e-9]
    dim = basis.shape[1]
    if dim == 0:
        return None
    live = [i for i in range(len(small)) if np.abs(basis[i]).max() > 1e-9]
    best: int | None = None
    for r in range(1, k):
        for group in itertools.combinations(live, r):
            people = int(sizes[small[list(group)]].sum())
            if people >= k or (best is not None and people >= best):
                continue
            rest = np.delete(basis, list(group), axis=0)
            if np.linalg.matrix_rank(rest, tol=1e-9) < dim:
                best = people
    return best
