"""The recommendation rules, on hand-made findings and on a seeded simulation."""

from __future__ import annotations

import random

import pytest

from koers.plan.catalogue import EFFORTS, known_findings, load_catalogue
from koers.plan.recommend import recommend


def test_an_organisation_without_findings_gets_no_suggestions() -> None:
    result = recommend({})
    assert result.items == ()
    assert result.no_findings


def test_findings_of_strength_zero_count_as_no_findings() -> None:
    result = recommend({"part_time_outflow": 0.0, "adjusted_gap": 0})
    assert result.no_findings
    assert result.items == ()


def test_one_finding_suggests_exactly_the_measures_that_list_it_lowest_effort_first() -> None:
    # Worked by hand from data/measures.yaml: part_time_outflow is listed by four
    # measures, all addressing work_family; flexible_work is the only low-effort one,
    # the other three are medium and keep the catalogue's order.
    result = recommend({"part_time_outflow"})
    assert [r.measure.id for r in result.items] == [
        "flexible_work",
        "part_time_work",
        "parental_leave_men",
        "childcare_and_barriers",
    ]
    first = result.items[0]
    assert first.score == 1.0
    assert [b.finding for b in first.because] == ["part_time_outflow"]
    assert first.because[0].reasons == ("work_family",)
    assert first.reasons == ("work_family",)


def test_a_measure_answering_two_findings_ranks_above_one_answering_one() -> None:
    result = recommend({"promotion_rate_women_lower", "leaky_pipeline"})
    scores = {r.measure.id: r.score for r in result.items}
    assert scores["check_readiness"] == 2.0  # lists both
    assert scores["mentoring"] == 1.0  # lists only the promotion finding
    ids = [r.measure.id for r in result.items]
    assert ids.index("check_readiness") < ids.index("mentoring")


def test_a_signal_counts_half_a_finding() -> None:
    result = recommend({"outflow_women_higher": 0.5, "part_time_outflow": 1.0})
    scores = {r.measure.id: r.score for r in result.items}
    assert scores["lactation_room"] == 0.5  # lists only the outflow signal
    assert scores["part_time_work"] == 1.5  # lists both
    assert result.items[0].because[0].finding == "part_time_outflow"  # strongest first


def test_the_reasons_given_are_those_the_finding_and_the_measure_share() -> None:
    # outflow_women_higher points to not_at_home and gender_bias (the scan's rule);
    # parental_leave_men addresses work_family and gender_bias: they share gender_bias.
    result = recommend({"outflow_women_higher"})
    leave = next(r for r in result.items if r.measure.id == "parental_leave_men")
    assert leave.because[0].reasons == ("gender_bias",)


def test_measures_in_the_plan_are_marked_and_keep_their_place() -> None:
    findings = {"hires_share_low": 1.0, "recruitment.no_pay_range": 0.5}
    without = recommend(findings)
    planned = [without.items[0].measure.id, without.items[3].measure.id]
    marked = recommend(findings, planned=planned)
    assert [r.measure.id for r in marked.items] == [r.measure.id for r in without.items]
    assert [r.measure.id for r in marked.items if r.in_plan] == planned


def test_a_finding_no_measure_lists_is_reported_not_dropped_silently() -> None:
    result = recommend({"not_a_real_finding"})
    assert result.items == ()
    assert result.unmatched == ("not_a_real_finding",)
    assert not result.no_findings


def test_a_negative_strength_is_refused() -> None:
    with pytest.raises(ValueError, match="adjusted_gap"):
        recommend({"adjusted_gap": -1})


@pytest.mark.parametrize("seed", range(20))
def test_simulated_findings_give_a_deterministic_ranking_driven_only_by_findings(
    seed: int,
) -> None:
    """Random organisations: a random subset of the known findings with random strengths.

    The ranking must not depend on the order the findings come in or on the plan; every
    suggested measure lists a present finding, every measure listing one is suggested,
    the scores are the sums of strengths and never increase down the list."""
    rng = random.Random(seed)
    codes = sorted(known_findings())
    chosen = rng.sample(codes, rng.randint(0, len(codes)))
    findings = {code: rng.choice([0.5, 1.0]) for code in chosen}

    result = recommend(findings)
    shuffled = dict(rng.sample(list(findings.items()), len(findings)))
    planned = rng.sample(load_catalogue().ids(), 5)
    again = recommend(shuffled, planned=planned)
    assert [(r.measure.id, r.score) for r in again.items] == [
        (r.measure.id, r.score) for r in result.items
    ]

    expected = {
        m.id: sum(findings.get(c, 0.0) for c in m.findings)
        for m in load_catalogue().measures
        if any(c in findings for c in m.findings)
    }
    assert {r.measure.id: r.score for r in result.items} == pytest.approx(expected)
    scores = [r.score for r in result.items]
    assert scores == sorted(scores, reverse=True)
    for r in result.items:
        assert r.because, r.measure.id
        assert all(b.finding in findings for b in r.because)
        assert r.measure.effort in EFFORTS
    assert result.no_findings == (not findings)
    if not findings:
        assert result.items == ()


def test_strengthening_a_finding_never_lowers_a_measure_that_lists_it() -> None:
    rng = random.Random(7)
    codes = sorted(known_findings())
    for _ in range(30):
        findings = {c: 0.5 for c in rng.sample(codes, 4)}
        code = next(iter(findings))
        before = recommend(findings)
        after = recommend({**findings, code: 1.0})
        for m in (r.measure for r in before.items if code in r.measure.findings):
            rank_before = [r.measure.id for r in before.items].index(m.id)
            rank_after = [r.measure.id for r in after.items].index(m.id)
            assert rank_after <= rank_before, (m.id, code)
