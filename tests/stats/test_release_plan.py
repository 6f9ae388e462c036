"""Disclosure across queries: the family of figures a release shows cannot be differenced.

The checker here is independent of ``plan_release``: it takes every set of people a released
figure is computed over (a selection's n, a profile count inside it, a scale mean over those of
it who answered, the leave share over those of it in the technical sector), and asks whether
any linear combination of those figures (sums, differences, any coefficients) depends on fewer
than k people only. A count or a mean over a set is a sum over it divided by a known size, so
that is the question for counts and means alike.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from koers.compass import teamscan
from koers.stats.disclosure import check_filters, suppress_breakdown
from koers.stats.release import (
    PriorRelease,
    ReleasedFamily,
    conditions_key,
    conditions_mask,
    key_conditions,
    plan_release,
)

K = 5
MISSING = 0.06
PROFILES = ["nerd", "innovator", "status_seeker", "team_player", "idealist", "maker"]


def simulated_campaign(seed: int, n: int) -> pd.DataFrame:
    """A campaign with small departments, a few 'other' genders and missing answers."""
    rng = np.random.default_rng(seed)
    departments = rng.choice(["R&D", "Productie", "Staf", "Lab"], n, p=[0.45, 0.3, 0.17, 0.08])
    gender = rng.choice(["woman", "man", "non_binary", None], n, p=[0.4, 0.5, 0.05, 0.05])
    jobs = rng.choice(
        ["engineer", "researcher", "consultant", "manager", None], n, p=[0.4, 0.2, 0.2, 0.1, 0.1]
    )
    organisation = rng.choice(
        ["technical_industry", "non_technical", "higher_education", None],
        n,
        p=[0.6, 0.2, 0.15, 0.05],
    )
    frame = pd.DataFrame(
        {
            "department": departments,
            "gender": gender,
            "job_category": jobs,
            "organisation_type": organisation,
            "future_sector": rng.choice(["technical", "non_technical", "unsure"], n),
            "profile": rng.choice(PROFILES, n, p=[0.3, 0.25, 0.2, 0.12, 0.08, 0.05]),
        },
        index=pd.RangeIndex(n, name="response"),
    ).astype(object)
    frame = frame.where(frame.notna(), None)
    for s in teamscan.CAREER_SCALES:
        values = rng.normal(4.5, 1.0, n)
        values[rng.random(n) < MISSING] = np.nan  # did not answer the scale
        frame[s] = values
    return teamscan.derive_columns(frame)


def released_sets(frame: pd.DataFrame, keys: list[str] | frozenset[str]) -> np.ndarray:
    """Columns: the people each released figure is computed over."""
    return np.column_stack([conditions_mask(frame, key_conditions(key)) for key in keys])


def isolating_combination(sets: np.ndarray, k: int) -> np.ndarray | None:
    """A linear combination of released sums that involves fewer than k people, or None.

    People who belong to exactly the same released sets (an atom) always enter a combination
    with the same coefficient, so such a combination is zero on every atom of k or more: it
    lies in V0, the combinations vanishing on the large atoms (found from the null space of the
    large atoms' rows). Of V0 the vectors involving the fewest people are its circuits (zero on
    d − 1 independent atoms, d = dim V0); all are tried. Returns the combination per person.
    """
    rows = sets.astype(float)
    _, atom, sizes = np.unique(sets, axis=0, return_inverse=True, return_counts=True)
    atom = atom.ravel()
    _, reps = np.unique(atom, return_index=True)
    matrix = rows[reps]  # one row per atom
    large = sizes >= k
    _, singular, vt = np.linalg.svd(matrix[large]) if large.any() else (None, np.zeros(0), None)
    rank_large = int((singular > 1e-9).sum())
    null = vt[rank_large:].T if vt is not None else np.eye(matrix.shape[1])
    combos = matrix[~large] @ null  # V0 on the small atoms
    if combos.size == 0:
        return None
    u, singular, _ = np.linalg.svd(combos, full_matrices=False)
    space = u[:, singular > 1e-9]
    d = space.shape[1]
    if d == 0:
        return None
    small_sizes = sizes[~large]
    for zero in itertools.combinations(range(space.shape[0]), d - 1):
        if zero:
            _, sv, basis = np.linalg.svd(space[list(zero)])
            if int((sv > 1e-9).sum()) != d - 1:
                continue
            vector = space @ basis[-1]
        else:
            vector = space[:, 0]
        support = np.abs(vector) > 1e-9
        if support.any() and int(small_sizes[support].sum()) < k:
            per_atom = np.zeros(len(sizes))
            per_atom[np.flatnonzero(~large)] = vector
            return per_atom[atom]
    return None


def subtraction_attacks(sets: np.ndarray, k: int, *, first: bool = False) -> list[tuple[int, ...]]:
    """Every ±1 combination of two or three released sets whose result is a group of 1..k−1.

    This is what a person with a calculator tries: A − B, A − B − C, A + B − C, ...
    """
    columns = sets.astype(np.int16).T
    m = len(columns)

    def small_groups(totals: np.ndarray) -> np.ndarray:
        size = totals.sum(axis=1)
        return (totals.min(axis=1) >= 0) & (totals.max(axis=1) <= 1) & (size > 0) & (size < k)

    found: list[tuple[int, ...]] = []
    for i in range(m):
        for j in range(i + 1, m):
            for pair in (columns[i] + columns[j], columns[i] - columns[j], columns[j] - columns[i]):
                if small_groups(pair[None, :])[0]:
                    found.append((i, j))
                rest = columns[j + 1 :]
                for totals in (pair[None, :] + rest, pair[None, :] - rest, rest - pair[None, :]):
                    found += [(i, j, j + 1 + int(c)) for c in np.flatnonzero(small_groups(totals))]
            if first and found:
                return found
    return found


def plan_for(frame: pd.DataFrame, prior: list[PriorRelease] | None = None, **kwargs: object):
    figures, groups, parents = teamscan.candidates(frame, breakdowns=True, **kwargs)  # type: ignore[arg-type]
    return plan_release(frame, figures, K, prior=prior or [], groups=groups, parents=parents)


def today_family(frame: pd.DataFrame) -> list[np.ndarray]:
    """The sets yesterday's team scan showed: each request judged alone by ``check_filters``."""
    sets = []
    groups: list[tuple[tuple[str, str], ...]] = [()]
    for name in teamscan.FILTERS:
        values = sorted(frame[name].dropna().astype(str).unique())
        groups += [((name, v),) for v in values]
    for a, b in itertools.combinations(list(teamscan.FILTERS), 2):
        for va in sorted(frame[a].dropna().astype(str).unique()):
            for vb in sorted(frame[b].dropna().astype(str).unique()):
                groups.append(((a, va), (b, vb)))
    for group in groups:
        if group and not check_filters(frame, list(group), K).allowed:
            continue
        mask = conditions_mask(frame, group)
        if mask.sum() < K:
            continue
        sets.append(mask)
        counts = {p: int((mask & (frame["profile"] == p).to_numpy()).sum()) for p in PROFILES}
        shown = suppress_breakdown(counts, K).counts
        sets += [mask & (frame["profile"] == p).to_numpy() for p, c in shown.items() if c]
        tech = mask & (frame[teamscan.TECH] == "1").to_numpy()
        if tech.sum() >= K:
            sets.append(tech)
        for s in teamscan.CAREER_SCALES:
            answered = mask & frame[s].notna().to_numpy()
            if answered.sum() >= K:
                sets.append(answered)
    return sets


