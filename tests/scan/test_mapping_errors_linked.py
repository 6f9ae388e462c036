"""The column mapping links an error to the column's choice (templates: scan/mapping.html)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.formlinks import assert_error_linked
from tests.scan.conftest import REF, _form_data


def test_the_column_mapping_links_a_column_chosen_twice(
    client: Any, hr_user: Any, good_file: bytes, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(hr_user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("scan_upload_new", kwargs={"org": "alpha"}),
            {
                "file": SimpleUploadedFile("export.csv", good_file),
                "reference_date": REF.isoformat(),
            },
        )
    mapping = client.get(started["Location"], follow=True)
    data = _form_data(mapping)
    chosen = [name for name, value in data.items() if value]
    first, second = chosen[:2]
    data[second] = data[first]
    page = client.post(mapping.request["PATH_INFO"], data)
    assert page.status_code in (200, 400)
    assert_error_linked(page.content.decode(), f"id_{second}")
