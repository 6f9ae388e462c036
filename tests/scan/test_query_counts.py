"""The Gender Scan dashboard: its queries do not grow with employees or snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
from koers.scan.services import store_snapshot

MAX_DASHBOARD_QUERIES = 12  # 9 when written


def _employees(good_file: bytes, on: dt.date) -> Any:
    raw = read_table(good_file, filename="x.csv")
    return check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), on).employees


def _dashboard_queries(client: Any) -> tuple[int, int]:
    """(queries, employees shown) of the dashboard of the latest snapshot."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("scan_home", kwargs={"org": "alpha"}))
    assert page.status_code == 200
    return len(queries), page.context["r"]["population"]["n_total"]


def test_the_dashboard_makes_no_query_per_employee_or_snapshot(
    client: Any, org_a: Any, hr_user: Any, good_file: bytes
) -> None:
    client.force_login(hr_user)
    employees = _employees(good_file, dt.date(2026, 6, 30))
    store_snapshot(org_a, dt.date(2026, 6, 30), employees.iloc[:40])
    few, n_few = _dashboard_queries(client)
    for year in (2023, 2024, 2025):
        store_snapshot(org_a, dt.date(year, 12, 31), employees)
    store_snapshot(org_a, dt.date(2026, 9, 30), employees)  # the latest, with all the rows
    many, n_many = _dashboard_queries(client)
    assert n_many > 2 * n_few
    assert many == few
    assert many <= MAX_DASHBOARD_QUERIES