def test_a_set_that_cuts_off_fewer_than_k_people_is_not_released() -> None:
    family = ReleasedFamily(12, K)
    family.add(np.array([True] * 6 + [False] * 6))
    assert family.admits(np.array([True] * 6 + [False] * 6))  # the same set again
    assert not family.admits(np.array([True] * 5 + [False] * 7))  # cuts 1 off the other side
    assert family.admits(np.zeros(12, dtype=bool))  # an empty set shows nothing


def test_small_atoms_are_fine_while_no_combination_reaches_them() -> None:
    """R&D (13: 6 women, 6 men, 1 non-binary) and Staf (20 + 5 non-binary). Department and
    gender each known: no sum or difference of "R&D", "women", "men" and the total isolates
    the non-binary person in R&D, so all three are released, and so is "R&D and women";
    "R&D and men" then would complete R&D − R&D∧women − R&D∧men."""
    department = np.array([True] * 13 + [False] * 25)
    women = np.array([True] * 6 + [False] * 7 + [True, False] * 10 + [False] * 5)
    men = np.array([False] * 6 + [True] * 6 + [False] + [False, True] * 10 + [False] * 5)
    family = ReleasedFamily(38, K)
    for mask in (department, women, men):
        assert family.admits(mask)
        family.add(mask)
    assert family.admits(department & women)
    family.add(department & women)
    assert not family.admits(department & men)


