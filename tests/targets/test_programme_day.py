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


# ---- downloads: PDF and CSV, disclosed as the page is ------------------------------------


def _login(client: Any, member_of: Any, role: str) -> None:
    user = member_of(role)
    client.login(username=user.username, password=PASSWORD)


def _csv(client: Any, org: Any) -> tuple[Any, list[list[str]]]:
    import csv
    import io

    response = client.get(reverse("targets_programme_day_csv", kwargs={"org": org.slug}))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the accents
    assert "\r\n" in text
    return response, list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _hidden_cells(day: dict[str, Any]) -> list[tuple[str, bool, bool]]:
    return [(t["target"].label(), t["first"].hidden, t["last"].hidden) for t in day["targets"]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HR_ANALYST, Role.WORKS_COUNCIL])
def test_the_csv_shows_what_the_page_shows_the_same_role(client, demo, member_of, role):
    from koers.organisations.models import AuditEvent

    _login(client, member_of, role)
    response, rows = _csv(client, demo)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["Onderdeel", "Cijfer", "Streefcijfer (procent)"]
    assert rows[1][1:2] + rows[1][4:6] == ["Peildatum", "2024-06-30", "2026-06-30"]
    hr = role == Role.HR_ANALYST
    day = programme_day(build_monitor(demo, hr=hr, lang="nl"))
    targets = [row for row in rows if row[0] == "Streefcijfers"]
    assert len(targets) == len(day["targets"])
    for row, t in zip(targets, day["targets"], strict=True):
        assert row[1] == t["target"].label()
        for text, cell in ((row[4], t["first"]), (row[5], t["last"])):
            if cell.hidden:
                assert text == "niet getoond"
            else:
                assert text == f"{cell.share * 100:.1f}".replace(".", ",")
    hidden = [t for t in day["targets"] if t["first"].hidden or t["last"].hidden]
    assert bool(hidden) != hr  # the council has hidden cells (the board), HR none
    female = next(row for row in rows if row[1] == "Vrouwen in dienst")
    source = next(f for f in day["indicators"] if f["label"] == "Vrouwen in dienst")
    assert female[4] == f"{source['first'] * 100:.1f}".replace(".", ",")
    assert [row for row in rows if row[0] == "Plan van aanpak"]
    assert any("te laat" in row[8] for row in rows if row[0] == "Plan van aanpak")
    assert AuditEvent.objects.filter(organisation=demo, action="targets.programme_day_csv").exists()


@pytest.mark.django_db
def test_the_pdf_is_tagged_and_not_cached(client, demo, member_of):
    from tests.pdftext import is_tagged, pdf_objects

    _login(client, member_of, Role.HR_ANALYST)
    response = client.get(reverse("targets_programme_day_pdf", kwargs={"org": demo.slug}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="terugkomdag-')
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert is_tagged(pdf)
    assert b"/ToUnicode" in pdf_objects(pdf)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HR_ANALYST, Role.WORKS_COUNCIL])
def test_the_pdf_hides_what_the_page_hides_for_the_same_role(
    client, demo, member_of, monkeypatch, role
):
    from koers.lib.pdf import render_html
    from koers.targets import views_reports

    rendered: dict[str, Any] = {}

    def fake_render_pdf(template: str, context: dict[str, Any], **kwargs: Any) -> bytes:
        rendered["html"] = render_html(template, context)
        rendered["day"] = context["d"]
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(views_reports, "render_pdf", fake_render_pdf)
    _login(client, member_of, role)
    client.get(reverse("targets_programme_day_pdf", kwargs={"org": demo.slug}))
    page = client.get(reverse("targets_programme_day", kwargs={"org": demo.slug}))
    assert _hidden_cells(rendered["day"]) == _hidden_cells(page.context["d"])
    html = rendered["html"]
    assert ("niet getoond" in html) == (role == Role.WORKS_COUNCIL)
    body = page.content.decode().split("<main", 1)[1]
    assert html.count("niet getoond") == body.count("niet getoond")


def test_the_csv_keeps_negative_numbers_and_neutralises_formulas_in_text():
    import datetime as dt
    from types import SimpleNamespace

    from koers.lib.hooks import PlanLine
    from koers.targets.programme_export import to_csv

    snap = SimpleNamespace
    day = {
        "baseline": snap(reference_date=dt.date(2024, 6, 30)),
        "latest": snap(reference_date=dt.date(2026, 6, 30)),
        "indicators": [
            {
                "label": "Vertrek vrouwen",
                "kind": "share",
                "first": 0.125,
                "last": 0.1,
                "change": -2.5,
            },
            {
                "label": "Medewerkers in dienst",
                "kind": "count",
                "first": 1120,
                "last": 1200,
                "change": 80,
            },
        ],  # fmt: skip
        "targets": [],
        "plan": {
            "lines": [PlanLine('=HYPERLINK("x")', "", None, None, "planned", "gepland", "", False)]
        },  # fmt: skip
        "hr": True,
    }
    lines = to_csv(day).lstrip("\ufeff").split("\r\n")
    unit = "procent (verandering: procentpunten)"
    assert lines[2] == f"Kerncijfers;Vertrek vrouwen;;;12,5;10,0;-2,5;{unit};"
    assert lines[3].startswith("Kerncijfers;Medewerkers in dienst;;;1120;1200;80;aantal;")
    assert lines[4].startswith('Plan van aanpak;"\'=HYPERLINK(""x"")";')
