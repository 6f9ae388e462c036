"""Read a PDF's objects in tests: the raw bytes with every compressed stream inflated."""

from __future__ import annotations

import re
import zlib
from typing import Any


def pdf_objects(data: bytes) -> bytes:
    """The PDF's object text, with compressed streams (object streams too) inflated."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def is_tagged(data: bytes) -> bool:
    """A structure tree and ``/MarkInfo << /Marked true >>``: what screen readers need."""
    text = pdf_objects(data)
    return b"/StructTreeRoot" in text and bool(re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", text))


def fetch_pdf(client: Any, url: str, capture: Any, data: dict[str, str] | None = None) -> Any:
    """Ask for a file made in the background (koers.jobs.downloads) and download it.

    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``: the job runs when
    the transaction commits. Returns the download, or the start's answer when it did not go
    to a progress page (a refusal or a redirect elsewhere).
    """
    with capture(execute=True):
        start = client.post(url, data or {})
    location = start.get("Location", "")
    if start.status_code != 302 or "/download/" not in location:
        return start
    page = client.get(location)
    assert page.status_code == 200, page.status_code
    return client.get(f"{location}bestand/")
