"""The Gender Scan dashboard's figures are computed once per snapshot and period, and leave
the cache with the snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.urls import reverse

from koers.scan import report_cache


def _snapshot(org: Any) -> Any:
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.scan.demo import dutch_export, generate_rows
    from koers.scan.services import store_snapshot

    day = dt.date(2026, 6, 30)
    raw = read_table(dutch_export(generate_rows(60, seed=3, reference_date=day)), filename="x.csv")
    checked = check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day)
    assert isinstance(checked.employees, pd.DataFrame)
    return store_snapshot(org, day, checked.employees, filename="x.csv")


def test_figures_are_built_once_and_leave_with_the_snapshot(org_a: Any) -> None:
    snapshot = _snapshot(org_a)
    calls = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert report_cache.cached(snapshot.pk, ("p",), build) == {"n": 1}
    assert report_cache.cached(snapshot.pk, ("p",), build) == {"n": 1}
    assert report_cache.cached(snapshot.pk, ("q",), build) == {"n": 2}
    keys = cache.get(f"scan-report-keys:{snapshot.pk}")
    assert len(keys) == 2
    snapshot.delete()
    assert cache.get_many([*keys, f"scan-report-keys:{snapshot.pk}"]) == {}


def test_the_dashboard_shows_the_same_figures_from_the_cache(
    client: Any, org_a: Any, alice: Any
) -> None:
    snapshot = _snapshot(org_a)
    client.force_login(alice)
    url = reverse("scan_snapshot", kwargs={"org": "alpha", "pk": snapshot.pk})
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert repr(first.context["r"]) == repr(second.context["r"])  # (numpy arrays inside)
    assert len(cache.get(f"scan-report-keys:{snapshot.pk}")) == 1
