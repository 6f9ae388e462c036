"""An .xlsx that unpacks to far more than an HR export is refused before it is unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from koers.hrfile import HRFileError, read_table


def _bomb(unpacked_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (unpacked_mb * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_with_a_clear_message() -> None:
    data = _bomb(30)  # 30 MB of zeros packs into a few tens of KB
    assert len(data) < 200_000
    with pytest.raises(HRFileError, match="unpacks to 30 MB"):
        read_table(data, filename="bomb.xlsx")


def test_a_normal_workbook_is_not_refused() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["employee_id", "gender"])
    for i in range(200):
        sheet.append([str(i), "V" if i % 2 else "M"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), filename="ok.xlsx")
    assert list(table.headers[:2]) == ["employee_id", "gender"]
