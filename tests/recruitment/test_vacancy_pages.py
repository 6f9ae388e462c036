"""The vacancy-text check in the web and the API: checked without storing, kept on request."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.api.models import ApiToken
from koers.organisations.models import AuditEvent, Role
from koers.recruitment.demo import DEMO_VACANCIES, load_demo_vacancies
from koers.recruitment.documents import UnreadableDocument, text_of
from koers.recruitment.models import SavedVacancy
from koers.recruitment.vacancy import check_vacancy
from tests.conftest import PASSWORD

MASCULINE = (
    "Hoofdopzichter\nBen jij ambitieus, daadkrachtig en zelfverzekerd? Een uitdagende baan "
    "in een competitieve markt."
)


@pytest.fixture
def manager(member_of: Any, client: Any) -> Any:
    user = member_of(Role.MANAGER)
    client.login(username=user.username, password=PASSWORD)
    return user


def check_url(org: Any) -> str:
    return reverse("recruitment_vacancy_check", kwargs={"org": org.slug})


def docx(*paragraphs: str, numbered: tuple[int, ...] = ()) -> bytes:
    """A minimal Word document, built here from the WordprocessingML parts Koers reads."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        "<w:p>"
        + ("<w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr>" if i in numbered else "")
        + f"<w:r><w:t xml:space='preserve'>{p}</w:t></w:r></w:p>"
        for i, p in enumerate(paragraphs)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml", f"<w:document xmlns:w='{w}'><w:body>{body}</w:body></w:document>"
        )
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_manager_checks_a_text_and_nothing_is_stored(client, org_a, manager):
    response = client.post(check_url(org_a), {"text": MASCULINE, "action": "check"})
    html = response.content.decode()
    assert response.status_code == 200
    assert SavedVacancy.objects.count() == 0
    # Each coded word is marked in place, with its code for screen readers.
    assert '<mark class="coded coded-masculine">ambitieus<span class="visually-hidden">' in html
    assert html.count('class="coded coded-masculine"') == 5
    assert "Gaucher" in html  # the source behind the list
    # Findings beyond words, with their advice.
    for code in ("masculine_title", "no_pay_range", "no_team", "no_societal_value", "traits"):
        assert f'id="advice-{code}"' in html
    assert "hoofdopzichteres" in html


@pytest.mark.django_db
def test_a_text_with_few_coded_words_gets_no_verdict(client, org_a, manager):
    html = client.post(check_url(org_a), {"text": "Engineer\nJe ontwerpt schakelingen."})
    page = html.content.decode()
    assert "te weinig om iets over de" in page
    assert "leunt" not in page


@pytest.mark.django_db
def test_saving_keeps_the_text_in_the_organisations_history(client, org_a, org_b, manager):
    response = client.post(
        check_url(org_a), {"title": "Hoofdopzichter", "text": MASCULINE, "action": "save"}
    )
    saved = SavedVacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "recruitment_vacancy", kwargs={"org": org_a.slug, "pk": saved.pk}
    )
    assert (saved.organisation, saved.n_masculine, saved.lean) == (org_a, 5, "masculine")
    assert saved.created_by == manager
    assert AuditEvent.objects.filter(action="recruitment.vacancy_save").count() == 1
    history = client.get(reverse("recruitment_vacancies", kwargs={"org": org_a.slug}))
    assert "Hoofdopzichter" in history.content.decode()
    # Another organisation's history does not show it, and its page is not found there.
    other = SavedVacancy.objects.create(organisation=org_b, text="Elders", lang="nl", lean="x")
    detail = reverse("recruitment_vacancy", kwargs={"org": org_a.slug, "pk": other.pk})
    assert client.get(detail).status_code == 404
    assert "Elders" not in history.content.decode()


@pytest.mark.django_db
def test_deleting_a_saved_text_needs_the_checkbox(client, org_a, manager):
    saved = SavedVacancy.objects.create(organisation=org_a, text="Tekst", lang="nl", lean="x")
    url = reverse("recruitment_vacancy_delete", kwargs={"org": org_a.slug, "pk": saved.pk})
    client.post(url)
    assert SavedVacancy.objects.filter(pk=saved.pk).exists()
    client.post(url, {"confirm": "1"})
    assert not SavedVacancy.objects.filter(pk=saved.pk).exists()


@pytest.mark.django_db
def test_an_uploaded_word_file_is_checked_and_its_text_shown_for_editing(client, org_a, manager):
    data = docx(
        "Monteur (v/m/x)",
        "Wat vragen wij",
        *[f"eis {i}" for i in range(8)],
        "Wat bieden wij",
        numbered=tuple(range(2, 10)),
    )
    response = client.post(
        check_url(org_a),
        {"file": SimpleUploadedFile("vacature.docx", data), "action": "check"},
    )
    html = response.content.decode()
    assert 'id="advice-long_requirements"' in html
    assert "De tekst noemt 8 eisen" in html
    assert "- eis 7\nWat bieden wij</textarea>" in html  # in the form, to edit or save
    assert SavedVacancy.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_file_says_what_to_do_and_nothing_is_checked(client, org_a, manager):
    for name, data in (("v.pdf", b"%PDF-1.7"), ("v.docx", b"not a zip")):
        response = client.post(check_url(org_a), {"file": SimpleUploadedFile(name, data)})
        html = response.content.decode()
        assert 'aria-invalid="true"' in html
        assert "plak de tekst" in html
        assert "vacancy-result-heading" not in html


@pytest.mark.django_db
def test_an_empty_form_points_at_the_text_field(client, org_a, manager):
    html = client.post(check_url(org_a), {"text": "  "}).content.decode()
    assert "Plak de vacaturetekst of kies een bestand." in html
    assert 'id="id_text-error"' in html


def test_a_windows_text_file_is_read():
    assert text_of("v.txt", "Functie: opzichter, € 3.000".encode("cp1252")).endswith("€ 3.000")
    with pytest.raises(UnreadableDocument):
        text_of("v.odt", b"x")


@pytest.mark.django_db
def test_the_api_checks_a_text_for_roles_that_may_and_stores_nothing(client, org_a):
    body = {"text": MASCULINE, "title": "Hoofdopzichter", "lang": "nl"}
    for role in Role:
        raw = ApiToken.issue(org_a, "ats", role=role)[1]
        response = client.post(
            "/api/v1/recruitment/vacancy-check",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        if role in (Role.ADMIN, Role.HR_ANALYST, Role.MANAGER):
            assert response.status_code == 200, role
            assert response.json() == check_vacancy(MASCULINE, title="Hoofdopzichter").to_dict()
        else:
            assert response.status_code == 403, role
            assert response.json() == {"detail": "This token's role cannot check vacancy texts."}
    assert SavedVacancy.objects.count() == 0


@pytest.mark.django_db
def test_the_api_refuses_an_empty_text(client, org_a):
    raw = ApiToken.issue(org_a, "ats")[1]
    response = client.post(
        "/api/v1/recruitment/vacancy-check",
        {"text": ""},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422


@pytest.mark.django_db
def test_the_demo_history_shows_a_vacancy_before_and_after_its_rewrite(org_a):
    assert load_demo_vacancies(org_a) == len(DEMO_VACANCIES)
    assert load_demo_vacancies(org_a) == 0  # idempotent
    before, after = SavedVacancy.objects.for_org(org_a).order_by("pk")
    assert before.lean == "masculine"
    assert {"masculine_title", "no_pay_range", "long_requirements"} <= set(before.findings)
    assert after.findings == []
