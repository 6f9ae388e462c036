"""The upload form refuses what is not a CSV or .xlsx file, with a message that says what to do."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.scan import forms as scan_forms
from koers.scan.models import Upload
from koers.scan.services import problems_csv
from tests.scan.conftest import REF, text_of


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG-bestand"),
        ("export.csv", b"%PDF-1.7\n" + b"x" * 50, "PDF-bestand"),
        ("export.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "oud Excel-bestand"),
        ("export.xlsx", b"Personeelsnummer;Geslacht\n1;V\n", "geen Excel-werkmap"),
        ("export.zip", _zip(["a.csv"]), "zip-archief"),
        ("export.csv", b"a\x00b\x01c" * 100, "binaire gegevens"),
        ("export.docx", b"Personeelsnummer;Geslacht\n1;V\n", "CSV-bestand (.csv) of een Excel"),
        ("leeg.csv", b"   \n", "leeg"),
    ],
)
def test_non_table_files_are_refused_with_a_clear_message(
    client: Any, hr_user: Any, name: str, data: bytes, message: str
) -> None:
    client.force_login(hr_user)
    response = client.post(
        reverse("scan_upload_new", kwargs={"org": "alpha"}),
        {"file": SimpleUploadedFile(name, data), "reference_date": "2026-06-30"},
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Upload.objects.exists()


def test_files_over_the_size_limit_are_refused(
    client: Any, hr_user: Any, good_file: bytes, monkeypatch: Any
) -> None:
    monkeypatch.setattr(scan_forms, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(hr_user)
    response = client.post(
        reverse("scan_upload_new", kwargs={"org": "alpha"}),
        {"file": SimpleUploadedFile("x.csv", good_file), "reference_date": "2026-06-30"},
    )
    assert response.status_code == 400
    assert "Koers neemt bestanden tot 25 MB aan" in text_of(response)


def test_an_unreadable_table_is_reported_as_a_file_problem(
    client: Any, hr_user: Any, run_upload: Any
) -> None:
    client.force_login(hr_user)
    response = run_upload(b"\n\n;;;\n", filename="x.csv")
    assert response.templates[0].name == "scan/problems.html"
    page = text_of(response)
    assert "Dit bestand kan zo niet worden gebruikt" in page
    assert "geen tabel" in page
    assert "goede rijen importeren" not in page


def test_a_missing_required_column_blocks_importing_valid_rows(
    org_a: Any, rows: list[dict[str, Any]]
) -> None:
    from koers.scan.demo import dutch_export
    from koers.scan.services import check_upload

    data = dutch_export(rows)
    upload = Upload.objects.create(
        organisation=org_a,
        filename="x.csv",
        reference_date=REF,
        data=data,
        mapping={"Personeelsnummer": "employee_id", "Geslacht": "gender"},
    )
    assert check_upload(upload, valid_only=True) is None
    assert upload.status == Upload.Status.INVALID
    assert not upload.usable
    assert any(p[0] is None for p in upload.problems)


def test_the_problem_csv_neutralises_formulas(org_a: Any) -> None:
    upload = Upload.objects.create(
        organisation=org_a,
        filename="x.csv",
        reference_date=REF,
        status=Upload.Status.INVALID,
        problems=[
            [3, '=HYPERLINK("http://evil","klik")', '"Q" is not a known gender: use V', "gender"],
            [4, "+Geslacht", "@SUM(A1)", None],
            [None, "-Uren", "is missing from the file (it is required); name a column x", None],
        ],
    )
    text = problems_csv(upload)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1].startswith("3;\"'=HYPERLINK(")
    assert lines[2] == "4;'+Geslacht;'@SUM(A1)"
    assert lines[3].startswith("hele bestand;'-Uren;ontbreekt in het bestand")
