"""Parsing a whole CSV column at once, with exactly the results of the per-cell parsers.

:func:`parse_text_column` reads an Arrow text column (from
:mod:`koers.hrfile.csvfast`) in three steps:

1. blank cells are found in one pass (``str.isspace`` semantics);
2. cells in a *plain form* whose value is certain without Python are converted
   in bulk: an id of letters, digits, ``-``, ``_`` and ``/`` is itself; an
   amount like ``45123``, ``45123,50``, ``45.123,50``, ``€ 45.123,50`` or
   ``45,123.50`` follows the rules of :func:`koers.hrfile.cells.parse_number`
   (a test compares both on every plain form);
3. every other cell goes through the per-cell parser of :mod:`koers.hrfile.cells`,
   once per *distinct* value, so columns of codes and dates (a few thousand
   distinct values in a million rows) and every odd or wrong cell get the very
   same value or message as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from koers.hrfile import cells as c
from koers.hrfile.csvfast import blank_mask

Parse = Callable[[c.Cell], Any]
ParserFor = Callable[[str], Parse]
Check = Callable[[Any], None]
InRange = Callable[[np.ndarray], np.ndarray]

# Plain forms of an amount (after an optional "€ " in front): sign, digits, separators.
_EURO = "^(?:€ ?)?"
_SIGN = "-?"
_FORMS = {
    "digits": r"[0-9]+",
    "one_dot": r"[0-9]+\.[0-9]+",
    "one_comma": r"[0-9]+,[0-9]+",
    "grouped_dots": r"[0-9]{1,3}(?:\.[0-9]{3}){2,}",
    "grouped_commas": r"[0-9]{1,3}(?:,[0-9]{3}){2,}",
    "dots_then_comma": r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+",
    "commas_then_dot": r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+",
}
_PLAIN_AMOUNT = _EURO + _SIGN + "(?:" + "|".join(_FORMS.values()) + ")$"
_PLAIN_ID = r"^[0-9A-Za-z_/-]+$"
_MAX_PLAIN_LENGTH = 24  # bytes; longer digit strings take the per-cell route (overflow)


@dataclass
class Parsed:
    """One column: values where readable, the message where not, and the blank cells."""

    values: Any
    errors: dict[int, str]
    blank: np.ndarray


def _mask(array: pa.Array, pattern: str) -> np.ndarray:
    if len(array) == 0:
        return np.zeros(0, dtype=bool)
    matched = pc.match_substring_regex(array, pattern)
    return np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)


def _count(array: pa.Array, pattern: str) -> np.ndarray:
    counts = pc.count_substring(array, pattern).to_numpy(zero_copy_only=False)
    return np.asarray(counts, dtype=np.int64)


def _short(array: pa.Array) -> np.ndarray:
    lengths = pc.binary_length(array).to_numpy(zero_copy_only=False)
    return np.asarray(lengths <= _MAX_PLAIN_LENGTH, dtype=bool)


def _by_distinct(
    column: pa.Array, rest: np.ndarray, parse: Parse
) -> tuple[np.ndarray, list[Any], list[str | None]]:
    """Parse the cells at ``rest`` once per distinct value.

    Returns ``(index, values, messages)``: cell ``rest[k]`` has value
    ``values[index[k]]`` (None when wrong) and message ``messages[index[k]]``.
    """
    if len(rest) == 0:
        return np.zeros(0, dtype=np.int64), [], []
    if len(rest) == len(column):
        encoded = pc.dictionary_encode(column)
    else:
        encoded = pc.dictionary_encode(column.take(pa.array(rest, type=pa.int64())))
    index = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    values: list[Any] = []
    messages: list[str | None] = []
    for text in encoded.dictionary.to_pylist():
        try:
            values.append(parse(text))
            messages.append(None)
        except c.CellError as error:
            values.append(None)
            messages.append(str(error))
    return index, values, messages


def _errors(rest: np.ndarray, index: np.ndarray, messages: list[str | None]) -> dict[int, str]:
    bad = np.array([m is not None for m in messages], dtype=bool)
    if not bad.any():
        return {}
    wrong = np.flatnonzero(bad[index])
    return {int(rest[k]): str(messages[int(index[k])]) for k in wrong}


def parse_text_column(
    kind: str,
    column: pa.Array,
    parser_for: ParserFor,
    check: Check | None,
    default: Any,
    *,
    decimal: str = ",",
    in_range: InRange | None = None,
) -> Parsed:
    """Parse a text column of kind ``kind`` (see :mod:`koers.hrfile.columns`).

    ``parser_for(decimal)`` is the per-cell parser that decides every cell outside
    the plain forms, ``check`` the range check applied to every parsed value, and
    ``default`` the value of a blank cell; ``in_range`` says in bulk which numbers
    certainly pass ``check`` (the others are checked one by one). ``decimal`` is the file's default
    decimal separator (a number column's own cells may prove another). Returns
    dates as ``datetime64[s]``, numbers as ``float64``, booleans as a float array
    (1/0, NaN for none) and text as an object array (``None`` for none).
    """
    blank = blank_mask(column)
    n = len(column)
    if kind in ("hours", "salary", "variable_pay", "money", "birth_year"):
        return _numbers(kind, column, blank, parser_for, (check, in_range), default, decimal)
    parse = _with_check(parser_for(decimal), check)
    fast = np.zeros(n, dtype=bool)
    if kind == "id":
        fast = ~blank & _mask(column, _PLAIN_ID) & _short(column)
    rest = np.flatnonzero(~blank & ~fast)
    index, values, messages = _by_distinct(column, rest, parse)
    errors = _errors(rest, index, messages)
    if kind == "date":
        days = np.array(
            [np.datetime64(v, "s") if v is not None else np.datetime64("NaT") for v in values],
            dtype="datetime64[s]",
        )
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
        out[rest] = days[index] if len(days) else out[rest]
        return Parsed(out, errors, blank)
    if kind == "bool":
        flags = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        out_f = np.full(n, np.nan)
        out_f[rest] = flags[index] if len(flags) else out_f[rest]
        return Parsed(out_f, errors, blank)
    texts = np.array([*values, default], dtype=object)
    where = np.full(n, len(values), dtype=np.int64)
    where[rest] = index
    out_t = texts[where]
    if fast.any():
        out_t[fast] = column.filter(pa.array(fast)).to_numpy(zero_copy_only=False)
    return Parsed(out_t, errors, blank)


def _numbers(
    kind: str,
    column: pa.Array,
    blank: np.ndarray,
    parser_for: ParserFor,
    checks: tuple[Check | None, InRange | None],
    default: Any,
    file_decimal: str,
) -> Parsed:
    check, in_range = checks
    n = len(column)
    if kind == "birth_year":  # 1985,5 is not a year: only whole numbers in bulk
        plain = _short(column) & _mask(column, _EURO + _SIGN + _FORMS["digits"] + "$")
    else:
        plain = _short(column) & _mask(column, _PLAIN_AMOUNT)
    fast = plain
    # The plain cells without "€ " and sign: digits and separators only.
    text = column.filter(pa.array(plain))
    digits = pc.utf8_ltrim(pc.utf8_ltrim(pc.utf8_ltrim(text, "€"), " "), "-")
    dots = _count(digits, ".")
    commas = _count(digits, ",")
    both = (dots > 0) & (commas > 0)
    first_dot = np.asarray(pc.find_substring(digits, ".").to_numpy(zero_copy_only=False))
    first_comma = np.asarray(pc.find_substring(digits, ",").to_numpy(zero_copy_only=False))
    # In a plain form every thousands separator comes before the decimal one.
    comma_last = both & (first_comma > first_dot)
    one_dot = (dots == 1) & (commas == 0)
    one_comma = (commas == 1) & (dots == 0)
    grouped_dots = (dots >= 2) & (commas == 0)
    grouped_commas = (commas >= 2) & (dots == 0)
    # "45.123": one separator, 1-3 digits before and 3 after: no proof of the decimal.
    length = np.asarray(pc.binary_length(digits).to_numpy(zero_copy_only=False))
    sep_at = np.where(one_dot, first_dot, first_comma)
    three = (one_dot | one_comma) & (sep_at >= 1) & (sep_at <= 3) & (length - sep_at - 1 == 3)
    # Evidence of the decimal separator (cells.decimal_evidence), plain forms first.
    seen: set[str] = set()
    if (one_dot & ~three).any() or grouped_commas.any() or (both & ~comma_last).any():
        seen.add(".")
    if (one_comma & ~three).any() or grouped_dots.any() or comma_last.any():
        seen.add(",")
    rest = np.flatnonzero(~blank & ~fast)
    if len(rest):
        others = column.take(pa.array(rest, type=pa.int64())).unique().to_pylist()
        for other in others:
            evidence = c.decimal_evidence(other)
            if evidence is not None:
                seen.add(evidence)
    decimal = seen.pop() if len(seen) == 1 else file_decimal
    # Plain forms in bulk: which separators are thousands (dropped), which decimal.
    drop_dots = grouped_dots | comma_last
    drop_commas = grouped_commas | (both & ~comma_last)
    comma_is_decimal = comma_last | one_comma
    if decimal == ",":
        drop_dots |= one_dot & three
    else:
        drop_commas |= one_comma & three
        comma_is_decimal &= ~(one_comma & three)
    text = pc.utf8_ltrim(pc.utf8_ltrim(text, "€"), " ")
    if drop_dots.any():
        text = pc.if_else(pa.array(drop_dots), pc.replace_substring(text, ".", ""), text)
    if drop_commas.any():
        text = pc.if_else(pa.array(drop_commas), pc.replace_substring(text, ",", ""), text)
    if comma_is_decimal.any():
        text = pc.if_else(pa.array(comma_is_decimal), pc.replace_substring(text, ",", "."), text)
    out = np.full(n, np.nan if default is None else float(default))
    if fast.any():
        out[fast] = np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False))
    errors: dict[int, str] = {}
    if check is not None and fast.any():
        # Range checks: values the bulk test doubts get the per-cell check's message.
        doubtful = fast & ~(in_range(out) if in_range is not None else np.zeros(n, dtype=bool))
        for k in np.flatnonzero(doubtful):
            message = _message(check, float(out[k]))
            if message is not None:
                errors[int(k)] = message
                out[k] = np.nan
    index, parsed, msgs = _by_distinct(column, rest, _with_check(parser_for(decimal), check))
    if len(rest):
        numbers = np.array([np.nan if v is None else float(v) for v in parsed], dtype=np.float64)
        out[rest] = numbers[index]
        errors.update(_errors(rest, index, msgs))
    return Parsed(out, errors, blank)


def _with_check(parse: Parse, check: Check | None) -> Parse:
    if check is None:
        return parse

    def parse_and_check(value: c.Cell) -> Any:
        result = parse(value)
        check(result)
        return result

    return parse_and_check


def _message(check: Check, value: float) -> str | None:
    try:
        check(value)
    except c.CellError as error:
        return str(error)
    return None


def number_column(
    column: pa.Array | list[c.Cell], decimal: str, *, missing: frozenset[str] = frozenset()
) -> tuple[np.ndarray, dict[int, str]]:
    """A column of numbers read as the HR columns are (``cells.parse_number``, the
    decimal separator inferred from the column, ``decimal`` when it proves nothing).

    Returns the values (NaN where blank, wrong, or one of the ``missing`` tokens,
    compared trimmed and lower-cased) and ``{position: message}`` for wrong cells.
    For tools outside the HR file (``koers lpa``) that read the same exports.
    """
    if isinstance(column, list):
        column = pa.array(["" if v is None else str(v) for v in column], type=pa.large_string())
    if missing and len(column):
        key = pc.utf8_lower(pc.utf8_trim_whitespace(column))
        is_missing = pc.is_in(key, value_set=pa.array(sorted(missing), type=key.type))
        column = pc.if_else(is_missing, pa.scalar("", type=column.type), column)
    parsed = parse_text_column(
        "money", column, lambda d: lambda v: c.parse_number(v, d), None, None, decimal=decimal
    )
    return np.asarray(parsed.values, dtype=np.float64), parsed.errors
