"""Parsing single cells the way Dutch and English HR exports write them.

Every parser takes one non-blank cell (a ``str`` from CSV, or the native value
openpyxl gives for ``.xlsx``) and returns a Python value or raises
:class:`CellError` with a message that says what is wrong and what is expected.
:mod:`koers.hrfile.employees` calls them once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

Cell = str | int | float | bool | dt.date | dt.datetime | None

MAX_TEXT_LENGTH = 255
# Excel's 1900 date system (with its 1900 leap-year bug) counts from 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MIN_YEAR, _MAX_YEAR = 1900, 2100


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: Cell, limit: int = 40) -> str:
    """Quote a cell for a message: trimmed, control characters escaped."""
    text = value if isinstance(value, str) else str(value)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _clean_text(value: Cell) -> str:
    if isinstance(value, str):
        return value.strip().replace("\xa0", " ").replace("\u202f", " ")
    return str(value)


# --- dates -------------------------------------------------------------------

_ISO_RE = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DMY_RE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SHORT_YEAR_RE = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}")


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise CellError(f"{show(text)}: year {year} is out of range ({_MIN_YEAR}-{_MAX_YEAR})")
    if not 1 <= month <= 12:
        raise CellError(
            f"{show(text)} is not a valid date: month {month} does not exist "
            "(dates are read day first: d-m-yyyy)"
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"{show(text)} is not a valid date: day {day} does not exist") from None


def parse_date(value: Cell) -> dt.date:
    """Read ``yyyy-mm-dd``, ``d-m-yyyy``/``dd-mm-yyyy`` (also with ``/`` or ``.``).

    Day-month-year is never read month first: ``06-30-2026`` is an error.
    ``.xlsx`` dates come as ``datetime``; a bare number in an ``.xlsx`` date cell
    is read as an Excel serial day number.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if number.is_integer() and 1 <= number <= 73050:
            return _EXCEL_EPOCH + dt.timedelta(days=int(number))
        raise CellError(f"{show(value)} is not a date: expected d-m-yyyy or yyyy-mm-dd")
    text = _clean_text(value)
    match = _ISO_RE.fullmatch(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    match = _DMY_RE.fullmatch(text)
    if match:
        return _make_date(int(match[3]), int(match[2]), int(match[1]), text)
    if _SHORT_YEAR_RE.fullmatch(text):
        raise CellError(f"{show(text)}: write the year with four digits (d-m-yyyy)")
    raise CellError(f"{show(text)} is not a date: expected d-m-yyyy or yyyy-mm-dd")


# --- numbers -----------------------------------------------------------------

_CURRENCY_RE = re.compile(r"^(?:€|euro|eur)|(?:€|euro|eur)$", re.IGNORECASE)
_NUMBER_CHARS_RE = re.compile(r"[+-]?[\d.,]*\d[\d.,]*")
_GROUPED = {
    ".": re.compile(r"\d{1,3}(?:\.\d{3})+"),
    ",": re.compile(r"\d{1,3}(?:,\d{3})+"),
}


def _other(sep: str) -> str:
    return "," if sep == "." else "."


def _strip_amount(text: str) -> str:
    text = text.replace(" ", "").replace("'", "").replace("\u2212", "-")
    text = _CURRENCY_RE.sub("", text)
    if text.endswith((",-", ".-")):  # "€ 45.000,-" means 45.000,00
        text = text[:-1] + "00"
    return text


def decimal_evidence(text: str) -> str | None:
    """The decimal separator a numeric text proves, if any (``,``, ``.`` or None)."""
    text = _strip_amount(text)
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        return "." if text.rfind(".") > text.rfind(",") else ","
    for sep in (".", ","):
        if sep in text:
            digits = text.lstrip("+-")
            if text.count(sep) > 1:
                return _other(sep) if _GROUPED[sep].fullmatch(digits) else None
            if not _GROUPED[sep].fullmatch(digits):
                return sep
    return None


def infer_decimal(values: Iterable[Cell], default: str) -> str:
    """The decimal separator of a column: its unambiguous values decide, else ``default``.

    ``45.123,50`` proves a decimal comma, ``37.5`` a decimal point; ``45.123``
    proves nothing. When the column's evidence conflicts the file default wins.
    """
    seen: set[str] = set()
    for value in values:
        if isinstance(value, str):
            evidence = decimal_evidence(value)
            if evidence is not None:
                seen.add(evidence)
                if len(seen) > 1:
                    return default
    return seen.pop() if seen else default


def parse_number(value: Cell, decimal: str = ",") -> float:
    """Read ``45123,50``, ``45.123,50``, ``€ 45.123,50``, ``45,123.50``, ``45123.5``.

    ``decimal`` is the column's decimal separator, used only where a text is
    ambiguous (``45.123`` is 45123 with a decimal comma, 45.123 with a point).
    """
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number):
            raise CellError(f"{show(value)} is not a number")
        return number
    if isinstance(value, bool | dt.date):
        raise CellError(f"{show(value)} is not a number")
    raw = _clean_text(value)
    text = _strip_amount(raw)
    if not _NUMBER_CHARS_RE.fullmatch(text):
        raise CellError(f"{show(raw)} is not a number")
    sign = -1.0 if text.startswith("-") else 1.0
    digits = text.lstrip("+-")
    has_dot, has_comma = "." in digits, "," in digits
    if has_dot and has_comma:
        dec = "." if digits.rfind(".") > digits.rfind(",") else ","
        whole, _, frac = digits.rpartition(dec)
        thousands = _other(dec)
        if dec in whole or not (_GROUPED[thousands].fullmatch(whole) or whole.isdigit()):
            raise CellError(f"{show(raw)} is not a number (mixed separators)")
        return sign * float(whole.replace(thousands, "") + "." + frac)
    for sep in (".", ","):
        if sep not in digits:
            continue
        if digits.count(sep) > 1:
            if _GROUPED[sep].fullmatch(digits):
                return sign * float(digits.replace(sep, ""))
            raise CellError(f"{show(raw)} is not a number")
        whole, _, frac = digits.partition(sep)
        if not frac:
            raise CellError(f"{show(raw)} is not a number")
        if sep != decimal and _GROUPED[sep].fullmatch(digits):
            return sign * float(whole + frac)  # thousands separator: 45.123 -> 45123
        return sign * float((whole or "0") + "." + frac)
    return sign * float(digits)


