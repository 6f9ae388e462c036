"""A snapshot's rows survive the round trip through the stored blob exactly."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.storage import decode_frame, encode_frame
from koers.stats.paygap import compute_pay_gap

REF = dt.date(2026, 6, 30)


def test_the_frame_round_trips_with_its_dtypes_and_missing_values() -> None:
    raw = read_table(dutch_export(generate_rows(120, seed=3)), filename="x.csv")
    employees = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), REF).employees
    assert employees["annual_base_salary"].isna().any()  # the supervisory board has no pay
    assert employees["exit_date"].isna().any()
    assert employees["last_promotion_date"].isna().any()
    back = decode_frame(encode_frame(employees))
    pd.testing.assert_frame_equal(employees, back)
    assert compute_pay_gap(back, REF).to_dict() == compute_pay_gap(employees, REF).to_dict()


def test_text_that_looks_like_missing_stays_text() -> None:
    frame = pd.DataFrame(
        {
            "source_row": [2, 3],
            "employee_id": ["NA", "null"],
            "department": ["None", None],
        }
    ).astype({"employee_id": "str", "department": "str"})
    back = decode_frame(encode_frame(frame))
    assert back["employee_id"].tolist() == ["NA", "null"]
    assert back["department"].iloc[0] == "None"
    assert pd.isna(back["department"].iloc[1])
