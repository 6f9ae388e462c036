"""The text of an uploaded vacancy: plain text or a Word document (.docx).

A .docx is a zip file whose ``word/document.xml`` holds the paragraphs (ECMA-376 part 1,
WordprocessingML: ``w:p`` paragraphs, ``w:t`` text runs, ``w:tab`` and ``w:br``). Reading
those few elements with the standard library avoids a dependency for one function; the
uncompressed size is checked before reading, so a zip bomb is refused, and ElementTree
resolves no external entities.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext as _

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_TEXT_BYTES = 5 * 1024 * 1024  # document.xml uncompressed
EXTENSIONS = (".txt", ".docx")


class UnreadableDocument(ValueError):
    """The upload is not a text or Word file Koers can read; the message says what to do."""


def text_of(name: str, data: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".docx"):
        return _docx_text(data)
    if lower.endswith(".txt"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    raise UnreadableDocument(
        _(
            "Koers leest een vacature als .txt of .docx (Word). Sla het bestand in een van die "
            "vormen op, of plak de tekst."
        )
    )


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_TEXT_BYTES:
                raise UnreadableDocument(
                    _("Het Word-bestand is te groot om te lezen; plak de tekst van de vacature.")
                )
            root = ElementTree.fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise UnreadableDocument(
            _(
                "Dit is geen leesbaar Word-bestand (.docx). Open het in Word en sla het opnieuw "
                "op als .docx, of plak de tekst."
            )
        ) from error
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{W}tab":
                parts.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
        numbered = paragraph.find(f"{W}pPr/{W}numPr") is not None
        line = "".join(parts)
        paragraphs.append(f"- {line}" if numbered and line.strip() else line)
    return "\n".join(paragraphs).strip()
