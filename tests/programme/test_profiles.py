"""The Compass profile mix: what a member shares (its own released figures) and what the
office sees (pooled shares under the organisation rules, the six shown all or none)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.programme import profiles
from koers.programme.models import PROFILE_FIELDS, Participation, SharedProfiles

TODAY = dt.date(2026, 12, 7)
KEYS = list(PROFILE_FIELDS)
# Counts per profile of one generated member (nerd, einzelganger, traditionalist, innovator,
# allrounder, status_seeker); 5 respondents without a profile on top.
COUNTS = (16, 16, 16, 11, 19, 22)


@pytest.fixture
def mixer(programme: Any) -> Callable[..., Participation]:
    """Factory: a member sharing only its profile mix, its copies written directly."""
    from koers.organisations.models import Organisation

    counter = iter(range(1, 10_000))

    def make(
        counts: tuple[int | None, ...] = COUNTS,
        *,
        unassigned: int = 5,
        years: tuple[int, ...] = (2025,),
        size: str = "small",
        organisation: Any = None,
    ) -> Participation:
        i = next(counter)
        org = organisation or Organisation.objects.create(name=f"Kompas {i}", slug=f"kompas-{i}")
        part: Participation = Participation.objects.create(
            programme=programme,
            organisation=org,
            status=Participation.Status.ACTIVE,
            sector="ict",
            share_compass=True,
        )
        # Respondents: the counts as the member holds them (withheld ones counted as 5).
        respondents = sum(5 if c is None else c for c in counts) + unassigned
        for year in years:
            SharedProfiles.objects.create(
                organisation=org,
                participation=part,
                year=year,
                reference_date=dt.date(year, 5, 31),
                size_class=size,
                respondents=respondents,
                **dict(zip(PROFILE_FIELDS.values(), counts, strict=True)),
            )
        return part

    return make


def _cells(board: dict[str, Any], year: int = 2025) -> dict[str, dict[str, Any]]:
    out = {}
    for row in board["rows"]:
        out[row["key"].removeprefix("profile:")] = next(
            c for c in row["cells"] if c["year"] == year
        )
    return out


def test_the_mix_pools_each_profile_over_the_members_that_share_it(
    programme: Any, mixer: Any
) -> None:
    sets = [
        (16, 16, 16, 11, 19, 22),
        (10, 20, 12, 14, 9, 30),
        (25, 11, 18, 15, 20, 12),
        (14, 13, 22, 16, 18, 17),
        (19, 15, 14, 12, 21, 16),
        (12, 18, 16, None, 10, 15),  # its release withholds the Innovators
    ]
    for counts in sets:
        mixer(counts)
    board = profiles.mix(programme, today=TODAY)
    cells = _cells(board)
    rows = list(SharedProfiles.objects.all())
    for key, field in PROFILE_FIELDS.items():
        with_it = [r for r in rows if getattr(r, field) is not None]
        expected = sum(getattr(r, field) for r in with_it) / sum(r.respondents for r in with_it)
        assert cells[key]["value"] == pytest.approx(expected), key
    assert cells["innovator"]["n"] == 5
    assert cells["nerd"]["n"] == 6
    (totals,) = board["totals"]
    assert totals["organisations"] == 6
    assert totals["respondents"] == sum(r.respondents for r in rows)


def test_a_mix_of_four_members_is_refused(programme: Any, mixer: Any) -> None:
    for _ in range(4):
        mixer()
    board = profiles.mix(programme, today=TODAY, lang="en")
    for key, cell in _cells(board).items():
        assert cell["value"] is None, key
        assert "at least 5" in cell["reason"]
    assert board["totals"][0]["respondents"] is None


def test_a_mix_one_member_dominates_is_refused(programme: Any, mixer: Any) -> None:
    for _ in range(5):
        mixer()
    mixer(tuple(c * 10 for c in COUNTS))  # 1,000 of the 1,500 respondents
    board = profiles.mix(programme, today=TODAY, lang="en")
    cells = _cells(board)
    assert all(c["value"] is None for c in cells.values())
    assert "more than 25 %" in cells["nerd"]["reason"]


def test_one_withheld_profile_withholds_all_six(programme: Any, mixer: Any) -> None:
    """Five members show every profile; two more withhold their Innovators. Innovator then
    has 5 contributors of 7, but the others have 7; suppose one of the five stops: Innovator
    has 4 and fails, and the five shares still shown would give it away (they add up to
    about 100 %), so none is shown."""
    five = [mixer() for _ in range(5)]
    for _ in range(2):
        mixer((16, 16, 16, None, 19, 22))
    # (Not viewed before the stop: a view would publish the figures, and rule 6 would then
    # withdraw them all after the stop, test_release_rule_covers_the_mix.)
    five[0].status = Participation.Status.STOPPED
    five[0].save()
    board = profiles.mix(programme, today=TODAY, lang="en")
    cells = _cells(board)
    assert cells["innovator"]["value"] is None
    assert "at least 5" in cells["innovator"]["reason"]
    for key in ("nerd", "einzelganger", "traditionalist", "allrounder", "status_seeker"):
        assert cells[key]["value"] is None, key
        assert "would follow from the others" in cells[key]["reason"]
        assert cells[key]["n"] == 6  # on its own it would have passed
    assert board["totals"][0]["respondents"] is None


def test_a_filter_whose_complement_is_small_is_refused(programme: Any, mixer: Any) -> None:
    for _ in range(6):
        mixer(size="large")
    for _ in range(2):
        mixer(size="small")
    assert _cells(profiles.mix(programme, today=TODAY))["nerd"]["value"] is not None
    board = profiles.mix(programme, [("grootte", "large")], today=TODAY, lang="en")
    cells = _cells(board)
    assert all(c["value"] is None for c in cells.values())
    assert "total minus this selection" in cells["nerd"]["reason"]


def test_the_mix_waits_three_months_after_the_release(programme: Any, mixer: Any) -> None:
    for _ in range(5):
        mixer(years=(2025, 2026))
    SharedProfiles.objects.filter(year=2026).update(reference_date=dt.date(2026, 10, 1))
    assert profiles.mix(programme, today=TODAY)["years"] == [2025]
    assert profiles.mix(programme, today=dt.date(2027, 1, 2))["years"] == [2025, 2026]


def test_the_mix_queries_do_not_grow_with_members(programme: Any, mixer: Any) -> None:
    def queries(filters: list[tuple[str, str]]) -> int:
        with CaptureQueriesContext(connection) as captured:
            profiles.mix(programme, filters, today=TODAY)
        return len(captured)

    def publishing_and_steady(filters: list[tuple[str, str]]) -> tuple[int, int]:
        return queries(filters), queries(filters)

    for _ in range(6):
        mixer(size="small")
    few = publishing_and_steady([])
    few_filtered = publishing_and_steady([("grootte", "small")])
    for i in range(30):
        mixer(size="large" if i % 2 else "small", years=(2024, 2025))
    # The first view after a change publishes (the register: its history, the members'
    # rows of the changed figures, one insert); later views load the register and the
    # aggregates only. Neither grows with the members.
    assert publishing_and_steady([]) == few
    assert publishing_and_steady([("grootte", "small")]) == few_filtered
    assert few[1] == 2
    assert few_filtered[1] == 4


# --- extraction from the Compass's releases --------------------------------------------------


def _campaign_with_profiles(org: Any, counts: dict[str, int]) -> Any:
    """A Compass campaign whose finished responses carry the given profiles (no answers)."""
    from koers.compass.models import ProfileAssignment
    from koers.instruments import get_instrument
    from koers.surveys import links
    from koers.surveys.models import Campaign, Response

    compass = get_instrument("career_compass")
    campaign = Campaign.objects.create(
        organisation=org,
        name="Kompas 2026",
        instrument_key=compass.key,
        instrument_version=compass.version,
        mode=Campaign.Mode.INVITATIONS,
        opens_on=dt.date(2026, 3, 1),
    )
    names = [{"key": key, "nl": key, "en": key} for key in KEYS]
    for key, n in counts.items():
        responses = Response.objects.bulk_create(
            Response(
                campaign=campaign,
                access_hash=links.response_hash(links.new_secret()),
                instrument_version=campaign.instrument_version,
                finished_on=campaign.opens_on,
            )
            for _ in range(n)
        )
        ProfileAssignment.objects.bulk_create(
            ProfileAssignment(
                response=r,
                model_label="reference",
                posteriors=[1 / 6] * 6,
                names=names,
                profile_index=KEYS.index(key),
                profile_key=key,
            )
            for r in responses
        )
    return campaign


def test_the_shared_counts_are_the_released_ones_and_a_profile_of_three_is_not_shared(
    programme: Any, org_a: Any
) -> None:
    from koers.compass import releases, teamscan
    from koers.programme import services

    counts = {
        "nerd": 20,
        "einzelganger": 15,
        "traditionalist": 12,
        "innovator": 3,
        "allrounder": 10,
        "status_seeker": 14,
    }
    campaign = _campaign_with_profiles(org_a, counts)
    loaded = releases.load(campaign)  # the team scan's first view makes the release
    assert len(loaded.releases) == 1
    part = services.invite(programme, org_a)
    services.choose(part, None, sector="ict", shares={"share_compass": True})
    assert not SharedProfiles.objects.filter(participation=part).exists()  # release too new
    campaign.releases.update(created=timezone.now() - dt.timedelta(days=120))
    services.choose(part, None, sector="ict", shares={"share_compass": True})
    (row,) = SharedProfiles.objects.filter(participation=part)
    assert row.year == 2026
    assert row.respondents == sum(counts.values())
    assert row.innovator is None  # 3 < k
    # Complementary suppression inside the organisation: another profile is withheld too,
    # or the three would follow from the total.
    withheld = [key for key, field in PROFILE_FIELDS.items() if getattr(row, field) is None]
    assert len(withheld) >= 2
    for key, field in PROFILE_FIELDS.items():
        if key not in withheld:
            assert getattr(row, field) == counts[key]
    # Exactly what the team scan shows for the whole campaign.
    loaded = releases.load(campaign)
    shown = teamscan.summarise(loaded.frame, (), loaded.discloser).profile_counts
    assert {k: getattr(row, PROFILE_FIELDS[k]) for k in KEYS} == {k: shown[k] for k in KEYS}


def test_unticking_or_stopping_removes_the_profile_counts(
    programme: Any, org_a: Any, mixer: Any
) -> None:
    from koers.programme import services

    campaign = _campaign_with_profiles(org_a, dict.fromkeys(KEYS, 8))
    from koers.compass import releases

    releases.load(campaign)
    campaign.releases.update(created=timezone.now() - dt.timedelta(days=120))
    part = services.invite(programme, org_a)
    services.choose(part, None, sector="ict", shares={"share_compass": True, "share_targets": True})
    assert SharedProfiles.objects.filter(participation=part).count() == 1
    services.choose(part, None, sector="ict", shares={"share_targets": True})
    assert not SharedProfiles.objects.filter(participation=part).exists()
    services.choose(part, None, sector="ict", shares={"share_compass": True})
    assert SharedProfiles.objects.filter(participation=part).exists()
    others = [mixer(years=(2026,)) for _ in range(5)]
    later = dt.date(2027, 6, 1)
    assert _cells(profiles.mix(programme, today=later), 2026)["nerd"]["n"] == 6
    services.stop(part, None)
    assert not SharedProfiles.objects.filter(participation=part).exists()
    # Rule 6: the share over the five that remain differs from the one shown by a single
    # organisation, so the year is withdrawn, not shown without it.
    after = _cells(profiles.mix(programme, today=later), 2026)["nerd"]
    assert after["value"] is None
    assert after["withdrawn"]
    assert others


def test_the_pages_show_the_mix_to_the_office_and_the_counts_to_the_member(
    client: Any, programme: Any, office: Any, mixer: Any, org_a: Any, alice: Any
) -> None:
    for _ in range(5):
        mixer()
    mine = mixer((16, 16, 16, None, 19, 22), organisation=org_a)
    client.force_login(office)
    page = client.get(reverse("programme_dashboard", kwargs={"slug": programme.slug}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Profielverdeling van het Carrière Kompas" in text
    assert "Statuszoeker" in text
    client.force_login(alice)
    page = client.get(reverse("programme_org", kwargs={"org": org_a.slug}))
    text = page.content.decode()
    assert "Wat u deelt van de profielverdeling" in text
    assert "niet gedeeld" in text  # the withheld Innovators
    assert mine.share_compass


def test_the_works_council_sees_that_the_mix_is_shared_but_not_its_counts(
    client: Any, programme: Any, mixer: Any, org_a: Any, member_of: Any
) -> None:
    """The counts are team-scan figures; the works council reads the programme page but may
    not see the team scan (organisations/permissions.py)."""
    mixer((16, 16, 16, None, 19, 22), organisation=org_a)
    council = member_of("works_council")
    client.force_login(council)
    page = client.get(reverse("programme_org", kwargs={"org": org_a.slug}))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Wat u deelt van de profielverdeling" not in text
    assert "de aantallen zien alleen de rollen die de teamscan mogen zien" in text
    assert "Statuszoeker" not in text


def test_parts_of_a_whole_are_shown_all_or_none() -> None:
    from koers.stats import orgdisclosure as od

    ok = od.check_figure([100] * 6)
    few = od.check_figure([100] * 4)
    assert few.refusal is not None
    assert od.check_parts({"a": ok, "b": ok}) == {"a": ok, "b": ok}
    out = od.check_parts({"a": ok, "b": few, "c": ok}, {"b": "Innovator"})
    assert out["b"] == few
    for key in ("a", "c"):
        assert not out[key].allowed
        assert out[key].n_organisations == 6
        assert [r.code for r in out[key].refusals] == ["complement", "threshold"]
        assert "Innovator" in out[key].reason("nl")


def test_a_profile_the_fitted_model_merges_is_not_shared(programme: Any, org_a: Any) -> None:
    """Nerds and Einzelgängers counted together under "nerd+einzelganger": neither reference
    profile gets a count (a 0 would claim there are none); the merged people stay in the
    respondents, the base."""
    from koers.compass import releases
    from koers.compass.models import ProfileAssignment, ProfileModel
    from koers.programme import services

    campaign = _campaign_with_profiles(
        org_a,
        {"nerd": 20, "traditionalist": 12, "innovator": 9, "allrounder": 10, "status_seeker": 14},
    )
    ProfileAssignment.objects.filter(profile_key="nerd").update(profile_key="nerd+einzelganger")
    keys = ["nerd+einzelganger", "traditionalist", "innovator", "allrounder", "status_seeker"]
    ProfileModel.objects.create(
        organisation=org_a,
        campaign=campaign,
        version=1,
        n_rows=65,
        facets=[],
        center=[],
        scale=[],
        weights=[],
        means=[],
        covariances=[],
        fits=[],
        selected_k=5,
        names=[{"key": k, "nl": k, "en": k} for k in keys],
    )
    releases.load(campaign)
    campaign.releases.update(created=timezone.now() - dt.timedelta(days=120))
    part = services.invite(programme, org_a)
    services.choose(part, None, sector="ict", shares={"share_compass": True})
    (row,) = SharedProfiles.objects.filter(participation=part)
    assert row.respondents == 65
    assert row.nerd is None
    assert row.einzelganger is None
    assert (row.traditionalist, row.innovator, row.allrounder, row.status_seeker) == (
        12,
        9,
        10,
        14,
    )


def test_release_rule_covers_the_mix(programme: Any, mixer: Any) -> None:
    """Shown once, then one member joins: the shares stay as shown (frozen, marked); one
    member stops: every share of the year is withdrawn, none shows a value without it."""
    members = [mixer() for _ in range(6)]
    first = _cells(profiles.mix(programme, today=TODAY))
    assert all(c["value"] is not None for c in first.values())
    mixer((30, 2, 2, 2, 2, 2))
    joined = _cells(profiles.mix(programme, today=TODAY))
    assert {k: c["value"] for k, c in joined.items()} == {k: c["value"] for k, c in first.items()}
    assert all(c["frozen"] for c in joined.values())
    members[0].status = Participation.Status.STOPPED
    members[0].save()
    stopped = _cells(profiles.mix(programme, today=TODAY))
    assert all(c["value"] is None for c in stopped.values())
    assert any(c["withdrawn"] for c in stopped.values())
