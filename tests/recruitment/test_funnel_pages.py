"""The selection funnel in the web: import an applicant file, read the funnel by gender."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koers.organisations.models import Role
from koers.recruitment.demo import demo_file, load_demo_recruitment
from koers.recruitment.models import Applicant, ApplicantImport
from koers.recruitment.services import delete_expired_imports, funnel_of
from tests.conftest import PASSWORD

GOOD = (
    "Kandidaatnummer;Geslacht;Hoogste fase\r\n"
    + "".join(f"W{i};V;{'gesprek' if i < 3 else 'gesolliciteerd'}\r\n" for i in range(10))
    + "".join(f"M{i};M;{'aangenomen' if i < 6 else 'geselecteerd'}\r\n" for i in range(10))
).encode("cp1252")


@pytest.fixture
def hr(member_of: Any, client: Any) -> Any:
    user = member_of(Role.HR_ANALYST)
    client.login(username=user.username, password=PASSWORD)
    return user


def upload(client: Any, org: Any, data: bytes, **extra: str) -> Any:
    return client.post(
        reverse("recruitment_upload", kwargs={"org": org.slug}),
        {"file": SimpleUploadedFile("sollicitanten.csv", data, "text/csv"), **extra},
    )


@pytest.mark.django_db
def test_hr_imports_a_dutch_file_and_sees_the_funnel(client, org_a, hr):
    response = upload(client, org_a, GOOD)
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    upload_row = ApplicantImport.objects.for_org(org_a).get()
    funnel = funnel_of(upload_row)
    first = funnel.transitions[0]
    assert (first.female.n, first.female.passed, first.male.n, first.male.passed) == (
        10,
        3,
        10,
        10,
    )
    assert "gesolliciteerd → geselecteerd" in html  # the default stages in the page's language
    assert "signaal" in html  # 3/10 against 10/10: IR 0.3, p = .003


@pytest.mark.django_db
def test_candidate_ids_are_not_stored(client, org_a, hr):
    upload(client, org_a, GOOD)
    pseudonyms = set(Applicant.objects.for_org(org_a).values_list("pseudonym", flat=True))
    assert len(pseudonyms) == 20
    ids = {f"W{i}" for i in range(10)} | {f"M{i}" for i in range(10)}
    assert not pseudonyms & ids
    assert all(len(p) == 16 for p in pseudonyms)


@pytest.mark.django_db
def test_a_bad_file_stores_nothing_and_names_row_and_column(client, org_a, hr):
    bad = GOOD + "W99;Q;gesprek\r\nW98;V;sollicitatiegesprek\r\n".encode("cp1252")
    response = upload(client, org_a, bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "row 22, column Geslacht" in html
    assert "row 23, column Hoogste fase" in html
    assert "niets ingelezen" in html
    assert not ApplicantImport.objects.exists()
    assert not Applicant.objects.exists()


@pytest.mark.django_db
def test_a_labour_market_share_needs_its_source(client, org_a, hr):
    response = upload(client, org_a, GOOD, labour_market_share="24")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApplicantImport.objects.exists()


@pytest.mark.django_db
def test_another_organisation_cannot_open_this_import(client, org_a, org_b, hr, charlie):
    upload(client, org_a, GOOD)
    pk = ApplicantImport.objects.get().pk
    client.logout()
    client.login(username=charlie.username, password=PASSWORD)
    url = reverse("recruitment_funnel", kwargs={"org": org_b.slug})
    assert client.get(f"{url}?bestand={pk}").status_code == 404


@pytest.mark.django_db
def test_the_demo_shows_a_drop_for_women_at_the_interview(org_a):
    assert load_demo_recruitment(org_a)
    assert load_demo_recruitment(org_a) == ""  # idempotent
    funnel = funnel_of(ApplicantImport.objects.for_org(org_a).get())
    labels = {(t.start, t.end): t.label for t in funnel.transitions}
    assert labels[("screened", "interviewed")] == "signal"
    assert labels[("applied", "screened")] in {"no_signal", "watch"}
    assert funnel.transitions[0].other.n > 0


def test_the_demo_file_is_a_dutch_excel_export():
    data = demo_file()
    text = data.decode("cp1252")
    assert text.startswith("Kandidaatnummer;Functiefamilie;Geslacht")
    assert "\r\n" in text


@pytest.mark.django_db
def test_retention_deletes_old_imports_with_their_rows(org_a):
    load_demo_recruitment(org_a)
    assert delete_expired_imports(timezone.localdate() - dt.timedelta(days=1)) == 0
    assert delete_expired_imports(timezone.localdate() + dt.timedelta(days=1)) > 0
    assert not Applicant.objects.exists()