def parse_int(value: Cell, decimal: str = ",") -> int:
    """A whole number; ``1985.0`` (Excel) is accepted, ``1985.5`` is not."""
    number = parse_number(value, decimal)
    if not number.is_integer():
        raise CellError(f"{show(value)} is not a whole number")
    return int(number)


# --- codes ---------------------------------------------------------------------

_BOOLS = {
    "true": True,
    "false": False,
    "ja": True,
    "nee": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
    "waar": True,
    "onwaar": False,
    "j": True,
    "n": False,
    "y": True,
    "1.0": True,
    "0.0": False,
    "1,0": True,
    "0,0": False,
}
GENDERS = {
    "v": "female",
    "f": "female",
    "vrouw": "female",
    "female": "female",
    "w": "female",
    "m": "male",
    "man": "male",
    "male": "male",
    "x": "other",
    "anders": "other",
    "other": "other",
    "non-binary": "other",
    "onbekend": "other",
    "unknown": "other",
}
EDUCATION_LEVELS = ("mbo", "hbo", "wo", "phd")
MANAGEMENT_LAYERS = {
    "board": "board",
    "bestuur": "board",
    "directie": "board",
    "raad van bestuur": "board",
    "rvb": "board",
    "supervisory_board": "supervisory_board",
    "supervisory board": "supervisory_board",
    "raad van commissarissen": "supervisory_board",
    "rvc": "supervisory_board",
    "raad van toezicht": "supervisory_board",
    "rvt": "supervisory_board",
    "subtop": "subtop",
    "none": "none",
    "geen": "none",
    "-": "none",
}


