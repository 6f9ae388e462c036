"""Appraisal parity in the web: import a round (all or nothing, pseudonymised, texts kept only
if chosen) and compare women and men within level and within reviewer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koers.organisations.models import Role
from koers.recruitment.appraisal_demo import DEMO_ROUND, demo_appraisal_file, load_demo_appraisals
from koers.recruitment.appraisal_text import measure
from koers.recruitment.appraisals import comparisons_of, delete_expired_rounds
from koers.recruitment.models import Appraisal, AppraisalRound
from tests.conftest import PASSWORD


@pytest.fixture
def hr(member_of: Any, client: Any) -> Any:
    user = member_of(Role.HR_ANALYST)
    client.login(username=user.username, password=PASSWORD)
    return user


def upload(client: Any, org: Any, data: bytes, **extra: Any) -> Any:
    return client.post(
        reverse("recruitment_appraisal_upload", kwargs={"org": org.slug}),
        {
            "name": "Ronde 2026",
            "file": SimpleUploadedFile("beoordelingen.csv", data, "text/csv"),
            **extra,
        },
    )


@pytest.mark.django_db
def test_hr_imports_a_round_and_sees_the_planted_differences(client, org_a, hr):
    response = upload(client, org_a, demo_appraisal_file())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    result = comparisons_of(AppraisalRound.objects.get(), 5)
    by_measure = {c.measure: c for c in result.comparisons}
    # The demo plants fewer result-tied sentences and more doubt raisers for women.
    assert by_measure["result_share"].label == "difference"
    assert by_measure["result_share"].difference < 0
    assert by_measure["doubt"].label == "difference"
    assert by_measure["doubt"].difference > 0
    assert "Twijfelwoorden (per 100 woorden)" in page
    assert f"{by_measure['doubt'].difference:.2f}".replace(".", ",") in page


@pytest.mark.django_db
def test_ids_are_never_stored_and_texts_only_when_chosen(client, org_a, hr):
    data = demo_appraisal_file()
    upload(client, org_a, data)
    first = AppraisalRound.objects.get()
    stored = list(Appraisal.objects.filter(round=first).values_list("employee", "reviewer", "text"))
    assert all(not e.startswith("P") and not r.startswith("B") for e, r, _ in stored)
    assert {t for _, _, t in stored} == {""}
    # The measures were taken before the text was dropped.
    assert Appraisal.objects.filter(round=first, words__gt=0).count() == len(stored)
    upload(client, org_a, data, keep_texts="on")
    kept = AppraisalRound.objects.exclude(pk=first.pk).get()
    sample = Appraisal.objects.filter(round=kept).first()
    assert sample.text
    assert sample.words == measure(sample.text).words


@pytest.mark.django_db
def test_a_bad_file_stores_nothing_and_names_row_and_column(client, org_a, hr):
    data = (
        "Personeelsnummer;Beoordelaar;Geslacht;Functieniveau;Eindoordeel\r\n"
        "P1;B1;V;9;3,5\r\n"
        "P2;B1;Q;9;4\r\n"
        "P3;B1;M;9;goed\r\n"
        "P1;B2;M;10;3\r\n"
    ).encode("cp1252")
    html = upload(client, org_a, data).content.decode()
    assert AppraisalRound.objects.count() == 0
    assert "Er zijn 3 problemen in het bestand; er is niets ingelezen." in html
    for fragment in ("row 3", "Geslacht", "row 4", "Eindoordeel", "row 5", "appears twice"):
        assert fragment in html, fragment


@pytest.mark.django_db
def test_a_small_round_shows_no_comparison_figures(client, org_a, hr):
    rows = "".join(f"P{i};B1;{'V' if i < 3 else 'M'};9;{3 + i % 2}\r\n" for i in range(12))
    data = ("Personeelsnummer;Beoordelaar;Geslacht;Functieniveau;Eindoordeel\r\n" + rows).encode()
    response = upload(client, org_a, data)
    page = client.get(response["Location"]).content.decode()
    result = comparisons_of(AppraisalRound.objects.get(), 5)
    assert [c.label for c in result.comparisons] == ["too_little_data"]
    assert "niet getoond: minder dan 5 vrouwen of 5 mannen" in page
    assert result.levels[0].n_women is None  # 3 women at level 9: suppressed


@pytest.mark.django_db
def test_the_demo_round_loads_once(org_a):
    assert load_demo_appraisals(org_a)
    assert load_demo_appraisals(org_a) == ""
    assert AppraisalRound.objects.for_org(org_a).get().name == DEMO_ROUND


@pytest.mark.django_db
def test_retention_deletes_old_rounds_with_their_rows(org_a):
    load_demo_appraisals(org_a)
    AppraisalRound.objects.update(created=timezone.now() - dt.timedelta(days=800))
    assert delete_expired_rounds(timezone.localdate() - dt.timedelta(days=730)) > 0
    assert Appraisal.objects.count() == 0
