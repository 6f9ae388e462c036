"""How a snapshot's employee rows are stored: one gzip-compressed CSV blob per snapshot.

Why a blob and not one database row per employee: every scan figure is
computed by :mod:`koers.stats` on the whole canonical DataFrame at once, and
nothing ever queries single employees. One blob imports a 1,000,000-row sector
file with a single INSERT inside the import transaction (a million-row
``bulk_create`` takes minutes and bloats the database), loads back in one read,
and deleting the snapshot deletes every row of personal data with it. The blob
holds only pseudonymised ids (see :func:`koers.scan.services.pseudonymise`).

The CSV is written with ISO dates and ``repr`` floats, so :func:`decode_frame`
gives back exactly the frame :func:`encode_frame` was given (dtypes included);
``tests/scan/test_storage.py`` checks the round trip. Pure Python: no Django.
"""

from __future__ import annotations

import gzip
import io

import pandas as pd

from koers.hrfile.columns import COLUMNS_BY_NAME
from koers.hrfile.employees import TEXT

_NUMERIC_KINDS = {"hours", "salary", "variable_pay", "money", "birth_year"}
FORMAT_VERSION = 1


def encode_frame(frame: pd.DataFrame) -> bytes:
    """The canonical employee frame as gzip-compressed UTF-8 CSV."""
    unknown = [c for c in frame.columns if c != "source_row" and c not in COLUMNS_BY_NAME]
    if unknown:
        raise ValueError(f"not canonical employee columns: {unknown}")
    text = frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def decode_frame(blob: bytes) -> pd.DataFrame:
    """The frame back from :func:`encode_frame`, with the dtypes ``koers.hrfile`` produces."""
    text = gzip.decompress(blob).decode("utf-8")
    header = pd.read_csv(io.StringIO(text), nrows=0).columns.tolist()
    kinds = {name: _kind(name) for name in header}
    dtype: dict[str, str] = {}
    for name, kind in kinds.items():
        if kind == "number":
            dtype[name] = "float64"
        elif kind == "int":
            dtype[name] = "int64"
        elif kind in ("text", "bool", "date"):
            dtype[name] = "str"
    frame = pd.read_csv(
        io.StringIO(text),
        dtype=dtype,
        keep_default_na=False,
        na_values={name: [""] for name in header},
    )
    for name, kind in kinds.items():
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d").astype("datetime64[s]")
        elif kind == "bool":
            frame[name] = frame[name].map({"True": True, "False": False}).astype("boolean")
        elif kind == "text":
            frame[name] = frame[name].astype(TEXT)
    return frame


def _kind(name: str) -> str:
    if name == "source_row":
        return "int"
    spec = COLUMNS_BY_NAME[name]
    if spec.kind == "date":
        return "date"
    if spec.kind in _NUMERIC_KINDS:
        return "number"
    if spec.kind == "bool":
        return "bool"
    return "text"
