"""The Art. 10 workbook (factors, remediation cost, evaluation through the plan), workers'
own requests through the desk link, the yearly notice reminder and the Art. 5 pay ranges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from koers.organisations.models import Role
from koers.paytransparency import services
from koers.paytransparency.clock import answer_deadline, notice_due, notice_due_on
from koers.paytransparency.demo import load_demo_paytransparency
from koers.paytransparency.models import InformationRequest, PayAssessment, PayRange
from koers.paytransparency.workbook import category_gap
from koers.scan.demo import DEMO_REFERENCE_DATE, demo_rows, load_demo_scan
from koers.scan.models import Snapshot
from tests.conftest import PASSWORD


def login(client: Any, member_of: Any, role: str) -> Any:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)
    return user


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_paytransparency(org_a)
    return org_a


def url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org": org.slug, **kwargs})


# --- Art. 10 workbook ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_assessment_shows_each_factors_share_the_cost_and_the_pay_rise_after_leave(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    item = PayAssessment.objects.for_org(demo).get()
    html = client.get(url("paytransparency_assessment", demo, pk=item.pk)).content.decode()
    assert "Oaxaca-Blinder" in html
    for label in ("Diensttijd", "Leeftijd", "Uren per week", "Opleidingsniveau"):
        assert label in html
    assert "Niet verklaard door de factoren" in html
    # The demo's HR files have the leave columns: the figure against the 2025 snapshot.
    assert "Terug van verlof" in html
    assert "Andere werknemers in de categorie" in html
    assert "in de nulmeting van 30 juni 2025" in html
    assert "geen verlofkolommen" not in html
    assert "Tot het gemiddelde van de andere sekse in de categorie" in html
    assert "met 30.0% werkgeverslasten" in html or "met 30,0% werkgeverslasten" in html
    # HR may put the finding into the plan, with the indicator the evaluation follows.
    assert "/plan/nieuw/?titel=" in html
    assert "indicator=loonkloof%3A+C.+Specialistisch" in html


@pytest.mark.django_db
def test_hr_names_the_factors_and_the_decomposition_follows_them(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    item = PayAssessment.objects.for_org(demo).get()
    response = client.post(
        url("paytransparency_assessment_edit", demo, pk=item.pk),
        {"justification": "Diensttijd", "factors": ["tenure"], "measures": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.factors == ["tenure"]
    figures = services.assessment_figures(demo, item)
    assert figures is not None
    assert [f.factor for f in figures["decomposition"].factors] == ["tenure"]


@pytest.mark.django_db
def test_the_remediation_page_sums_the_categories_and_uses_the_charges_hr_sets(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    page = client.get(url("paytransparency_remediation", demo)).content.decode()
    assert "C. Specialistisch" in page
    assert "Totaal" in page
    refused = client.post(url("paytransparency_charges", demo), {"employer_charges_pct": "120"})
    assert refused.status_code == 200
    assert "Kies een percentage van 0 tot en met 100." in refused.content.decode()
    client.post(url("paytransparency_charges", demo), {"employer_charges_pct": "25"})
    assert services.desk_settings(demo).employer_charges_pct == 25
    item = PayAssessment.objects.for_org(demo).get()
    figures = services.assessment_figures(demo, item)
    assert figures is not None
    for rule in figures["remediation"].rules:
        assert rule.annual_cost_with_charges == pytest.approx(rule.annual_cost * 1.25)


@pytest.mark.django_db
def test_the_works_council_reads_the_costs_without_figures_about_fewer_than_k_people(
    client, demo, member_of, settings
):
    login(client, member_of, Role.WORKS_COUNCIL)
    page = client.get(url("paytransparency_remediation", demo))
    assert page.status_code == 200
    overview = page.context["overview"]
    for row in overview["rows"]:
        for cell in row["cells"].values():
            if cell is not None and cell["shown"]:
                n = cell["cost"].n_raised
                assert n == 0 or n >= settings.KOERS_MIN_GROUP_SIZE
    assert client.post(url("paytransparency_charges", demo), {}).status_code == 403


@pytest.mark.django_db
def test_a_plan_action_for_the_category_is_evaluated_on_the_snapshots_around_its_start(
    client, demo, member_of
):
    from koers.plan.models import Action

    Action.objects.create(
        organisation=demo,
        title="Salarisschalen herzien",
        start=dt.date(2025, 3, 1),
        status="done",
        indicator="Loonkloof: C. Specialistisch",  # case and spaces do not matter
    )
    Action.objects.create(organisation=demo, title="Iets anders", indicator="vertrek vrouwen")
    login(client, member_of, Role.HR_ANALYST)
    item = PayAssessment.objects.for_org(demo).get()
    page = client.get(url("paytransparency_assessment", demo, pk=item.pk))
    rows = page.context["evaluation"]
    assert [r["line"].measure for r in rows] == ["Salarisschalen herzien"]
    mapping = services.category_of(demo)
    frames = {s.reference_date: s.frame() for s in Snapshot.objects.history_for(demo).defer(None)}
    before = category_gap(
        frames[dt.date(2024, 6, 30)], dt.date(2024, 6, 30), item.category, mapping
    )
    after = category_gap(frames[dt.date(2026, 6, 30)], dt.date(2026, 6, 30), item.category, mapping)
    assert before is not None
    assert after is not None
    assert rows[0]["before"]["date"] == dt.date(2024, 6, 30)
    assert rows[0]["after"]["date"] == dt.date(2026, 6, 30)
    assert rows[0]["before"]["gap"] == pytest.approx(before[0])
    assert rows[0]["change"] == pytest.approx(after[0] - before[0])


@pytest.mark.django_db
def test_the_plan_form_takes_the_title_and_indicator_of_a_finding(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    page = client.get(
        reverse("plan_new", kwargs={"org": demo.slug}),
        {"titel": "Loonkloof C dichten", "indicator": "loonkloof: C. Specialistisch"},
    )
    form = page.context["form"]
    assert form.initial["title"] == "Loonkloof C dichten"
    assert form.initial["indicator"] == "loonkloof: C. Specialistisch"


# --- workers' own requests -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_files_a_request_through_the_link_and_follows_it_with_the_receipt_code(
    client, demo, member_of
):
    desk = services.desk_settings(demo)
    assert desk.link_open  # the demo opened it
    link = reverse("paytransparency_public", kwargs={"token": desk.public_token})
    assert client.get(link).status_code == 200
    number = str(demo_rows(DEMO_REFERENCE_DATE)[0]["employee_id"])
    received = client.post(link, {"employee_number": number, "language": "en"})
    assert received.status_code == 200
    code = received.context["code"]
    item = InformationRequest.objects.for_org(demo).latest("pk")
    assert item.source == "worker"
    assert item.worker != number  # the pseudonym only
    assert item.code_hash
    assert code.replace("-", "").replace(" ", "") not in item.code_hash
    # Nothing about the visitor is a field of the request.
    fields = {f.name for f in InformationRequest._meta.get_fields()}
    assert not fields & {"ip", "address", "user_agent", "ip_address"}
    # HR sees it on the desk with the two-month clock; the letter works as for HR's own.
    login(client, member_of, Role.HR_ANALYST)
    desk_page = client.get(url("paytransparency_requests", demo)).content.decode()
    assert "door de werknemer" in desk_page
    assert item.deadline == answer_deadline(item.received_on)
    client.logout()
    status = client.post(reverse("paytransparency_public_status"), {"code": code})
    assert status.status_code == 200
    assert "Nog niet beantwoord." in status.content.decode()
    unknown = client.post(reverse("paytransparency_public_status"), {"code": "A" * 16})
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_a_closed_or_unknown_link_opens_nothing_and_floods_are_refused(client, demo, member_of):
    desk = services.desk_settings(demo)
    link = reverse("paytransparency_public", kwargs={"token": desk.public_token})
    statuses = [
        client.post(link, {"employee_number": "123", "language": "nl"}).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    services.open_link(desk, False)
    assert client.get(link).status_code == 404
    assert client.get(reverse("paytransparency_public", kwargs={"token": "x"})).status_code == 404
    login(client, member_of, Role.HR_ANALYST)
    client.post(url("paytransparency_link", demo), {"open": "1"})
    desk.refresh_from_db()
    assert desk.link_open


# --- the yearly notice -----------------------------------------------------------------------


def test_the_yearly_notice_is_due_a_year_after_the_last_one():
    assert notice_due(None, dt.date(2026, 12, 7))  # never given: due now
    assert notice_due_on(dt.date(2025, 12, 8), dt.date(2026, 12, 7)) == dt.date(2026, 12, 8)
    assert not notice_due(dt.date(2025, 12, 8), dt.date(2026, 12, 7))
    assert notice_due(dt.date(2025, 12, 7), dt.date(2026, 12, 7))
    assert notice_due_on(dt.date(2024, 2, 29), dt.date(2025, 1, 1)) == dt.date(2025, 2, 28)


@pytest.mark.django_db
def test_the_desk_reminds_hr_of_the_yearly_notice_until_it_is_recorded(
    client, demo, member_of, monkeypatch
):
    monkeypatch.setattr("koers.paytransparency.views.today", lambda: dt.date(2026, 12, 7))
    login(client, member_of, Role.HR_ANALYST)
    page = client.get(url("paytransparency_requests", demo)).content.decode()
    assert "De jaarlijkse kennisgeving is aan de beurt." in page  # the demo's was 3-11-2025
    client.post(url("paytransparency_notice_given", demo))
    assert services.desk_settings(demo).notice_given_on == dt.date(2026, 12, 7)
    page = client.get(url("paytransparency_requests", demo)).content.decode()
    assert "De jaarlijkse kennisgeving is aan de beurt." not in page
    assert "de volgende uiterlijk 7 december 2027" in page


# --- Art. 5 pay ranges -----------------------------------------------------------------------


@pytest.mark.django_db
def test_hr_records_a_pay_range_and_a_manager_reads_it_for_the_vacancy_text(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    refused = client.post(
        url("paytransparency_pay_range_new", demo),
        {
            "category": "D. Leidinggevend",
            "vacancy": "Technisch manager",
            "minimum": "6000",
            "maximum": "5000",
            "period": "month",
            "hours_per_week": "40",
        },
    )
    assert refused.status_code == 200
    assert not PayRange.objects.for_org(demo).filter(vacancy="Technisch manager").exists()
    client.post(
        url("paytransparency_pay_range_new", demo),
        {
            "category": "D. Leidinggevend",
            "vacancy": "Technisch manager",
            "minimum": "5000",
            "maximum": "6500",
            "period": "month",
            "hours_per_week": "40",
        },
    )
    assert PayRange.objects.for_org(demo).filter(vacancy="Technisch manager").exists()
    client.logout()
    login(client, member_of, Role.MANAGER)
    page = client.get(url("paytransparency_pay_ranges", demo)).content.decode()
    assert "Technisch manager" in page
    assert "Salaris: € 5.000 tot € 6.500 bruto per maand bij 40 uur per week." in page
    assert "Bandbreedte vastleggen" not in page  # reading only


@pytest.mark.django_db
def test_the_vacancy_check_links_a_missing_pay_range_to_the_recorded_ranges(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    response = client.post(
        reverse("recruitment_vacancy_check", kwargs={"org": demo.slug}),
        {"text": "Wij zoeken een software engineer voor ons team in Delft.", "lang": "nl"},
    )
    html = response.content.decode()
    assert "Er staat geen salaris of salarisschaal in de tekst." in html
    assert url("paytransparency_pay_ranges", demo) in html


@pytest.mark.django_db
def test_the_workbook_pages_read_a_bounded_number_of_queries(
    client, demo, member_of, django_assert_max_num_queries
):
    from koers.plan.models import Action

    for day in (dt.date(2025, 3, 1), dt.date(2025, 9, 1)):
        Action.objects.create(
            organisation=demo, title="X", start=day, indicator="loonkloof: C. Specialistisch"
        )
    login(client, member_of, Role.HR_ANALYST)
    item = PayAssessment.objects.for_org(demo).get()
    # Measured: 13 without plan actions; the evaluation adds two (dates, then the frames).
    with django_assert_max_num_queries(16):
        client.get(url("paytransparency_assessment", demo, pk=item.pk))
    with django_assert_max_num_queries(10):
        client.get(url("paytransparency_remediation", demo))


@pytest.mark.django_db
def test_a_pay_range_is_deleted_only_with_the_confirmation_the_button_sends(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    item = PayRange.objects.for_org(demo).first()
    assert item is not None
    client.post(url("paytransparency_pay_range_delete", demo, pk=item.pk))
    assert PayRange.objects.filter(pk=item.pk).exists()
    page = client.get(url("paytransparency_pay_ranges", demo)).content.decode()
    assert 'name="confirm" value="yes"' in page
    client.post(url("paytransparency_pay_range_delete", demo, pk=item.pk), {"confirm": "yes"})
    assert not PayRange.objects.filter(pk=item.pk).exists()


def test_the_desk_link_is_kept_out_of_the_logs():
    from koers.lib.redact import redact

    assert "secret-token" not in redact('"GET /loonvraag/secret-token/ HTTP/1.1" 404')


@pytest.mark.django_db
def test_the_pay_rise_after_leave_is_shown_in_full_to_hr_and_under_k_withheld_for_the_council(
    client, demo, member_of
):
    item = PayAssessment.objects.for_org(demo).get()
    snapshot = services.current_snapshot(demo)
    dates = services.snapshot_dates(demo)
    history = services.snapshot_history(demo, services.leave_comparison_day(snapshot, dates))
    leave = services.assessment_leave_rise(
        snapshot, history, item.category, services.category_of(demo)
    )
    assert leave is not None
    assert leave.computable
    assert leave.returners.n > 0
    women, men = leave.returners_female, leave.returners_male
    login(client, member_of, Role.HR_ANALYST)
    html = client.get(url("paytransparency_assessment", demo, pk=item.pk)).content.decode()
    assert f"({leave.returners.n_rise} van {leave.returners.n})" in html
    assert f"({women.n_rise} van {women.n})" in html
    assert f"({men.n_rise} van {men.n})" in html
    client.logout()
    login(client, member_of, Role.WORKS_COUNCIL)
    html = client.get(url("paytransparency_assessment", demo, pk=item.pk)).content.decode()
    section = html[html.index('id="verlof"') : html.index("Kosten van herstel")]
    # The demo's category has fewer than 5 women back from leave: their share is withheld;
    # the men's or the row's total, not both, as the other would follow from them.
    assert 0 < women.n < 5
    assert f"({women.n_rise} van {women.n})" not in section
    assert not (
        f"({men.n_rise} van {men.n})" in section
        and f"({leave.returners.n_rise} van {leave.returners.n})" in section
    )
    # The page also shows the category's women and men: the other workers' women are
    # shown only when the category's women minus them (those back from leave and those
    # without pay on the earlier snapshot: the demo's yearly files share few employee
    # numbers) are k or more, so that the subtraction gives no small group.
    others_women = leave.others_female
    assert f"({others_women.n_rise} van {others_women.n})" in section
    assert leave.staff_female - others_women.n >= 5
    assert f"({leave.others.n_rise} van {leave.others.n})" in section


@pytest.mark.django_db
def test_without_leave_columns_the_workbook_says_how_to_get_the_figure(client, org_a, member_of):
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.scan.demo import dutch_export, generate_rows
    from koers.scan.services import store_snapshot

    rows = generate_rows(300, seed=7, reference_date=DEMO_REFERENCE_DATE)
    raw = read_table(dutch_export(rows), filename="x.csv")
    assert "Soort verlof" not in raw.headers
    checked = check_for_import(
        parse_employees(raw, suggest_mapping(raw.headers)), DEMO_REFERENCE_DATE
    )
    store_snapshot(org_a, DEMO_REFERENCE_DATE, checked.employees, filename="x.csv")
    frame = Snapshot.objects.current_for(org_a).defer(None).get().frame()
    category = str(frame["job_family"].iloc[0]) + " / " + str(frame["job_level"].iloc[0])
    leave = services.assessment_leave_rise(
        Snapshot.objects.current_for(org_a).defer(None).get(), [], category, {}
    )
    assert leave is not None
    assert not leave.has_leave_data
    assert not leave.computable
