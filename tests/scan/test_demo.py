"""`make run` shows a complete scan for the demo organisation, quickly and idempotently."""

from __future__ import annotations

import io
import time
from typing import Any

from django.core.management import call_command
from django.urls import reverse

from koers.organisations.models import Organisation
from koers.scan.demo import DEMO_REFERENCE_DATE, DEMO_YEARS, load_demo_scan
from koers.scan.models import Snapshot
from tests.pdftext import fetch_pdf


def test_the_demo_scan_loads_three_yearly_snapshots_fast_and_only_once(db: Any) -> None:
    org = Organisation.objects.create(name="Voorbeeld", slug="voorbeeld-techniek")
    started = time.perf_counter()
    load_demo_scan(org)
    assert time.perf_counter() - started < 15
    snapshots = list(Snapshot.objects.history_for(org))
    assert [s.reference_date for s in snapshots] == [day for day, *_ in DEMO_YEARS]
    assert snapshots[-1].reference_date == DEMO_REFERENCE_DATE
    assert all(1100 <= s.n_rows <= 1500 for s in snapshots)
    load_demo_scan(org)
    assert list(Snapshot.objects.filter(organisation=org).order_by("reference_date")) == snapshots


def test_the_demo_trend_shows_the_share_of_women_rising_year_on_year(db: Any) -> None:
    from koers.scan.history import build_trend

    org = Organisation.objects.create(name="Voorbeeld", slug="voorbeeld-techniek")
    load_demo_scan(org)
    trend = build_trend(org, hr=True, lang="nl")
    shares = next(f["values"] for f in trend["figures"] if f["key"] == "female_share")
    assert shares[0] < shares[1] < shares[2]
    assert shares[2] - shares[0] > 0.03  # visible: more than three percentage points


def test_the_demo_hr_user_sees_the_scan_with_improvement_areas(client: Any, db: Any) -> None:
    from django.contrib.auth import get_user_model

    from koers.lib import hooks

    assert load_demo_scan in hooks.demo_loaders.implementations()
    # Only this app's loader: the other apps' demos have tests of their own.
    with hooks.demo_loaders.replaced(load_demo_scan):
        call_command("load_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="hr@voorbeeld.nl"))
    response = client.get(reverse("scan_home", kwargs={"org": "voorbeeld-techniek"}))
    assert response.status_code == 200
    assert len(response.context["r"]["findings"]) >= 3
    assert response.context["r"]["population"]["n_total"] == 1200


def test_the_demo_manager_sees_the_scan_suppressed_for_a_calendar_year(
    client: Any, db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth import get_user_model

    from koers.lib import hooks

    with hooks.demo_loaders.replaced(load_demo_scan):
        call_command("load_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="manager@voorbeeld.nl"))
    response = client.get(reverse("scan_home", kwargs={"org": "voorbeeld-techniek"}))
    assert response.status_code == 200
    r = response.context["r"]
    assert r["hr"] is False
    assert r["period"].code == "2025"
    assert r["population"]["n_total"] == 1200
    assert r["pay"]["indicators"][0]["value"] is not None
    assert len(r["findings"]) >= 3
    board = next(row for row in r["management"] if row["key"] == "board")
    assert board["n_female"] is None
    pdf = fetch_pdf(
        client,
        reverse("scan_snapshot_pdf", kwargs={"org": "voorbeeld-techniek", "pk": r_pk(response)})
        + "?periode=2026-Q2",
        django_capture_on_commit_callbacks,
    )
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def r_pk(response: Any) -> int:
    return int(response.context["snapshot"].pk)
