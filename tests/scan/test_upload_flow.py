"""Journey 2 in the test client: upload with errors, the list, fix, import, the scan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.models import ColumnMapping, Snapshot, Upload
from koers.stats.paygap import compute_pay_gap
from tests.scan.conftest import FIRST_DATA_ROW, MISTAKES, REF, text_of


def test_a_file_with_errors_lists_every_problem_and_stores_nothing(
    client: Any, hr_user: Any, bad_file: bytes, run_upload: Any
) -> None:
    client.force_login(hr_user)
    response = run_upload(bad_file)
    assert response.templates[0].name == "scan/problems.html"
    page = text_of(response)
    assert "4 rijen met fouten" in page
    for (index, _column), _value in MISTAKES.items():
        assert f" {index + FIRST_DATA_ROW} " in page
    assert '"Q" is geen bekend geslacht' in page
    assert '"31-02-2020" is geen geldige datum' in page
    assert "70 uur per week kan niet" in page
    assert '"19x5" is geen getal' in page
    assert "Geslacht" in page
    assert "Datum in dienst" in page
    assert Snapshot.objects.count() == 0
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.INVALID
    assert upload.n_invalid_rows == 4


def test_the_problem_list_downloads_as_csv_with_rows_and_columns(
    client: Any, hr_user: Any, bad_file: bytes, run_upload: Any
) -> None:
    client.force_login(hr_user)
    run_upload(bad_file)
    upload = Upload.objects.get()
    response = client.get(
        reverse("scan_upload_problems_csv", kwargs={"org": "alpha", "pk": upload.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Rij;Kolom;Probleem"
    assert any(line.startswith(f"{2 + FIRST_DATA_ROW};Geslacht;") for line in lines)
    assert len(lines) == 1 + 4


def test_the_fixed_file_imports_and_the_dashboard_shows_compute_pay_gap(
    client: Any, hr_user: Any, bad_file: bytes, good_file: bytes, run_upload: Any
) -> None:
    client.force_login(hr_user)
    run_upload(bad_file)
    response = run_upload(good_file, filename="export-verbeterd.csv")
    assert response.templates[0].name == "scan/dashboard.html"
    snapshot = Snapshot.objects.get()
    assert snapshot.reference_date == REF
    assert snapshot.n_skipped == 0

    raw = read_table(good_file, filename="x.csv")
    expected_rows = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF)
    expected = compute_pay_gap(expected_rows.employees, REF)
    pay = response.context["r"]["pay"]
    assert pay["indicators"][0]["value"] == expected.mean_gap_pct
    assert pay["indicators"][2]["value"] == expected.median_gap_pct
    assert pay["indicators"][1]["value"] == expected.variable.mean_gap_pct
    assert pay["adjusted"]["gap_pct"] == expected.adjusted_gap_pct
    assert pay["counts"] == expected.counts
    assert [q["n"] for q in pay["quartiles"]] == [q.n for q in expected.quartiles]
    assert {c["category"] for c in pay["categories"]["rows"]} == {
        c.category for c in expected.categories
    }
    shown = f"{expected.mean_gap_pct:.1f}".replace(".", ",")
    assert shown in text_of(response)
    # Both uploads are finished: the first one's file was wiped when the second was imported?
    # No: the first stays open (invalid) until discarded or stale; the imported one is wiped.
    imported = Upload.objects.get(status=Upload.Status.IMPORTED)
    assert bytes(imported.data) == b""
    assert imported.problems == []


def test_only_the_valid_rows_import_when_the_user_chooses_so(
    client: Any,
    hr_user: Any,
    bad_file: bytes,
    run_upload: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(hr_user)
    run_upload(bad_file)
    upload = Upload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scan_upload_import_valid", kwargs={"org": "alpha", "pk": upload.pk})
        )
    assert response.status_code == 302
    snapshot = Snapshot.objects.get()
    assert snapshot.n_skipped == 4
    assert snapshot.n_rows == upload.n_rows - 4
    assert Upload.objects.get().status == Upload.Status.IMPORTED


def test_the_mapping_is_saved_and_reused_for_the_next_file(
    client: Any, hr_user: Any, rows: list[dict[str, Any]], run_upload: Any, org_a: Any
) -> None:
    from koers.scan.demo import dutch_export

    data = dutch_export(rows).replace(b"Uren per week", b"Werktijd")
    client.force_login(hr_user)
    response = run_upload(data, mapping={"Werktijd": "hours_per_week"})
    assert response.templates[0].name == "scan/dashboard.html"
    assert ColumnMapping.objects.for_org(org_a).get().mapping["werktijd"] == "hours_per_week"

    with_date = data.replace(b"30-06-2026;", b"30-06-2026;", 1)
    response = client.post(
        reverse("scan_upload_new", kwargs={"org": "alpha"}),
        {"file": SimpleUploadedFile("again.csv", with_date), "reference_date": "2025-12-31"},
    )
    upload = Upload.objects.order_by("-pk").first()
    from koers.scan.services import read_upload

    read_upload(Upload.objects.get(pk=upload.pk))
    response = client.get(reverse("scan_upload_mapping", kwargs={"org": "alpha", "pk": upload.pk}))
    form = response.context["form"]
    index = form.headers.index("Werktijd")
    assert form.fields[f"col_{index}"].initial == "hours_per_week"
    assert "De koppeling die je de vorige keer hebt bevestigd" in text_of(response)


def test_the_mapping_form_asks_for_missing_required_columns(
    client: Any, hr_user: Any, good_file: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(hr_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("scan_upload_new", kwargs={"org": "alpha"}),
            {"file": SimpleUploadedFile("x.csv", good_file), "reference_date": "2026-06-30"},
        )
    upload = Upload.objects.get()
    url = reverse("scan_upload_mapping", kwargs={"org": "alpha", "pk": upload.pk})
    form = client.get(url).context["form"]
    post = {name: field.initial or "" for name, field in form.fields.items()}
    gender = form.headers.index("Geslacht")
    post[f"col_{gender}"] = ""
    post[f"col_{form.headers.index('Afdeling')}"] = "job_family"  # twice
    response = client.post(url, post)
    assert response.status_code == 400
    page = text_of(response)
    assert "Kies een kolom voor ‘Geslacht’ (verplicht)" in page
    assert "‘Functie’ is al gekoppeld aan kolom" in page
    assert Upload.objects.get().status == Upload.Status.MAPPING


def test_the_upload_request_only_queues_the_work(
    client: Any, hr_user: Any, good_file: bytes
) -> None:
    """A 20 MB file must not time out the request: reading happens in a background job."""
    from koers.jobs.models import Job

    client.force_login(hr_user)
    response = client.post(
        reverse("scan_upload_new", kwargs={"org": "alpha"}),
        {"file": SimpleUploadedFile("x.csv", good_file), "reference_date": "2026-06-30"},
    )
    upload = Upload.objects.get()
    assert response["Location"] == reverse("scan_upload", kwargs={"org": "alpha", "pk": upload.pk})
    assert upload.status == Upload.Status.READING
    assert upload.headers == []
    job = Job.objects.get(kind="scan.read")
    assert job.status == Job.Status.QUEUED
    assert upload.job == job
    page = client.get(response["Location"], follow=True)
    assert page.templates[0].name == "scan/progress.html"
    assert 'data-job-done-url="' in page.content.decode()


def test_the_import_job_reports_progress_and_its_result(
    client: Any, hr_user: Any, good_file: bytes, run_upload: Any
) -> None:
    from koers.jobs.models import Job

    client.force_login(hr_user)
    run_upload(good_file)
    job = Job.objects.get(kind="scan.import")
    assert job.status == Job.Status.DONE
    assert job.progress == 100
    assert job.result == {
        "upload": Upload.objects.get().pk,
        "status": "imported",
        "snapshot": Snapshot.objects.get().pk,
    }
    assert "personeelsnummer" not in str(job.params).lower()


def test_an_xlsx_export_imports_too(
    client: Any, hr_user: Any, rows: list[dict[str, Any]], run_upload: Any
) -> None:
    import io

    import openpyxl

    from koers.scan.demo import DUTCH_HEADERS, _cell

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Personeelsoverzicht"])
    sheet.append(list(DUTCH_HEADERS.values()))
    for row in rows:
        sheet.append([_cell(name, row.get(name)) for name in DUTCH_HEADERS])
    out = io.BytesIO()
    book.save(out)
    client.force_login(hr_user)
    response = run_upload(out.getvalue(), filename="export.xlsx")
    assert response.templates[0].name == "scan/dashboard.html"
    assert Snapshot.objects.get().n_rows == len(rows)


def test_a_second_import_on_the_same_date_waits_for_confirmation_and_keeps_the_first(
    client: Any, hr_user: Any, good_file: bytes, run_upload: Any
) -> None:
    client.force_login(hr_user)
    run_upload(good_file)
    first = Snapshot.objects.get()
    response = run_upload(good_file, filename="second.csv")
    assert response.templates[0].name == "scan/replace.html"
    assert Snapshot.objects.count() == 2
    assert Snapshot.objects.current_for(first.organisation).get().pk == first.pk
    run_upload(good_file, reference_date=dt.date(2026, 5, 31))
    assert Snapshot.objects.current_for(first.organisation).count() == 2


def test_a_stale_job_does_not_touch_a_discarded_upload(
    client: Any, hr_user: Any, good_file: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    from koers.jobs.models import Job
    from koers.jobs.tasks import run_job

    client.force_login(hr_user)
    client.post(
        reverse("scan_upload_new", kwargs={"org": "alpha"}),
        {"file": SimpleUploadedFile("x.csv", good_file), "reference_date": "2026-06-30"},
    )
    upload = Upload.objects.get()
    client.post(reverse("scan_upload_discard", kwargs={"org": "alpha", "pk": upload.pk}))
    run_job(Job.objects.get(kind="scan.read").pk)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.DISCARDED
    assert Job.objects.get(kind="scan.read").result["skipped"] is True
