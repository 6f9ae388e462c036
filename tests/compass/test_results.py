"""Scoring on finish, the personal report, sharing, team scan privacy and deletion."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from koers.compass import releases
from koers.compass.models import ProfileAssignment, ReportShare, ResponseScores
from koers.compass.scan import build_context as build_scan
from koers.organisations.models import Role
from koers.surveys import services
from koers.surveys.models import Campaign
from tests.compass.conftest import add_generated, finished_respondent


def test_finishing_scores_and_profiles_the_response(campaign: Any) -> None:
    started = finished_respondent(campaign)
    scores = ResponseScores.objects.get(response=started.response).values
    assert 1 <= scores["extraversion"] <= 7
    assignment = ProfileAssignment.objects.get(response=started.response)
    assert assignment.model_label == "reference"
    assert sum(assignment.posteriors) == pytest.approx(1.0)


def test_scores_use_reverse_keys_and_the_missing_rule(campaign: Any) -> None:
    instrument = campaign.instrument()
    started = services.start_open_response(campaign, "nl")
    items = instrument.scale_items("extraversion")
    assert any(i.reverse for i in items)
    assert any(not i.reverse for i in items)
    for item in items:  # 7 on every forward item, 1 on every reverse item: all mean 7
        services.save_answer(started.response, instrument, item.id, 1 if item.reverse else 7, 0)
    conscientious = instrument.scale_items("conscientiousness")
    assert len(conscientious) >= 3  # one answer is less than half: the score is missing
    services.save_answer(started.response, instrument, conscientious[0].id, 5, 0)
    services.finish_response(started.response, started.secret)
    scores = ResponseScores.objects.get(response=started.response).values
    assert scores["extraversion"] == 7.0
    assert scores["conscientiousness"] is None
    assert scores["sport"] is None  # nothing answered: missing, not 0


def test_the_report_is_shown_right_after_finishing(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    response = client.post(reverse("respond_finish", kwargs={"credential": started.secret}))
    assert response["Location"] == reverse("compass_report", kwargs={"credential": started.secret})


def test_the_report_reads_well_and_downloads_as_pdf(client: Any, campaign: Any) -> None:
    started = finished_respondent(campaign)
    page = client.get(reverse("compass_report", kwargs={"credential": started.secret}))
    html = page.content.decode()
    assert "Je profiel" in html
    assert "Wat kun je nu doen?" in html
    assert "Verwijder mijn antwoorden" in html
    pdf = client.get(reverse("compass_report_pdf", kwargs={"credential": started.secret}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_report_is_not_reachable_without_the_link(client: Any, campaign: Any) -> None:
    finished_respondent(campaign)
    assert client.get(reverse("compass_report", kwargs={"credential": "x" * 43})).status_code == 404


def test_a_report_is_visible_only_to_the_person_it_was_shared_with(
    client: Any, campaign: Any, member_of: Any
) -> None:
    chosen, other = member_of(Role.HR_ANALYST), member_of(Role.ADMIN)
    started = finished_respondent(campaign)
    client.post(
        reverse("compass_share", kwargs={"credential": started.secret}), {"user": chosen.pk}
    )
    share = ReportShare.objects.get()
    url = reverse("compass_shared_report", kwargs={"org": "alpha", "pk": share.pk})
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(chosen)
    assert client.get(url).status_code == 200
    client.logout()
    client.post(
        reverse("compass_withdraw", kwargs={"credential": started.secret}), {"share": share.pk}
    )
    client.force_login(chosen)
    assert client.get(url).status_code == 404


def test_a_report_cannot_be_shared_with_someone_outside_hr(
    client: Any, campaign: Any, member_of: Any, charlie: Any
) -> None:
    manager = member_of(Role.MANAGER)
    started = finished_respondent(campaign)
    for user in (manager, charlie):
        client.post(
            reverse("compass_share", kwargs={"credential": started.secret}), {"user": user.pk}
        )
    assert not ReportShare.objects.exists()


def scan_of(campaign: Any, filters: list[tuple[str, str]]) -> dict[str, Any]:
    """The team scan as its page builds it: loader, then the pure build_context."""
    loaded = releases.load(campaign)
    return build_scan(
        loaded.frame,
        discloser=loaded.discloser,
        filters=filters,
        language="nl",
        breakdowns=loaded.breakdowns,
    )


def invitations(campaign: Any) -> Any:
    campaign.mode = Campaign.Mode.INVITATIONS
    campaign.save()
    return campaign


def test_the_team_scan_refuses_a_group_under_k(campaign: Any) -> None:
    invitations(campaign)
    add_generated(campaign, 8, seed=1, department="R&D")
    add_generated(campaign, 4, seed=2, department="Staf")
    scan = scan_of(campaign, [("department", "Staf")])
    assert not scan["decision"]["allowed"]
    assert scan["decision"]["reason"] == "refused"
    assert scan["group"] is None
    assert "Staf" not in scan["options"]["department"]


def test_two_allowed_filters_cannot_be_subtracted_to_reveal_a_small_group(campaign: Any) -> None:
    """R&D has 9 people, 7 of them women: 'R&D' minus 'R&D & women' would show 2 men."""
    invitations(campaign)
    add_generated(campaign, 7, seed=1, department="R&D", gender="woman")
    add_generated(campaign, 2, seed=2, department="R&D", gender="man")
    add_generated(campaign, 20, seed=3, department="Staf", gender="man")
    combined = scan_of(campaign, [("department", "R&D"), ("gender", "woman")])
    alone = scan_of(campaign, [("department", "R&D")])
    assert combined["group"] is None or alone["group"] is None


@override_settings(KOERS_MIN_GROUP_SIZE=5)
def test_small_profile_cells_are_suppressed_in_the_scan(campaign: Any) -> None:
    invitations(campaign)
    add_generated(campaign, 30, seed=5)
    rows = scan_of(campaign, [])["whole"]["profiles"]
    shown = [r["count"] for r in rows if r["count"] is not None and r["count"] > 0]
    assert all(c >= 5 for c in shown)
    hidden = [r for r in rows if r["count"] is None]
    assert len(hidden) != 1


def test_a_deleted_response_leaves_every_aggregate(client: Any, campaign: Any) -> None:
    invitations(campaign)
    add_generated(campaign, 10, seed=8)
    started = finished_respondent(campaign)
    before = scan_of(campaign, [])["whole"]["n"]
    client.post(
        reverse("respond_delete", kwargs={"credential": started.secret}), {"confirm": "yes"}
    )
    assert scan_of(campaign, [])["whole"]["n"] == before - 1
    assert not ResponseScores.objects.filter(response_id=started.response.pk).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.HR_ANALYST, 200),
        (Role.WORKS_COUNCIL, 403),
        (Role.CONFIDENTIAL_ADVISER, 403),
    ],
)
def test_who_sees_the_team_scan(
    client: Any, campaign: Any, member_of: Any, role: str, status: int
) -> None:
    client.force_login(member_of(role))
    url = reverse("compass_scan", kwargs={"org": "alpha", "pk": campaign.pk})
    assert client.get(url).status_code == status


def test_the_team_scan_pdf_renders(client: Any, campaign: Any, member_of: Any) -> None:
    add_generated(campaign, 10, seed=9)
    client.force_login(member_of(Role.MANAGER))
    pdf = client.get(reverse("compass_scan_pdf", kwargs={"org": "alpha", "pk": campaign.pk}))
    assert pdf.content.startswith(b"%PDF")


def test_researchers_see_reliability_per_scale_with_n(
    client: Any, campaign: Any, member_of: Any
) -> None:
    import numpy as np
    import pandas as pd

    from koers.compass.services import answers_frame
    from koers.stats.scales import cronbach_alpha, keyed_items

    invitations(campaign)
    add_generated(campaign, 40, seed=12)
    client.force_login(member_of(Role.RESEARCHER))
    page = client.get(reverse("compass_profiles", kwargs={"org": "alpha", "pk": campaign.pk}))
    rows = {r["label"]: r for r in page.context["reliability"]}
    instrument = campaign.instrument()
    extraversion = rows[instrument.scale("extraversion").label.get("nl")]
    assert extraversion["n"] == 40
    # Independent alpha: k/(k−1)·(1 − Σ item variances / variance of the sum), reverse keyed.
    from koers.instruments import scoring_key

    items = keyed_items(
        answers_frame(list(campaign.responses.all()), instrument),
        scoring_key(instrument)["extraversion"],
    ).dropna()
    k = items.shape[1]
    expected = k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert extraversion["alpha"] == pytest.approx(expected)
    assert extraversion["alpha"] == pytest.approx(cronbach_alpha(items).value)
    assert isinstance(items, pd.DataFrame)
    assert np.isfinite(expected)
    assert extraversion["flag"] == (
        extraversion["alpha"] < 0.6 or (extraversion["omega"] or 1) < 0.6
    )


def test_the_report_is_complete_in_english(client: Any, campaign: Any) -> None:
    started = finished_respondent(campaign)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("compass_report", kwargs={"credential": started.secret}))
    text = html.content.decode()
    assert '<html lang="en">' in text
    for english in ("Your profile", "What can you do now?", "Delete my answers"):
        assert english in text
    for dutch in ("Je profiel", "Wat kun je nu doen?", "Verwijder mijn antwoorden"):
        assert dutch not in text
