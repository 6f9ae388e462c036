"""Reading a whole CSV at C speed into columns of text, the way :mod:`csv` reads it.

:func:`koers.hrfile.reader.read_table` first tries :func:`read_records`: pandas'
C parser turns the file into one Arrow string array per column (compact: a
million rows of an HR export take about as much memory as the file itself).
Every cell stays text; interpreting it is :mod:`koers.hrfile.vectorised`'s job.
When the C parser would read the file differently from Python's :mod:`csv`
module (a row wider than the first rows, a quote without its partner, a cell
longer than :func:`csv.field_size_limit`), :func:`read_records` returns ``None``
and the reader falls back to :mod:`csv`, which explains the problem per row.

Two differences from :mod:`csv` are made invisible to callers: a short row is
padded with ``""`` (not ``None``), and a blank line is a row of ``""`` cells
(not ``[]``). Both are blank either way; :class:`~koers.hrfile.reader.RawTable`
shows empty CSV cells as ``None``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

# Encodings whose bytes map one to one onto the C parser's input without surprises.
_FAST_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")
_CHECK_CHUNK = 4 * 1024 * 1024
_MAX_BLOCK = (1 << 31) - 1  # Arrow's 32-bit string offsets
_BLOCK = 16 << 20


def blank_mask(column: pa.Array) -> np.ndarray:
    """True where a text cell is empty or only whitespace (Python's ``str.isspace``)."""
    empty = pc.equal(pc.binary_length(column), 0)
    blank = pc.or_(empty, pc.utf8_is_space(column))
    return np.asarray(pc.fill_null(blank, True).to_numpy(zero_copy_only=False), dtype=bool)


def decodes_as(data: bytes, encoding: str) -> bool:
    """Whether all of ``data`` is valid ``encoding``, without holding the decoded text."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), _CHECK_CHUNK):
            decoder.decode(data[start : start + _CHECK_CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_start(data: bytes, encoding: str, n_bytes: int = 1_000_000) -> str:
    """The text of the first ``n_bytes`` (a character cut in half at the end is left out)."""
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(data[:n_bytes])


def transcode(data: bytes, encoding: str) -> bytearray | None:
    """``data`` re-encoded as UTF-8, or ``None`` when it is not valid ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)()
    out = bytearray()
    try:
        for start in range(0, len(data), _CHECK_CHUNK):
            out += decoder.decode(data[start : start + _CHECK_CHUNK]).encode("utf-8")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return out


def top_records(
    text: str, delimiter: str, n: int, *, complete: bool
) -> tuple[list[list[str]], list[int]]:
    """The first ``n`` records of ``text`` as :mod:`csv` reads them, and where each ends.

    The ends are offsets in UTF-8 bytes of ``text``. Unless ``text`` is the
    ``complete`` file, its last record is left out: it may have been cut short.
    """
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    records: list[list[str]] = []
    ends: list[int] = []
    # A malformed record ends the sample there: the records before it are still the
    # header's evidence, and the full reader reports the error with its row and column.
    with contextlib.suppress(csv.Error):
        for record in reader:
            end = stream.tell()
            if end >= len(text) and not complete:
                break
            records.append(record)
            ends.append(end)
            if len(records) >= n:
                break
    byte_ends = [len(text[:end].encode("utf-8")) for end in ends]
    return records, byte_ends


def read_body(
    utf8: memoryview | bytes | bytearray, start: int, delimiter: str, width: int
) -> list[pa.Array] | None:
    """The records after byte ``start`` as ``width`` text columns, read by Arrow's CSV reader.

    ``None`` when a record has another number of cells (a short, long or runaway
    row): the caller reads the file the slower ways, which explain such rows.
    """
    names = [str(j) for j in range(width)]
    size = len(utf8) - start
    block = _BLOCK
    text_type = pa.string() if size < _MAX_BLOCK else pa.large_string()
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(utf8)[start:]),
            read_options=pa_csv.ReadOptions(
                column_names=names, use_threads=False, block_size=block
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, text_type),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    chunks = [list(table.column(j).chunks) for j in range(width)]
    del table
    columns = []
    for j in range(width):  # one column at a time: one column's copy at most on top
        parts = chunks[j] or [pa.array([], type=text_type)]
        columns.append(pa.concat_arrays(parts) if len(parts) > 1 else parts[0])
        chunks[j] = []
    if not _within_field_limit(columns):
        return None
    return columns


def _within_field_limit(columns: list[pa.Array]) -> bool:
    limit = csv.field_size_limit()
    for column in columns:
        longest = pc.max(pc.binary_length(column)).as_py() if len(column) else 0
        if longest is not None and longest > limit:
            return False  # perhaps a runaway quote: csv explains it
    return True


def read_records(data: bytes, encoding: str, delimiter: str, width: int) -> list[pa.Array] | None:
    """Every record of the file as ``width`` text columns, or ``None`` when only :mod:`csv` can.

    ``width`` is the widest record among the first ones; a wider record later on
    makes the C parser stop, and :mod:`csv` reads the file instead.
    """
    if encoding not in _FAST_ENCODINGS or width < 1:
        return None
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            sep=delimiter,
            header=None,
            names=list(range(width)),
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            engine="c",
            encoding=encoding,
            quoting=csv.QUOTE_MINIMAL,
            doublequote=True,
            skipinitialspace=False,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError):
        return None
    columns = [_as_text(frame[j]) for j in range(width)]
    del frame
    return columns if _within_field_limit(columns) else None


def _as_text(series: pd.Series[Any]) -> pa.Array:
    array = pa.array(series, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_large_string(array.type) and not pa.types.is_string(array.type):
        array = pc.cast(array, pa.large_string())
    return pc.fill_null(array, "")


def text_columns(rows: list[list[str]], width: int) -> list[pa.Array]:
    """Rows from :mod:`csv` as ``width`` text columns, short rows padded with ``""``."""
    columns: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for j in range(width):
            columns[j].append(row[j] if j < len(row) else "")
    return [pa.array(column, type=pa.large_string()) for column in columns]


def cell_list(column: pa.Array, positions: np.ndarray) -> list[str]:
    """The cells at ``positions`` as Python strings."""
    return [str(v) for v in column.take(pa.array(positions, type=pa.int64())).to_pylist()]
