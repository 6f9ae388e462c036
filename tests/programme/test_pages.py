"""Programme pages: who reaches what, joining and stopping, the query log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest
from django.urls import URLPattern, get_resolver, reverse

from koers.programme.models import Participation, QueryLog, SharedYear

TODAY = dt.date(2026, 12, 7)


def _org_page_urls(slug: str) -> list[str]:
    pattern = next(
        p for p in get_resolver().url_patterns if str(getattr(p, "pattern", "")) == "o/<slug:org>/"
    )
    urls = []
    for p in pattern.url_patterns:
        if not isinstance(p, URLPattern) or not p.name:
            continue
        kwargs: dict[str, Any] = {"org": slug}
        for arg, converter in p.pattern.converters.items():
            kwargs[arg] = 1 if type(converter).__name__ == "IntConverter" else "csv"
        urls.append(reverse(p.name, kwargs=kwargs))
    return urls


def test_the_programme_office_never_reaches_a_member_organisations_pages(
    client: Any, office: Any, member: Any, org_a: Any
) -> None:
    member(organisation=org_a)
    client.force_login(office)
    urls = _org_page_urls(org_a.slug)
    assert len(urls) > 50
    for url in urls:
        # 405: a POST-only page refuses the method before looking at the organisation.
        assert client.get(url).status_code in {404, 405}, url
        assert client.post(url).status_code in {404, 405}, url
        assert b"Alpha Engineering" not in client.get(url).content, url
    assert client.get(reverse("programme_dashboard", kwargs={"slug": "pilot"})).status_code == 200


def test_a_member_organisation_cannot_open_the_programme_dashboard(
    client: Any, office: Any, member: Any, org_a: Any, alice: Any
) -> None:
    member(organisation=org_a)
    url = reverse("programme_dashboard", kwargs={"slug": "pilot"})
    assert client.get(url).status_code == 302  # anonymous: the login page
    client.force_login(alice)
    assert client.get(url).status_code == 404


def test_every_dashboard_query_is_logged_and_shown_to_the_members(
    client: Any, office: Any, member: Any, org_a: Any, alice: Any
) -> None:
    member(organisation=org_a)
    client.force_login(office)
    client.get(reverse("programme_dashboard", kwargs={"slug": "pilot"}) + "?grootte=large")
    (entry,) = QueryLog.objects.all()
    assert entry.user == office
    assert entry.filters == {"grootte": "large"}
    client.force_login(alice)
    page = client.get(reverse("programme_org", kwargs={"org": "alpha"}))
    assert page.status_code == 200
    assert "bureau@sector.example" in page.content.decode()
    assert "grootte=large" in page.content.decode()


def test_stopping_removes_the_organisation_from_every_later_figure(
    client: Any, member: Any, org_a: Any, alice: Any, programme: Any
) -> None:
    from koers.programme import figures, measure_figures

    for _ in range(5):
        member(100, 20)
    mine = member(100, 80, organisation=org_a)
    before = figures.dashboard(programme, today=TODAY)
    assert before["rows"][0]["cells"][0]["value"] == pytest.approx(180 / 600)
    client.force_login(alice)
    response = client.post(reverse("programme_stop", kwargs={"org": "alpha", "pk": mine.pk}))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Participation.Status.STOPPED
    assert not SharedYear.objects.filter(participation=mine).exists()
    # The figure it contributed to is withdrawn: a new one over the five others would give
    # away its value as the difference with the one shown before.
    after = figures.dashboard(programme, today=TODAY)
    cell = after["rows"][0]["cells"][0]
    assert cell["value"] is None
    assert cell["reason"].startswith("Ingetrokken")
    # So is a figure asked for the first time that would be the five others (small ones).
    small = figures.dashboard(programme, [("grootte", "small")], today=TODAY)
    assert small["rows"][0]["cells"][0]["value"] is None
    assert measure_figures.plans(programme, figures.policy())["n"] == 5
    # Once five more members share, the figure returns, without the organisation.
    for _ in range(5):
        member(100, 30)
    again = figures.dashboard(programme, today=TODAY)
    assert again["rows"][0]["cells"][0]["value"] == pytest.approx((100 + 150) / 1000)


def test_only_the_admin_chooses_what_is_shared(
    client: Any, member: Any, org_a: Any, member_of: Any
) -> None:
    mine = member(organisation=org_a)
    client.force_login(member_of("hr_analyst"))
    url = reverse("programme_stop", kwargs={"org": "alpha", "pk": mine.pk})
    assert client.post(url).status_code == 403
    assert client.get(reverse("programme_org", kwargs={"org": "alpha"})).status_code == 200


def test_another_organisation_cannot_touch_a_participation(
    client: Any, member: Any, org_a: Any, charlie: Any
) -> None:
    mine = member(organisation=org_a)
    client.force_login(charlie)
    url = reverse("programme_stop", kwargs={"org": "beta", "pk": mine.pk})
    assert client.post(url).status_code == 404
    mine.refresh_from_db()
    assert mine.is_active


def test_joining_shares_the_scan_as_the_works_council_sees_it(
    client: Any, programme: Any, org_a: Any, alice: Any
) -> None:
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.programme.services import invite
    from koers.scan import history, trend
    from koers.scan.demo import dutch_export, generate_rows
    from koers.scan.services import store_snapshot

    day = dt.date(2026, 6, 30)
    raw = read_table(dutch_export(generate_rows(300, seed=3, reference_date=day)), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    assert isinstance(checked.employees, pd.DataFrame)
    store_snapshot(org_a, day, checked.employees, filename="x.csv")
    part = invite(programme, org_a)
    assert part.status == Participation.Status.INVITED
    client.force_login(alice)
    page = client.get(reverse("programme_org", kwargs={"org": "alpha"}))
    assert "Deelnemen" in page.content.decode()
    response = client.post(
        reverse("programme_share", kwargs={"org": "alpha", "pk": part.pk}),
        {f"p{part.pk}-sector": "ict", f"p{part.pk}-share_scan": "on"},
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.is_active
    (row,) = SharedYear.objects.filter(participation=part)
    ((_snapshot, report),) = history.reports_over_time(org_a, hr=False, lang="nl")
    head = trend.headline(report)
    assert row.headcount == head["n_staff"]
    assert row.women == round(head["female_share"] * head["n_staff"])
    assert row.hires == head["hires_total"]
    assert (row.pay_sum_women is None) == (head["mean_gap_pct"] is None)
    assert row.targets_n is None  # targets were not shared
    # Sharing nothing is stopping.
    client.post(
        reverse("programme_share", kwargs={"org": "alpha", "pk": part.pk}),
        {f"p{part.pk}-sector": "ict"},
    )
    part.refresh_from_db()
    assert part.status == Participation.Status.STOPPED
    assert not SharedYear.objects.filter(participation=part).exists()


def test_the_benchmark_sets_the_organisation_beside_the_others(
    client: Any, member: Any, org_a: Any, alice: Any
) -> None:
    from koers.programme import figures

    others = [member(100, 20 + i) for i in range(5)]
    mine = member(100, 50, organisation=org_a)
    bench = figures.benchmark(mine, today=TODAY)
    row = bench["rows"][0]
    assert row["own"] == pytest.approx(0.5)
    assert row["others"] == pytest.approx(sum(20 + i for i in range(5)) / 500)
    # With four others the comparison is refused.
    others[0].status = Participation.Status.STOPPED
    others[0].save()
    assert figures.benchmark(mine, today=TODAY)["rows"][0]["others"] is None


def test_targets_and_measures_are_shared_without_the_scan(programme: Any, org_a: Any) -> None:
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.plan.models import Action
    from koers.programme import services
    from koers.programme.models import SharedMeasure
    from koers.scan.demo import dutch_export, generate_rows
    from koers.scan.services import store_snapshot
    from koers.targets.models import Target

    day = dt.date(2026, 6, 30)
    raw = read_table(dutch_export(generate_rows(120, seed=4, reference_date=day)), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    store_snapshot(org_a, day, checked.employees, filename="x.csv")
    Target.objects.create(
        organisation=org_a, population="subtop", target_share=30, target_year=2028
    )
    Action.objects.create(organisation=org_a, measure="mentoring", owner="HR")
    Action.objects.create(organisation=org_a, title="Eigen actie", status="stopped")
    part = services.invite(programme, org_a)
    services.choose(
        part, None, sector="ict", shares={"share_targets": True, "share_measures": True}
    )
    (row,) = SharedYear.objects.filter(participation=part)
    assert row.reference_date == day
    assert row.targets_n == 1
    assert row.headcount is None  # the scan was not shared
    assert row.actions_n == 2
    measures = list(
        SharedMeasure.objects.filter(participation=part).values_list("measure", flat=True)
    )
    assert len(measures) == 1  # the stopped action is left out


def test_the_django_admin_sets_up_programmes_and_invitations(
    client: Any, admin_user: Any, programme: Any, member: Any
) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    member()
    client.force_login(admin_user)
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/admin/programme/programme/add/").status_code == 200
    page = client.get(f"/admin/programme/programme/{programme.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/programme/querylog/").status_code == 200


def test_the_nightly_refresh_brings_later_changes_and_skips_stopped_members(
    programme: Any, org_a: Any
) -> None:
    """A member's later plan (and snapshot, targets) reach the programme without the admin
    saving the sharing choice again; a member that stopped gets nothing back."""
    from django.core.management import call_command

    from koers.plan.models import Action
    from koers.programme import services
    from koers.programme.extract import refresh_all
    from koers.programme.models import SharedMeasure

    Action.objects.create(organisation=org_a, measure="mentoring", owner="HR")
    part = services.invite(programme, org_a)
    services.choose(part, None, sector="ict", shares={"share_measures": True})
    assert SharedMeasure.objects.filter(participation=part).count() == 1
    Action.objects.create(organisation=org_a, measure="sponsoring", owner="HR")
    assert SharedMeasure.objects.filter(participation=part).count() == 1  # not yet
    assert refresh_all() == 1
    assert SharedMeasure.objects.filter(participation=part).count() == 2
    services.stop(part, None)
    call_command("programme_refresh", verbosity=0)
    assert not SharedMeasure.objects.filter(participation=part).exists()
