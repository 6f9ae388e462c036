"""The programme-day view: the baseline, the latest measurement, the change and the plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from koers.organisations.models import Role
from koers.plan.demo import load_demo_plan
from koers.scan.demo import load_demo_scan
from koers.targets.demo import load_demo_targets
from koers.targets.monitor import build_monitor, programme_day
from tests.conftest import PASSWORD


@pytest.fixture
def demo(org_a: Any) -> Any:
    load_demo_scan(org_a)
    load_demo_targets(org_a)
    load_demo_plan(org_a)
    return org_a


@pytest.mark.django_db
def test_the_change_since_the_baseline_is_the_latest_share_minus_the_first(demo):
    monitor = build_monitor(demo, hr=True, lang="nl")
    day = programme_day(monitor)
    assert day["baseline"].reference_date.year == 2024
    assert day["latest"].reference_date.year == 2026
    for row, source in zip(day["targets"], monitor["targets"], strict=True):
        first, last = source["cells"][0], source["cells"][-1]
        if first.share is not None and last.share is not None:
            assert row["change"] == pytest.approx((last.share - first.share) * 100)
    female = next(f for f in day["indicators"] if f["label"] == "Vrouwen in dienst")
    assert female["change"] == pytest.approx((female["last"] - female["first"]) * 100)
    assert female["change"] > 0  # the demo's trend


@pytest.mark.django_db
def test_the_works_council_opens_the_printable_page(client, demo, member_of):
    user = member_of(Role.WORKS_COUNCIL)
    client.login(username=user.username, password=PASSWORD)
    html = client.get(reverse("targets_programme_day", kwargs={"org": demo.slug})).content.decode()
    assert "Nulmeting van 30 juni 2024, vergeleken met de meting van 30 juni 2026." in html
    assert "niet getoond" in html  # the board
    assert "te laat" in html
    assert "/plan/" not in html.split("<main", 1)[1].split("</main>")[0]  # no links in print
