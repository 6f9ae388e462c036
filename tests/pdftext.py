"""Read a PDF's objects in tests: the raw bytes with every compressed stream inflated."""

from __future__ import annotations

import re
import zlib


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
