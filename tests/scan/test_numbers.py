"""Figures are rounded to one decimal, half away from zero, in Dutch or English notation."""

from __future__ import annotations

import pytest

from koers.scan import numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.25, "2,3"),
        (-2.25, "-2,3"),
        (0.15, "0,2"),
        (0.05, "0,1"),
        (-0.04, "0,0"),
        (12.345, "12,3"),
        (1234.56, "1.234,6"),
        (-1234567.05, "-1.234.567,1"),
    ],
)
def test_decimals_round_half_away_from_zero_with_a_decimal_comma(
    value: float, expected: str
) -> None:
    assert numbers.format_decimal(value, "nl") == expected


def test_english_uses_a_decimal_point() -> None:
    assert numbers.format_decimal(1234.56, "en") == "1,234.6"
    assert numbers.format_percent(12.34, "en") == "12.3%"


def test_shares_become_percentages() -> None:
    assert numbers.format_share(0.1234, "nl") == "12,3 %"
    assert numbers.format_share(0.5, "nl", places=0) == "50 %"


def test_counts_and_amounts() -> None:
    assert numbers.format_count(1196, "nl") == "1.196"
    assert numbers.format_count(1196, "en") == "1,196"
    assert numbers.format_euro(45123.5, "nl") == "€ 45.123,50"
    assert numbers.format_decimal(None) == ""
    assert numbers.format_decimal(float("nan")) == ""
