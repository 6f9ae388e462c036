"""Scoring on finish, the personal report, sharing, team scan privacy and deletion."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from koers.compass import releases
from koers.compass.models import ProfileAssignment, ReportShare, ResponseScores
from koers.compass.teamscan import build_context as build_scan
from koers.organisations.models import Membership, Role
from koers.surveys import links, services
from koers.surveys.models import Campaign
from tests.compass.conftest import add_generated, finished_respondent
from tests.pdftext import fetch_pdf, is_tagged
from tests.surveys.conftest import hold_cookie, open_link


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
    response = client.post(
        reverse("respond_finish", kwargs={"slot": open_link(client, started.secret)})
    )
    assert response["Location"] == reverse(
        "compass_report", kwargs={"slot": open_link(client, started.secret)}
    )


def test_the_report_reads_well_and_downloads_as_pdf(client: Any, campaign: Any) -> None:
    started = finished_respondent(campaign)
    page = client.get(reverse("compass_report", kwargs={"slot": open_link(client, started.secret)}))
    html = page.content.decode()
    assert "Je profiel" in html
    assert "Wat kun je nu doen?" in html
    assert "Verwijder mijn antwoorden" in html
    pdf = client.get(
        reverse("compass_report_pdf", kwargs={"slot": open_link(client, started.secret)})
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "no-store" in pdf["Cache-Control"]  # a personal report stays in no cache
    assert is_tagged(pdf.content)  # for screen readers


def test_the_report_is_not_reachable_without_the_link(client: Any, campaign: Any) -> None:
    started = finished_respondent(campaign)
    slot = links.slot_of(started.secret)
    url = reverse("compass_report", kwargs={"slot": slot})
    assert client.get(url).status_code == 404  # the slot is no key: the cookie is
    assert (
        client.get(
            reverse("compass_report", kwargs={"slot": hold_cookie(client, "x" * 43)})
        ).status_code
        == 404
    )
    client.cookies[links.cookie_name(slot)] = "x" * 43  # a guess in the right slot's cookie
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("respond_legacy", kwargs={"credential": "x" * 43, "rest": "rapport/"})
        ).status_code
        == 404
    )


def _recipient(client: Any, slot: str, label: str) -> str:
    """The opaque value the share form posts for the person shown as ``label``."""
    html = client.get(reverse("compass_report", kwargs={"slot": slot})).content.decode()
    found = re.search(rf'<option value="([^"]+)">{re.escape(label)}</option>', html)
    assert found, html
    return found.group(1)


def test_the_share_list_shows_names_and_roles_but_no_addresses_or_user_ids(
    client: Any, campaign: Any, member_of: Any
) -> None:
    """An anonymous respondent must not learn HR's login names (e-mail) or account ids."""
    named, unnamed = member_of(Role.HR_ANALYST), member_of(Role.ADMIN)
    named.first_name, named.last_name = "Fatima", "Zahra"
    named.save()
    started = finished_respondent(campaign)
    html = client.get(f"/r/{started.secret}/rapport/", follow=True).content.decode()
    assert "@" not in html
    for user in (named, unnamed):
        assert user.email not in html
        assert f'value="{user.pk}"' not in html
    assert "Fatima Zahra (HR-analist)" in html
    assert ">Organisatiebeheerder</option>" in html
    values = re.findall(r'<option value="([^"]+)"', html)
    assert len(values) == 2
    assert not any(v.isdigit() for v in values)


def test_a_report_is_visible_only_to_the_person_it_was_shared_with(
    client: Any, campaign: Any, member_of: Any
) -> None:
    chosen, other = member_of(Role.HR_ANALYST), member_of(Role.ADMIN)
    started = finished_respondent(campaign)
    slot = open_link(client, started.secret)
    client.post(
        reverse("compass_share", kwargs={"slot": slot}),
        {"recipient": _recipient(client, slot, "HR-analist")},
    )
    share = ReportShare.objects.get()
    assert share.user == chosen
    url = reverse("compass_shared_report", kwargs={"org": "alpha", "pk": share.pk})
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(chosen)
    assert client.get(url).status_code == 200
    client.logout()  # the test client drops every cookie: the respondent opens the link again
    slot = open_link(client, started.secret)
    withdraw = reverse("compass_withdraw", kwargs={"slot": slot})
    asked = client.post(withdraw, {"share": share.pk}).content.decode()
    assert "Delen intrekken?" in asked  # the first post only asks
    assert ReportShare.objects.filter(pk=share.pk).exists()
    done = client.post(withdraw, {"share": share.pk, "confirm": "yes"}, follow=True)
    assert "Je rapport is niet meer gedeeld met" in done.content.decode()
    client.force_login(chosen)
    assert client.get(url).status_code == 404