def parse_bool(value: Cell) -> bool:
    """true/false, ja/nee, yes/no, 1/0 (any case; also Excel's WAAR/ONWAAR)."""
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return bool(value)
    key = _clean_text(value).lower()
    if key in _BOOLS:
        return _BOOLS[key]
    raise CellError(f"{show(value)} is not yes or no: use ja/nee, yes/no, true/false or 1/0")


def parse_gender(value: Cell) -> str:
    """``female``, ``male`` or ``other`` from the codes in ``spec/hr-data.md``."""
    key = _clean_text(value).lower()
    if key in GENDERS:
        return GENDERS[key]
    raise CellError(
        f"{show(value)} is not a known gender: use V/vrouw/F/female, M/man/male or X/anders/other"
    )


def parse_education(value: Cell) -> str:
    """mbo, hbo, wo or phd; ``unknown``/``onbekend`` as written is the same as empty."""
    key = _clean_text(value).lower().replace(".", "")
    if key in EDUCATION_LEVELS:
        return key
    if key in ("unknown", "onbekend"):
        return "unknown"
    raise CellError(f"{show(value)} is not an education level: use mbo, hbo, wo or phd")


# Leave after which a pay rise is reported (EU 2023/970 Art. 10): the Dutch names of the
# WAZO leaves and the English ones, case- and hyphen-insensitive.
LEAVE_TYPES = {
    "maternity": "maternity",
    "maternity leave": "maternity",
    "zwangerschapsverlof": "maternity",
    "bevallingsverlof": "maternity",
    "zwangerschaps en bevallingsverlof": "maternity",
    "zwangerschaps- en bevallingsverlof": "maternity",
    "wazo": "maternity",
    "paternity": "paternity",
    "paternity leave": "paternity",
    "geboorteverlof": "paternity",
    "aanvullend geboorteverlof": "paternity",
    "partnerverlof": "paternity",
    "vaderschapsverlof": "paternity",
    "parental": "parental",
    "parental leave": "parental",
    "ouderschapsverlof": "parental",
    "betaald ouderschapsverlof": "parental",
    "onbetaald ouderschapsverlof": "parental",
    "carer": "carer",
    "carers": "carer",
    "carer's leave": "carer",
    "carers leave": "carer",
    "carers' leave": "carer",
    "zorgverlof": "carer",
    "kortdurend zorgverlof": "carer",
    "langdurend zorgverlof": "carer",
    "mantelzorgverlof": "carer",
}


def parse_leave_type(value: Cell) -> str:
    """``maternity``, ``paternity``, ``parental`` or ``carer`` from the English or Dutch name."""
    key = " ".join(_clean_text(value).lower().replace("\u2019", "'").split())
    if key in LEAVE_TYPES:
        return LEAVE_TYPES[key]
    raise CellError(
        f"{show(value)} is not a leave type: use zwangerschapsverlof/bevallingsverlof "
        "(maternity), geboorteverlof/partnerverlof (paternity), ouderschapsverlof (parental) "
        "or zorgverlof (carer)"
    )


def parse_management_layer(value: Cell) -> str:
    key = " ".join(_clean_text(value).lower().split())
    if key in MANAGEMENT_LAYERS:
        return MANAGEMENT_LAYERS[key]
    raise CellError(
        f"{show(value)} is not a management layer: use board, supervisory_board, subtop or none"
    )


def parse_text(value: Cell) -> str:
    """Trimmed text; numbers from ``.xlsx`` become text (``11.0`` → ``"11"``)."""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dt.datetime | dt.date):
        text = value.isoformat()[:10] if not isinstance(value, dt.datetime) else str(value)
    else:
        text = _clean_text(value)
    if len(text) > MAX_TEXT_LENGTH:
        raise CellError(f"is {len(text)} characters long (at most {MAX_TEXT_LENGTH})")
    if any(not ch.isprintable() for ch in text):
        raise CellError(f"{show(text)} contains control characters")
    return text


_WHOLE_FLOAT_RE = re.compile(r"(-?\d+)[.,]0+")


def parse_code(value: Cell) -> str:
    """Text that Excel may have turned into a float: ``"11.0"`` → ``"11"``."""
    text = parse_text(value)
    match = _WHOLE_FLOAT_RE.fullmatch(text)
    return match[1] if match else text
