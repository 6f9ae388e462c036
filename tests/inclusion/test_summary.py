"""The inclusion summary for the works council and all employees, and its public link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from koers.inclusion import results, summary
from koers.inclusion.demo import load_demo_inclusion
from koers.inclusion.generate import OPEN_TEXTS, generate_answers
from koers.inclusion.models import RoundRelease, SummaryLink
from koers.inclusion.services import results_context
from koers.instruments import get_instrument, scoring_key
from koers.lib import hooks
from koers.organisations.models import Role
from koers.stats.release import conditions_key
from koers.surveys import links
from koers.surveys.models import Answer, Campaign, Response


def _url(org: Any) -> str:
    return reverse("inclusion_summary", kwargs={"org": org.slug})


def _link_url(org: Any) -> str:
    return reverse("inclusion_summary_link", kwargs={"org": org.slug})


def _public(secret: str) -> str:
    return reverse("inclusion_summary_public", kwargs={"token": secret})


def _closed_round(org: Any, n_women: int, n_men: int, *, mode: str, seed: int = 5) -> Campaign:
    """A closed round with generated answers (women's psychological safety planted lower)."""
    campaign = Campaign.objects.create(
        organisation=org,
        name=f"Ronde {seed}",
        instrument_key="inclusion",
        instrument_version=1,
        mode=mode,
        opens_on=dt.date(2026, 3, 1),
        closes_on=dt.date(2026, 3, 31),
        closed=True,
        closed_on=dt.date(2026, 3, 31),
    )
    people = generate_answers(n_women, n_men, 0, {"psych_safety": -1.2}, seed)
    for answers in people:
        response = Response.objects.create(
            campaign=campaign,
            access_hash=links.response_hash(links.new_secret()),
            instrument_version=1,
            started_on=campaign.opens_on,
            finished_on=campaign.opens_on,
        )
        Answer.objects.bulk_create(
            [Answer(response=response, item_id=i, value=v) for i, v in answers.items()]
        )
    return campaign


@pytest.fixture
def works_council(member_of: Any) -> Any:
    return member_of(Role.WORKS_COUNCIL)


@pytest.fixture
def hr(member_of: Any) -> Any:
    return member_of(Role.HR_ANALYST)


@pytest.mark.django_db
def test_the_demo_summary_says_in_plain_words_where_women_score_clearly_lower(
    org_a: Any, works_council: Any, client: Any
) -> None:
    load_demo_inclusion(org_a)
    client.force_login(works_council)
    page = client.get(_url(org_a))
    assert page.status_code == 200
    text = page.content.decode()
    # Round 2026: masculine culture clearly less favourable for women (women score higher
    # on a scale where low is good); psychological safety narrowed since 2025.
    assert "Vrouwen scoren duidelijk hoger dan mannen op mannelijke cultuur" in text
    assert "ongunstiger voor vrouwen" in text
    assert "Het verschil op psychologische veiligheid is duidelijk kleiner geworden" in text
    # Never open answers, their themes, item shares or reliability.
    for hidden in [*OPEN_TEXTS, "Flexibiliteit en werktijden", "alfa", "Aandeel eens"]:
        assert hidden not in text
    # Per group only scales clear in the whole organisation: no chance finding per group.
    assert "ervaren genderstigma" not in text.split('id="groups"')[1]


@pytest.mark.django_db
def test_every_sentence_follows_a_gap_the_hr_page_shows(org_a: Any) -> None:
    load_demo_inclusion(org_a)
    hr_rows = {row["scale"]: row for row in results_context(org_a)["latest"]["scales"]}
    words = summary.build_summary(org_a)["latest"]
    clear = [row for row in hr_rows.values() if row["shown"] and row["worse_for_women"]]
    assert len(words["clear"]) == len(clear) >= 1
    unclear = [row for row in hr_rows.values() if row["shown"] and row["worse_for_women"] is None]
    assert len(words["no_difference"]) == len(unclear)


@pytest.mark.parametrize(
    ("g", "words"),
    [
        (0.1, "een heel klein verschil"),
        (-0.3, "een klein verschil"),
        (0.6, "een middelgroot verschil"),
        (-1.1, "een groot verschil"),
    ],
)
def test_the_size_in_words_follows_cohens_conventions(g: float, words: str) -> None:
    assert summary.size_word(g) == words


@pytest.mark.django_db
def test_nothing_under_the_threshold_appears(
    org_a: Any, works_council: Any, client: Any, settings: Any
) -> None:
    settings.KOERS_MIN_GROUP_SIZE = 5
    _closed_round(org_a, 40, 4, mode=Campaign.Mode.INVITATIONS)
    words = summary.build_summary(org_a)["latest"]
    assert words["n_men"] is None
    assert words["clear"] == words["clear_men"] == words["no_difference"] == []
    assert len(words["not_shown"]) == 12
    assert words["groups"] == []  # no department or function type: each has men under k
    client.force_login(works_council)
    text = client.get(_url(org_a)).content.decode()
    assert "duidelijk lager" not in text
    assert "Per groep" not in text
    assert "Niet getoond" in text


@pytest.mark.django_db
def test_groups_appear_only_where_the_release_plan_shows_them(org_a: Any) -> None:
    _closed_round(org_a, 120, 160, mode=Campaign.Mode.INVITATIONS, seed=7)
    words = summary.build_summary(org_a)["latest"]
    figures = set(RoundRelease.objects.get().figures)
    assert words["groups"]
    for group in words["groups"]:
        for gender in ("woman", "man"):
            cell = ((group["column"], group["value"]), ("gender", gender))
            assert conditions_key(cell) in figures
    # An open-link round: anyone can add made-up answers, so no groups at all.
    _closed_round(org_a, 120, 160, mode=Campaign.Mode.OPEN_LINK, seed=8)
    assert summary.build_summary(org_a)["latest"]["groups"] == []


@pytest.mark.django_db
def test_the_summary_lists_the_action_plan_through_the_hook(
    org_a: Any, works_council: Any, client: Any
) -> None:
    line = hooks.PlanLine(
        measure="Mentorprogramma voor vrouwen",
        owner="HR",
        start=None,
        due=dt.date(2027, 6, 30),
        status="in_progress",
        status_label="Bezig",
        indicator="",
        late=False,
        url="/o/alpha/plan/1/",
    )
    stopped = hooks.PlanLine(
        measure="Gestopte actie",
        owner="",
        start=None,
        due=None,
        status="stopped",
        status_label="Gestopt",
        indicator="",
        late=False,
    )
    client.force_login(works_council)
    with hooks.plan_actions.replaced(lambda org: [line, stopped]):
        text = client.get(_url(org_a)).content.decode()
    assert "Mentorprogramma voor vrouwen" in text
    assert 'href="/o/alpha/plan/1/"' in text  # the works council may read the plan
    assert "Gestopte actie" not in text
    secret = summary.enable_link(org_a)
    client.logout()
    with hooks.plan_actions.replaced(lambda org: [line]):
        public = client.get(_public(secret)).content.decode()
    assert "Mentorprogramma voor vrouwen" in public
    assert "/o/alpha/plan/" not in public  # no links into the organisation


@pytest.mark.django_db
def test_the_works_council_reads_the_link_but_cannot_change_it(
    org_a: Any, works_council: Any, client: Any
) -> None:
    secret = summary.enable_link(org_a)
    client.force_login(works_council)
    text = client.get(_url(org_a)).content.decode()
    assert _public(secret) in text
    assert _link_url(org_a) not in text
    assert client.post(_link_url(org_a), {"action": "off"}).status_code == 403
    assert client.post(_link_url(org_a), {"action": "on"}).status_code == 403
    assert summary.find_link(secret) is not None


@pytest.mark.django_db
def test_the_public_link_works_only_while_enabled(org_a: Any, hr: Any, client: Any) -> None:
    load_demo_inclusion(org_a)
    client.force_login(hr)
    assert client.post(_link_url(org_a), {"action": "on"}).status_code == 302
    link = SummaryLink.objects.get(organisation=org_a)
    secret = summary.link_secret(link)
    assert secret is not None
    assert secret not in link.secret_hash + link.secret_encrypted  # never stored as is
    client.logout()
    page = client.get(_public(secret))
    assert page.status_code == 200
    assert "mannelijke cultuur" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    client.force_login(hr)
    client.post(_link_url(org_a), {"action": "off"})
    client.logout()
    assert client.get(_public(secret)).status_code == 404
    # Switched on again: a new link; the old one stays dead.
    client.force_login(hr)
    client.post(_link_url(org_a), {"action": "on"})
    client.logout()
    assert client.get(_public(secret)).status_code == 404
    new = summary.link_secret(SummaryLink.objects.get(organisation=org_a))
    assert new is not None
    assert client.get(_public(new)).status_code == 200


@pytest.mark.django_db
def test_another_organisation_sees_neither_page_nor_link_and_a_manager_is_refused(
    org_a: Any, org_b: Any, charlie: Any, bob: Any, client: Any
) -> None:
    load_demo_inclusion(org_a)
    secret_b = summary.enable_link(org_b)
    client.force_login(charlie)
    assert client.get(_url(org_a)).status_code == 404
    assert client.post(_link_url(org_a), {"action": "on"}).status_code == 404
    assert not SummaryLink.objects.filter(organisation=org_a, enabled=True).exists()
    # Organisation B's public link shows B (no rounds), never A's figures.
    public = client.get(_public(secret_b)).content.decode()
    assert "nog geen afgesloten ronde" in public
    assert "mannelijke cultuur" not in public
    client.force_login(bob)
    assert client.get(_url(org_a)).status_code == 403


@pytest.mark.django_db
def test_a_guessed_link_is_refused_and_counted(client: Any) -> None:
    assert client.get(_public("guess-" + "x" * 40)).status_code == 404


# --- seeded simulations: what the summary claims holds ----------------------------------

KEY = scoring_key(get_instrument("inclusion", 1))


def _words(n_women: int, n_men: int, gaps: dict[str, float], seed: int) -> dict[str, Any]:
    """One generated invitation round through the HR page's pure path, then in words."""
    instrument = get_instrument("inclusion", 1)
    frame = pd.DataFrame(generate_answers(n_women, n_men, 4, gaps, seed))
    columns = [i.id for i in instrument.items if i.id in frame.columns or i.type == "scale"]
    frame = frame.reindex(columns=[*columns, "department"])
    for scale_key in KEY.values():
        frame[list(scale_key.items)] = frame[list(scale_key.items)].astype(float)
    frame = frame.astype({c: object for c in ("gender", "department", "function_type")})
    frame = frame.where(frame.notna(), None)
    plan = results.plan_round(results.plan_population(frame), 5)
    context = results.build_context([results.Round("r", frame, plan)], KEY, k=5)
    return summary.in_words(context, instrument, "nl")["latest"]


def _group_claims(words: dict[str, Any]) -> int:
    return sum(len(g["sentences"]) for g in words["groups"])


@pytest.mark.slow
def test_without_structure_the_summary_rarely_claims_a_gap_and_groups_add_none_of_their_own() -> (
    None
):
    scales_claimed = rounds_with_claim = group_claims = 0
    reps = 20
    for seed in range(reps):
        words = _words(60, 180, {}, 500 + seed)
        claims = len(words["clear"]) + len(words["clear_men"])
        scales_claimed += claims
        rounds_with_claim += claims > 0
        # A group sentence only repeats a whole-organisation finding, per group.
        group_claims += _group_claims(words)
        if claims == 0:
            assert _group_claims(words) == 0
    # Holm over the twelve scales keeps the family-wise rate at about 5 %: without it, one
    # chance "clear" gap appeared in about half the rounds (1 − 0.95¹² ≈ 0.46; measured 7/20).
    assert rounds_with_claim / reps <= 0.15
    assert group_claims <= 6 * scales_claimed


@pytest.mark.slow
def test_a_planted_gap_is_said_in_plain_words_and_a_weak_one_in_small_groups_mostly_not() -> None:
    found = sum(
        any(
            "psychologische veiligheid" in s
            for s in _words(70, 200, {"psych_safety": -0.9}, seed)["clear"]
        )
        for seed in range(10)
    )
    assert found >= 9
    weak = sum(
        any("erbij horen" in s for s in _words(8, 60, {"belonging": -0.3}, seed)["clear"])
        for seed in range(10)
    )
    assert weak <= 4


@pytest.mark.django_db
def test_the_organisation_export_carries_no_way_to_open_the_public_link(org_a: Any) -> None:
    import io
    import zipfile

    from koers.organisations.gdpr import export_organisation

    secret = summary.enable_link(org_a)
    link = SummaryLink.objects.get(organisation=org_a)
    archive = zipfile.ZipFile(io.BytesIO(export_organisation(org_a)))
    exported = archive.read("inclusion.summarylink.json").decode()
    assert '"enabled": true' in exported
    for value in (secret, link.secret_hash, link.secret_encrypted):
        assert value not in exported