def test_a_report_cannot_be_shared_with_someone_outside_hr(
    client: Any, campaign: Any, member_of: Any, charlie: Any
) -> None:
    from koers.compass.respond_views import _recipient_key

    manager = member_of(Role.MANAGER)
    started = finished_respondent(campaign)
    url = reverse("compass_share", kwargs={"slot": open_link(client, started.secret)})
    for user in (manager, charlie):
        # Even a value made the way the server makes them (it would need the link key).
        forged = _recipient_key(started.response, Membership.objects.get(user=user))
        for value in (str(user.pk), forged):
            client.post(url, {"recipient": value, "user": user.pk})
    assert not ReportShare.objects.exists()


def test_withdrawing_with_a_forged_share_number_is_not_a_crash(client: Any, campaign: Any) -> None:
    started = finished_respondent(campaign)
    report = client.get(f"/r/{started.secret}/rapport/", follow=True)
    url = report.request["PATH_INFO"].replace("/rapport/", "/niet-delen/")
    for forged in (str(10**30), "²", "-1", ""):
        assert client.post(url, {"share": forged}).status_code == 302, forged


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
        reverse("respond_delete", kwargs={"slot": open_link(client, started.secret)}),
        {"confirm": "yes"},
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


def test_the_team_scan_pdf_renders(
    client: Any, campaign: Any, member_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    add_generated(campaign, 10, seed=9)
    client.force_login(member_of(Role.MANAGER))
    pdf = fetch_pdf(
        client,
        reverse("compass_scan_pdf", kwargs={"org": "alpha", "pk": campaign.pk}),
        django_capture_on_commit_callbacks,
    )
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "no-store"
    assert is_tagged(pdf.content)


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
    html = client.get(reverse("compass_report", kwargs={"slot": open_link(client, started.secret)}))
    text = html.content.decode()
    assert '<html lang="en">' in text
    for english in (
        "Your profile",
        "What can you do now?",
        "Delete my answers",
        "This profile is an estimate",
        "None of these profiles",
    ):
        assert english in text
    for dutch in (
        "Je profiel",
        "Wat kun je nu doen?",
        "Verwijder mijn antwoorden",
        "Dit profiel is een schatting",
        "Geen van deze profielen",
    ):
        assert dutch not in text


# Issue 13 ("Results people can trust"): certainty, stigma message, percentiles.


def _respondent_with(campaign: Any, answers: dict[str, Any]) -> services.Started:
    """A respondent who answered like a generated person, with ``answers`` overriding."""
    from koers.compass.generate import generate_respondents

    instrument = campaign.instrument()
    person = generate_respondents(instrument, 1, seed=99)[0]
    started = services.start_open_response(campaign, "nl")
    for item_id, value in {**person.answers, **answers}.items():
        services.save_answer(started.response, instrument, item_id, value, 0)
    services.finish_response(started.response, started.secret)
    return started


def _report(client: Any, started: services.Started) -> str:
    url = reverse("compass_report", kwargs={"slot": open_link(client, started.secret)})
    return str(client.get(url).content.decode())


STIGMA_ITEMS = [f"gender_stigma_{i}" for i in range(1, 5)]


def test_a_neutral_stigma_score_gets_no_care_message(client: Any, campaign: Any) -> None:
    started = _respondent_with(campaign, {"gender": "woman", **dict.fromkeys(STIGMA_ITEMS, 4)})
    assert ResponseScores.objects.get(response=started.response).values["gender_stigma"] == 4.0
    html = _report(client, started)
    assert "Dat ligt niet aan jou" not in html
    assert "rond het midden" in html


def test_the_stigma_message_makes_no_research_claim_for_men(client: Any, campaign: Any) -> None:
    started = _respondent_with(campaign, {"gender": "man", **dict.fromkeys(STIGMA_ITEMS, 6)})
    html = _report(client, started)
    assert "Dat ligt niet aan jou" in html
    assert "vrouwen in de techniek" not in html
    assert "techniek verlaten" not in html


def test_the_stigma_message_for_women_says_what_the_research_found(
    client: Any, campaign: Any
) -> None:
    started = _respondent_with(campaign, {"gender": "woman", **dict.fromkeys(STIGMA_ITEMS, 6)})
    html = _report(client, started)
    assert "vrouwen in de techniek dit vaker ervaren dan mannen" in html
    assert "techniek verlaten" not in html


def test_the_respondent_is_not_in_their_own_norm_group(client: Any, campaign: Any) -> None:
    from scipy.stats import percentileofscore

    from koers.compass.norms import MIN_NORM_OTHERS
    from koers.compass.report import build_context

    add_generated(campaign, MIN_NORM_OTHERS - 1)
    started = finished_respondent(campaign)  # with them MIN_NORM_OTHERS people, one is "me"
    context = build_context(started.response, "nl")
    assert all(f["norm"] is None for e in context["elements"] for f in e["facets"])
    assert f"zodra minstens {MIN_NORM_OTHERS} anderen meededen" in _report(client, started)

    add_generated(campaign, 1, seed=8)
    context = build_context(started.response, "nl")
    mine = ResponseScores.objects.get(response=started.response).values["extraversion"]
    others = [
        v["extraversion"]
        for v in ResponseScores.objects.filter(response__campaign=campaign)
        .exclude(response=started.response)
        .values_list("values", flat=True)
    ]
    facet = next(f for e in context["elements"] for f in e["facets"] if f["id"] == "extraversion")
    assert facet["norm"].n_others == len(others) == MIN_NORM_OTHERS
    weak = percentileofscore(others, mine, kind="weak")
    assert 100 * facet["norm"].share == pytest.approx(weak)
    assert facet["norm"].low_percent <= weak <= facet["norm"].high_percent
    html = _report(client, started)
    low, high = facet["norm"].low_percent, facet["norm"].high_percent
    assert f"hoger dan of even hoog als ongeveer {low}–{high}% van de anderen" in html


def test_the_reference_report_says_the_profile_is_an_estimate_with_a_chart(
    client: Any, campaign: Any
) -> None:
    started = finished_respondent(campaign)
    assignment = ProfileAssignment.objects.get(response=started.response)
    assert len(assignment.calibrated) == len(assignment.names) + 1
    assert sum(assignment.calibrated) == pytest.approx(1.0)
    html = _report(client, started)
    assert "Dit profiel is een schatting" in html
    assert '<figure class="certainty-chart"' in html
    assert "<details" not in html  # certainty is on the page, not in a closed box
    assert "Geen van deze profielen" in html
    assignment.model_label = "fitted-v1"
    assignment.save()
    assert "Dit profiel is een schatting" not in _report(client, started)


def test_a_blend_gets_a_blend_text_and_the_advice_of_both(client: Any, campaign: Any) -> None:
    from koers.compass.texts import profile_texts

    started = finished_respondent(campaign)
    assignment = ProfileAssignment.objects.get(response=started.response)
    keys = [n["key"] for n in assignment.names]
    calibrated = [0.02] * len(keys) + [0.04]
    calibrated[keys.index("nerd")], calibrated[keys.index("einzelganger")] = 0.44, 0.44
    assignment.calibrated = calibrated
    assignment.save()
    html = _report(client, started)
    assert "Je antwoorden liggen tussen twee profielen in" in html
    for key in ("nerd", "einzelganger"):
        text = profile_texts().profiles[key]
        assert text.typical[0].text["nl"] in html
        assert text.next_steps[0].text["nl"] in html


def test_the_data_download_has_the_calibrated_probabilities(campaign: Any) -> None:
    from koers.compass.services import derived_data

    started = finished_respondent(campaign)
    profile = derived_data(started.response)["profile"]
    assert profile is not None
    assert len(profile["calibrated_probabilities"]) == len(profile["profiles"]) + 1