def test_total_minus_women_minus_men_is_a_group_too() -> None:
    """All non-binary people in R&D: 'everyone − women − men' is that one person."""
    department = np.array([True] * 13 + [False] * 20)
    women = np.array([True] * 6 + [False] * 7 + [True, False] * 10)
    men = np.array([False] * 6 + [True] * 6 + [False] + [False, True] * 10)
    family = ReleasedFamily(33, K)
    family.add(department)
    family.add(women)
    assert not family.admits(men)


def test_department_minus_its_women_minus_its_men_is_not_obtainable() -> None:
    """Attack (a): R&D has 6 women, 6 men and one non-binary colleague."""
    frame = pd.DataFrame(
        {
            "department": ["R&D"] * 13 + ["Staf"] * 20,
            "gender": ["woman"] * 6 + ["man"] * 6 + ["non_binary"] + ["woman", "man"] * 10,
        }
    )
    # Yesterday's rule allowed each of the three selections on its own.
    for filters in (
        [("department", "R&D")],
        [("department", "R&D"), ("gender", "woman")],
        [("department", "R&D"), ("gender", "man")],
    ):
        assert check_filters(frame, filters, K).allowed
    figures = [(), (("department", "R&D"),), (("gender", "woman"),), (("gender", "man"),)]
    figures += [(("department", "R&D"), ("gender", g)) for g in ("woman", "man")]
    plan = plan_release(frame, figures, K, groups=figures)
    shown = [f for f in figures[1:] if plan.allows(f)]
    assert isolating_combination(released_sets(frame, plan.released), K) is None
    assert len(shown) < 5
    three = [figures[1], figures[4], figures[5]]
    assert not all(plan.allows(f) for f in three)


def test_a_statistic_over_a_hidden_subgroup_obeys_the_same_rule() -> None:
    """Attack (b): the leave share is over those in the technical sector: 5 women and 1 man."""
    frame = pd.DataFrame(
        {
            "gender": ["woman"] * 10 + ["man"] * 10,
            "_tech": ["1"] * 5 + [None] * 5 + ["1"] + [None] * 9,
        }
    )
    figures = [(), (("_tech", "1"),), (("gender", "woman"),), (("gender", "woman"), ("_tech", "1"))]
    plan = plan_release(frame, figures, K, groups=[(), (("gender", "woman"),)])
    assert plan.allows(())
    assert plan.allows((("_tech", "1"),))
    # The women's leave share would be over 5 of the 6 in tech: it is not shown.
    assert not plan.allows((("gender", "woman"), ("_tech", "1")))


@pytest.mark.parametrize("seed", range(8))
def test_no_combination_of_a_releases_figures_isolates_fewer_than_k(seed: int) -> None:
    frame = simulated_campaign(seed, n=int(np.random.default_rng(seed).integers(40, 160)))
    plan = plan_for(frame, reliability_scales=())
    sets = released_sets(frame, plan.released)
    assert sets.shape[1] > 10, "the plan shows something"
    assert isolating_combination(sets, K) is None
    assert plan.allows(())


