"""Fixtures for the Gender Scan tests: small synthetic HR exports and the upload steps."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.scan.demo import dutch_export, generate_rows

REF = dt.date(2026, 6, 30)
# In a dutch_export file with a title line, data row i is spreadsheet row i + 3.
FIRST_DATA_ROW = 3
MISTAKES = {
    (2, "gender"): "Q",
    (5, "hire_date"): "31-02-2020",
    (7, "hours_per_week"): "70",
    (11, "birth_year"): "19x5",
}


@pytest.fixture(scope="session")
def rows() -> list[dict[str, Any]]:
    return generate_rows(160, seed=11, reference_date=REF)


@pytest.fixture
def good_file(rows: list[dict[str, Any]]) -> bytes:
    return dutch_export(rows)


@pytest.fixture
def bad_file(rows: list[dict[str, Any]]) -> bytes:
    return dutch_export(rows, overrides=MISTAKES)


@pytest.fixture
def hr_user(member_of: Callable[[str], Any]) -> Any:
    return member_of("hr_analyst")


def _form_data(response: Any) -> dict[str, str]:
    """The mapping form's current choices, as a browser would submit them."""
    form = response.context["form"]
    return {name: (field.initial or "") for name, field in form.fields.items()}


@pytest.fixture
def run_upload(client: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Upload ``data`` and confirm the suggested mapping; return the final response."""

    def run(
        data: bytes,
        *,
        org: str = "alpha",
        filename: str = "export.csv",
        reference_date: dt.date = REF,
        mapping: Mapping[str, str] | None = None,
    ) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("scan_upload_new", kwargs={"org": org}),
                {
                    "file": SimpleUploadedFile(filename, data),
                    "reference_date": reference_date.isoformat(),
                },
            )
        assert response.status_code == 302, response.content[:2000]
        response = client.get(response["Location"], follow=True)
        if "form" not in (response.context or {}) or response.templates[0].name != (
            "scan/mapping.html"
        ):
            return response
        post = _form_data(response)
        if mapping:
            form = response.context["form"]
            for i, header in enumerate(form.headers):
                if header in mapping:
                    post[f"col_{i}"] = mapping[header]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(response.request["PATH_INFO"], post)
        assert response.status_code == 302, response.content[:3000]
        return client.get(response["Location"], follow=True)

    return run


def text_of(response: Any) -> str:
    """The response body as text with tags removed and whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())
