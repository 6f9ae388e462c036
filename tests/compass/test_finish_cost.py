"""Finishing the questionnaire costs the same at the 2,000th respondent as at the 10th.

The norm group is kept as counts (koers.compass.norm_store); these tests count the
statements of a finish, check that none reads the other respondents' scores, and check the
numbers against a direct computation over every stored score (the way the norm was
computed before: numpy over the full matrix, ``norms.norm_position`` over the others).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from koers.compass import norm_store
from koers.compass.generate import generate_respondents
from koers.compass.models import CampaignNorm, ProfileAssignment, ResponseScores
from koers.compass.norms import norm_position
from koers.compass.profiles import calibrated_probabilities, load_profiles
from koers.compass.services import facet_ids, profile_facets, score_responses
from koers.instruments import scoring_key
from koers.stats.scales import score_scales, scoring_key_fingerprint
from koers.surveys import links
from koers.surveys.models import Campaign, Response
from tests.compass.conftest import add_generated, finished_respondent


def _bulk_finished(campaign: Campaign, n: int, seed: int) -> None:
    """n finished respondents with stored scores only (fast: no answers, no assignment)."""
    instrument = campaign.instrument()
    people = generate_respondents(instrument, n, seed=seed)
    frame = pd.DataFrame([p.answers for p in people]).apply(pd.to_numeric, errors="coerce")
    scores = score_scales(frame, scoring_key(instrument))
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(
                    campaign=campaign,
                    access_hash=links.response_hash(links.new_secret()),
                    instrument_version=campaign.instrument_version,
                    finished_on=campaign.opens_on,
                )
                for _ in range(n)
            ]
        )
        ResponseScores.objects.bulk_create(
            [
                ResponseScores(
                    response=r,
                    fingerprint=fingerprint,
                    values={k: (None if pd.isna(v) else float(v)) for k, v in row.items()},
                )
                for r, (_, row) in zip(responses, scores.iterrows(), strict=True)
            ]
        )
    CampaignNorm.objects.filter(campaign=campaign).delete()  # rebuilt on the next finish


def _finish_queries(campaign: Campaign, seed: int) -> list[str]:
    from koers.surveys import services

    finished_respondent(campaign, seed=seed)  # the first finish after the bulk load rebuilds
    instrument = campaign.instrument()
    started = services.start_open_response(campaign, "nl")
    for item_id, value in generate_respondents(instrument, 1, seed=seed)[0].answers.items():
        services.save_answer(started.response, instrument, item_id, value, 0)
    with CaptureQueriesContext(connection) as captured:
        services.finish_response(started.response, started.secret)
    assert ProfileAssignment.objects.filter(response=started.response).exists()
    return [q["sql"] for q in captured.captured_queries]


def _reads_every_score(sql: str) -> bool:
    """A statement over the campaign's stored scores (not one response's row)."""
    return "compass_responsescores" in sql.lower() and "campaign_id" in sql.lower()


def test_a_finish_makes_as_many_statements_at_2000_as_at_10(campaign: Campaign) -> None:
    _bulk_finished(campaign, 10, seed=1)
    small = _finish_queries(campaign, seed=50)
    _bulk_finished(campaign, 1990, seed=2)
    large = _finish_queries(campaign, seed=60)
    assert Response.objects.filter(campaign=campaign, finished_on__isnull=False).count() == 2004
    assert len(large) == len(small), (len(small), len(large))
    print(f"statements per finish: {len(small)} at 10, {len(large)} at 2,000")
    # Not one of them reads the other respondents' scores: the counts stand in for them.
    assert not [q for q in small + large if _reads_every_score(q)]


def test_bulk_scoring_and_assignment_make_a_fixed_number_of_statements(
    campaign: Campaign,
) -> None:
    counts = []
    for n, seed in ((5, 3), (60, 4)):
        responses = add_generated(campaign, n, seed=seed)
        for response in responses:
            response.finished_on = campaign.opens_on
        with CaptureQueriesContext(connection) as captured:
            score_responses(responses)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _facets_matrix(values: list[dict[str, Any]], facets: list[str]) -> np.ndarray:
    return np.array([[np.nan if v.get(f) is None else v[f] for f in facets] for v in values])


def test_the_counts_give_the_numbers_of_the_full_norm_group(campaign: Campaign) -> None:
    # 310 generated with real answers, some with a facet left unanswered, then one
    # finishing through the service.
    add_generated(campaign, 300, seed=11)
    instrument = campaign.instrument()
    facets = facet_ids(instrument)
    unanswered = dict.fromkeys(scoring_key(instrument)[facets[0]].items)
    add_generated(campaign, 10, seed=12, **unanswered)
    started = finished_respondent(campaign, seed=13)
    me = started.response

    stored = dict(
        ResponseScores.objects.filter(response__campaign=campaign).values_list(
            "response_id", "values"
        )
    )
    assert len(stored) == 311
    assert sum(v[facets[0]] is None for v in stored.values()) == 10
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    norm = norm_store.current(campaign, fingerprint, facets)

    # The finished person's stored assignment: the reference model on the signatures'
    # scale (x − 4) / 1.25, whatever the campaign's own means (issue 13, point 3).
    profiles = load_profiles()
    used = profile_facets(instrument)
    z = (_facets_matrix([stored[me.pk]], used) - 4.0) / 1.25
    assignment = ProfileAssignment.objects.get(response=me)
    expected = profiles.reference_model(used).predict_proba(z)[0]
    np.testing.assert_allclose(assignment.posteriors, expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        assignment.calibrated, calibrated_probabilities(z, used, profiles)[0], atol=1e-9
    )

    # Percentiles: identical to norm_position over the others (the person left out).
    own = stored[me.pk]
    for scale_id, score in own.items():
        others = [v.get(scale_id) for pk, v in stored.items() if pk != me.pk]
        direct = norm_position(score, [np.nan if o is None else o for o in others])
        counted = norm_store.position(
            score, norm.scale_counts.get(scale_id, {}), own=None if score is None else score
        )
        assert counted == direct, scale_id
    assert norm_store.position(4.0, {"4.0": 200}, own=4.0) == norm_position(4.0, [4.0] * 199)


def test_a_deleted_response_leaves_the_counts(campaign: Campaign) -> None:
    from koers.surveys.services import delete_response

    add_generated(campaign, 20, seed=21)
    started = finished_respondent(campaign, seed=22)
    instrument = campaign.instrument()
    facets = facet_ids(instrument)
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    before = norm_store.current(campaign, fingerprint, facets)
    total = sum(before.scale_counts[facets[0]].values())
    assert total == 21
    delete_response(started.response, started.secret)
    assert not CampaignNorm.objects.filter(campaign=campaign).exists()
    after = norm_store.current(campaign, fingerprint, facets)
    assert sum(after.scale_counts[facets[0]].values()) == 20


@pytest.mark.parametrize("sign", [1, -1])
def test_changing_counts_round_trips(sign: int) -> None:
    norm = CampaignNorm(fingerprint="x", facets=["a", "b"])
    norm_store.change(norm, {"a": 2.5, "b": 3.0, "c": None}, 1)
    norm_store.change(norm, {"a": 2.5, "b": None}, 1)
    assert norm.scale_counts == {"a": {"2.5": 2}, "b": {"3.0": 1}}
    norm_store.change(norm, {"a": 2.5, "b": 3.0, "c": None}, -1 if sign < 0 else 1)
    assert norm.scale_counts["a"] == ({"2.5": 1} if sign < 0 else {"2.5": 3})