def test_a_campaign_without_missing_scale_scores_gets_its_departments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not a privacy claim but the point of the page: departments of 8% and more are offered.
    (Generated and most real responses have every career scale: a score needs half its items.)"""
    monkeypatch.setattr(f"{__name__}.MISSING", 0.0)
    frame = simulated_campaign(3, n=320)
    plan = plan_for(frame)
    assert all(plan.allows((("department", d),)) for d in ("R&D", "Productie", "Staf", "Lab"))
    assert isolating_combination(released_sets(frame, plan.released), K) is None


@pytest.mark.parametrize("seed", range(3))
def test_a_calculator_finds_no_small_group_in_subtractions_of_three(seed: int) -> None:
    frame = simulated_campaign(100 + seed, n=45)
    sets = released_sets(frame, plan_for(frame).released)
    assert subtraction_attacks(sets, K) == []


def test_the_checker_finds_the_leaks_of_yesterdays_per_request_rule() -> None:
    """The same checks on the figures yesterday's team scan showed find small groups."""
    frame = simulated_campaign(100, n=45)
    sets = np.column_stack(today_family(frame))
    assert isolating_combination(sets, K) is not None
    assert subtraction_attacks(sets, K, first=True)


@pytest.mark.parametrize("seed", range(4))
def test_a_new_release_cannot_be_differenced_with_the_one_before(seed: int) -> None:
    """Attack (c) across releases: the second release adds k..2k people; every figure of
    both releases together still isolates nobody (the first release's figures cover its own
    members only)."""
    rng = np.random.default_rng(seed)
    n_first = int(rng.integers(40, 90))
    n_new = int(rng.integers(K, 2 * K + 1))
    frame = simulated_campaign(200 + seed, n=n_first + n_new)
    first = frame.iloc[:n_first]
    plan_1 = plan_for(first)
    members = np.arange(len(frame)) < n_first
    plan_2 = plan_for(frame, [PriorRelease(members, sorted(plan_1.released))])
    sets_1 = released_sets(frame, plan_1.released) & members[:, None]
    sets_2 = released_sets(frame, plan_2.released)
    assert isolating_combination(np.column_stack([sets_1, sets_2]), K) is None
    # The whole campaign moves by the whole batch: at least k people.
    assert plan_2.allows(())


def test_without_the_earlier_release_as_prior_one_new_person_shows() -> None:
    """The same two releases planned each on their own do leak: the prior is what stops it."""
    leaks = 0
    for seed in range(4):
        rng = np.random.default_rng(seed)
        n_first = int(rng.integers(40, 90))
        frame = simulated_campaign(200 + seed, n=n_first + int(rng.integers(K, 2 * K + 1)))
        members = np.arange(len(frame)) < n_first
        sets_1 = released_sets(frame, plan_for(frame.iloc[:n_first]).released) & members[:, None]
        sets_2 = released_sets(frame, plan_for(frame).released)
        leaks += bool(subtraction_attacks(np.column_stack([sets_1, sets_2]), K, first=True))
    assert leaks > 0


def test_keys_are_order_free_and_round_trip() -> None:
    a = conditions_key([("gender", "woman"), ("department", "R&D")])
    assert a == conditions_key([("department", "R&D"), ("gender", "woman")])
    assert key_conditions(a) == (("department", "R&D"), ("gender", "woman"))


def test_a_population_under_k_shows_nothing() -> None:
    frame = simulated_campaign(1, n=K - 1)
    assert plan_for(frame).released == frozenset()


def test_new_only_admits_a_set_that_adds_no_small_combination_of_its_own() -> None:

    # Already shown (another page's figures): all 30 and 28 of them, so the other 2 follow.
    everyone = np.ones(30, dtype=bool)
    most = np.arange(30) >= 2
    # New: 10 of the 28, which adds nothing about the 2; and 27 of the 28, which isolates 1.
    harmless = (np.arange(30) >= 2) & (np.arange(30) < 12)
    isolating = np.arange(30) >= 3
    for new_only, expected in ((True, True), (False, False)):
        family = ReleasedFamily(30, 5, everyone_known=False, new_only=new_only)
        family.add(everyone)
        family.add(most)
        assert family.admits(harmless) is expected
        assert family.admits(isolating) is False
