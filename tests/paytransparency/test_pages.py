"""The pay transparency desk in the web: the Art. 9 report and its downloads, the category
builder and its versions, the request desk and the letters, and who may do what."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from koers.organisations.models import Role
from koers.paytransparency.demo import load_demo_paytransparency
from koers.paytransparency.models import CategoryScheme, InformationRequest
from koers.paytransparency.services import category_of
from koers.scan.demo import load_demo_scan
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


@pytest.mark.django_db
def test_the_demo_has_agreed_categories_and_one_open_and_one_answered_request(demo):
    scheme = CategoryScheme.objects.for_org(demo).get()
    assert scheme.council_agreed_on == dt.date(2026, 11, 26)
    assert sum(scheme.weights.values()) == 100
    assert set(category_of(demo).values()) == {
        "A. Ondersteunend",
        "B. Vakkundig",
        "C. Specialistisch",
        "D. Leidinggevend",
    }
    requests = list(InformationRequest.objects.for_org(demo).filter(source="hr"))
    assert sorted(r.answered_on is None for r in requests) == [False, True]
    # and one the worker filed through the desk link
    assert InformationRequest.objects.for_org(demo).filter(source="worker").count() == 1
    assert load_demo_paytransparency(demo)  # idempotent
    assert InformationRequest.objects.for_org(demo).count() == 3


@pytest.mark.django_db
def test_hr_downloads_the_art9_report_as_pdf_csv_and_json(client, demo, member_of, monkeypatch):
    monkeypatch.setattr("koers.paytransparency.views.today", lambda: dt.date(2026, 12, 7))
    login(client, member_of, Role.HR_ANALYST)
    page = client.get(url("paytransparency", demo))
    html = page.content.decode()
    assert page.status_code == 200
    assert "(a) gemiddelde loonkloof" in html
    assert "categorieën versie 1" in html
    assert "De Nederlandse wet is nog niet in werking." in html
    # 1,200 in service: every year; the first report, over 2027, is due on 7 June 2028.
    assert "rapporteert de organisatie elk jaar (Art. 9(2))" in html
    assert "gaat over 2027 en is uiterlijk 7 juni 2028 klaar" in html
    for name in ("paytransparency_report_pdf", "paytransparency_report_g_pdf"):
        response = client.get(url(name, demo))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
    csv_text = client.get(url("paytransparency_report_csv", demo)).content.decode()
    assert csv_text.splitlines()[0] == "indicator,group,figure,value,n_female,n_male"
    assert "g,D. Leidinggevend,mean_gap_pct," in csv_text
    data = json.loads(client.get(url("paytransparency_report_json", demo)).content)
    assert data["category_scheme_version"] == 1
    letters = [k[0] for k in data if k[1:2] == "_" and k[0] in "abcdefg" and k != "g_complete"]
    assert letters == list("abcdefg")  # the directive's order


def builder_post(scheme: CategoryScheme, **changes: Any) -> dict[str, Any]:
    """The builder's form data for ``scheme``'s jobs in the order the form lists them."""
    data: dict[str, Any] = {f"weight_{c}": w for c, w in scheme.weights.items()}
    data["weights_note"] = scheme.weights_note
    for i, job in enumerate(sorted(scheme.jobs)):
        for c, v in scheme.jobs[job]["scores"].items():
            data[f"job{i}_{c}"] = v
        data[f"job{i}_category"] = scheme.jobs[job]["category"]
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_change_to_the_categories_is_a_new_version_and_the_old_one_keeps_its_agreement(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    first = CategoryScheme.objects.for_org(demo).get()
    # Saving without a change adds no version.
    response = client.post(url("paytransparency_categories_edit", demo), builder_post(first))
    assert response.status_code == 302
    assert CategoryScheme.objects.for_org(demo).count() == 1
    monteur = sorted(first.jobs).index("Monteur")
    client.post(
        url("paytransparency_categories_edit", demo),
        builder_post(first, **{f"job{monteur}_category": "A. Ondersteunend"}),
    )
    second, old = CategoryScheme.objects.for_org(demo)
    assert (second.version, old.version) == (2, 1)
    assert second.jobs["Monteur"]["category"] == "A. Ondersteunend"
    assert old.jobs["Monteur"]["category"] == "B. Vakkundig"
    assert old.council_agreed_on == dt.date(2026, 11, 26)
    assert second.council_agreed_on is None
    assert category_of(demo)["Monteur"] == "A. Ondersteunend"
    page = client.get(url("paytransparency", demo)).content.decode()
    assert "categorieën versie 2" in page
    client.post(
        url("paytransparency_agreement", demo, pk=second.pk),
        {"agreed_on": "2026-12-01", "note": "OR-besluit 2026-19"},
    )
    second.refresh_from_db()
    assert second.council_agreed_on == dt.date(2026, 12, 1)


@pytest.mark.django_db
def test_weights_that_do_not_add_up_to_100_are_refused(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    first = CategoryScheme.objects.for_org(demo).get()
    response = client.post(
        url("paytransparency_categories_edit", demo), builder_post(first, weight_skills=50)
    )
    assert response.status_code == 200
    assert "De wegingen tellen samen op tot 100." in response.content.decode()
    assert CategoryScheme.objects.for_org(demo).count() == 1


@pytest.mark.django_db
def test_hr_enters_a_request_by_employee_number_and_only_the_pseudonym_is_kept(
    client, demo, member_of
):
    login(client, member_of, Role.HR_ANALYST)
    from koers.scan.demo import DEMO_REFERENCE_DATE, demo_rows

    number = str(demo_rows(DEMO_REFERENCE_DATE)[0]["employee_id"])
    response = client.post(
        url("paytransparency_requests", demo),
        {"worker": number, "received_on": "2026-12-01", "language": "nl"},
    )
    assert response.status_code == 302
    item = InformationRequest.objects.for_org(demo).get(
        received_on=dt.date(2026, 12, 1), source="hr"
    )
    assert item.worker != number
    assert len(item.worker) == len(InformationRequest.objects.for_org(demo).first().worker)
    assert item.deadline == dt.date(2027, 2, 1)
    refused = client.post(
        url("paytransparency_requests", demo),
        {"worker": "nobody", "received_on": "2026-12-01", "language": "nl"},
    )
    assert "Deze werknemer staat niet in de huidige nulmeting." in refused.content.decode()


@pytest.mark.django_db
def test_the_list_shows_deadlines_and_an_overdue_request_stands_out(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    open_one = InformationRequest.objects.for_org(demo).get(answered_on=None, source="hr")
    open_one.received_on = dt.date(2020, 1, 1)
    open_one.save()
    html = client.get(url("paytransparency_requests", demo)).content.decode()
    assert 'class="overdue"' in html
    assert "te laat" in html
    assert "1-3-2020" in html  # the deadline, two months on
    assert "beantwoord op 2-11-2026" in html


@pytest.mark.django_db
def test_hr_answers_a_request_and_the_letter_comes_as_pdf_in_english(client, demo, member_of):
    login(client, member_of, Role.HR_ANALYST)
    item = InformationRequest.objects.for_org(demo).get(answered_on=None, source="hr")
    assert item.language == "en"
    page = client.get(url("paytransparency_request", demo, pk=item.pk)).content.decode()
    assert "Gemiddelde vrouwen in uw categorie" in page
    client.post(url("paytransparency_request", demo, pk=item.pk))
    item.refresh_from_db()
    assert item.answered_on is not None
    assert item.answer["scheme_version"] == 1
    assert item.answer["category"] == "B. Vakkundig"
    letter = client.get(url("paytransparency_letter", demo, pk=item.pk))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    from tests.pdftext import is_tagged

    assert is_tagged(letter.content)
    html = render_letter_html(client, demo, item)
    assert 'lang="en"' in html
    assert "Information about your pay" in html
    assert "Average of women in your category" in html


@pytest.mark.django_db
def test_the_works_council_reads_categories_and_the_report_and_changes_nothing(
    client, demo, member_of
):
    login(client, member_of, Role.WORKS_COUNCIL)
    assert client.get(url("paytransparency", demo)).status_code == 200
    assert client.get(url("paytransparency_report_json", demo)).status_code == 200
    html = client.get(url("paytransparency_categories", demo)).content.decode()
    assert "B. Vakkundig" in html
    assert "Categorieën bewerken" not in html
    scheme = CategoryScheme.objects.for_org(demo).get()
    assert (
        client.post(url("paytransparency_categories_edit", demo), builder_post(scheme)).status_code
        == 403
    )
    assert client.post(url("paytransparency_agreement", demo, pk=scheme.pk)).status_code == 403
    item = InformationRequest.objects.for_org(demo).first()
    for name, kwargs in (
        ("paytransparency_requests", {}),
        ("paytransparency_request", {"pk": item.pk}),
        ("paytransparency_letter", {"pk": item.pk}),
        ("paytransparency_notice", {}),
    ):
        assert client.get(url(name, demo, **kwargs)).status_code == 403
    assert CategoryScheme.objects.for_org(demo).count() == 1


@pytest.mark.django_db
def test_another_organisation_sees_no_letter(client, demo, charlie):
    client.login(username=charlie.username, password=PASSWORD)
    item = InformationRequest.objects.for_org(demo).first()
    assert client.get(url("paytransparency_letter", demo, pk=item.pk)).status_code == 404


def render_letter_html(client: Any, org: Any, item: InformationRequest) -> str:
    """The letter's HTML as the PDF renders it (the PDF's text is not searchable in tests)."""
    from django.test import RequestFactory
    from django.utils import translation

    from koers.lib.pdf import render_html

    with translation.override(item.language):
        return render_html(
            "paytransparency/letter_pdf.html",
            {"item": item, "figures": item.answer, "organisation": org, "k": 5},
            RequestFactory().get("/"),
        )


@pytest.mark.django_db
def test_the_report_page_and_request_list_need_few_queries(
    client, demo, member_of, django_assert_max_num_queries
):
    login(client, member_of, Role.HR_ANALYST)
    with django_assert_max_num_queries(12):
        assert client.get(url("paytransparency", demo)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("paytransparency_requests", demo)).status_code == 200


@pytest.mark.django_db
def test_the_demo_follows_one_flagged_category_and_hr_records_its_justification(
    client, demo, member_of
):
    from koers.paytransparency.models import PayAssessment

    login(client, member_of, Role.HR_ANALYST)
    html = client.get(url("paytransparency_assessments", demo)).content.decode()
    assert "C. Specialistisch" in html
    assert "herstel uiterlijk 1-3-2027" in html  # six months after 1 September 2026
    item = PayAssessment.objects.for_org(demo).get()
    client.post(
        url("paytransparency_assessment_edit", demo, pk=item.pk),
        {"justification": "Diensttijd", "agreed_on": "2026-12-01", "measures": "Herzien"},
    )
    item.refresh_from_db()
    assert item.justification == "Diensttijd"
    assert item.agreed_on == dt.date(2026, 12, 1)
    page = client.get(url("paytransparency_assessment", demo, pk=item.pk)).content.decode()
    assert "Na correctie voor leeftijd, diensttijd, uren en opleiding" in page


@pytest.mark.django_db
def test_hr_can_follow_only_a_category_with_a_gap_of_five_percent(client, demo, member_of):
    from koers.paytransparency.models import PayAssessment

    login(client, member_of, Role.HR_ANALYST)
    for category in ("A. Ondersteunend", "C. Specialistisch"):
        client.post(
            url("paytransparency_assessment_open", demo),
            {"category": category, "report_date": "2027-06-01"},
        )
    followed = set(PayAssessment.objects.for_org(demo).values_list("category", "report_date"))
    assert ("C. Specialistisch", dt.date(2027, 6, 1)) in followed
    assert not any(c == "A. Ondersteunend" for c, _ in followed)  # a gap under 5 %


@pytest.mark.django_db
def test_the_works_council_reads_the_assessment_and_changes_nothing(client, demo, member_of):
    from koers.paytransparency.models import PayAssessment

    login(client, member_of, Role.WORKS_COUNCIL)
    item = PayAssessment.objects.for_org(demo).get()
    html = client.get(url("paytransparency_assessment", demo, pk=item.pk)).content.decode()
    assert "Salarisschalen Software engineer herzien" in html
    assert "Bewerken" not in html
    edit = client.post(
        url("paytransparency_assessment_edit", demo, pk=item.pk), {"justification": "x"}
    )
    assert edit.status_code == 403
    opened = client.post(
        url("paytransparency_assessment_open", demo),
        {"category": "C. Specialistisch", "report_date": "2027-06-01"},
    )
    assert opened.status_code == 403
    assert PayAssessment.objects.for_org(demo).count() == 1
