"""The audit log for the admin: actions in words, filters, a CSV export safe to open."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.urls import reverse
from django.utils import timezone

from koers.organisations import audit
from koers.organisations.audit_log import ACTIONS, neutralise
from koers.organisations.models import AuditEvent, Role

URL = reverse("audit_log", kwargs={"org": "alpha"})


def _event(org: Any, user: Any, action: str, day: dt.date, target: str = "") -> None:
    audit.record(org, user, action, target)
    created = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    AuditEvent.objects.filter(pk=AuditEvent.objects.latest("pk").pk).update(created=created)


def _log(org_a: Any, alice: Any, bob: Any) -> list[tuple[Any, str, dt.date]]:
    plan = [
        (alice, "scan.view", dt.date(2026, 11, 2)),
        (bob, "teamscan.view", dt.date(2026, 11, 15)),
        (bob, "teamscan.view", dt.date(2026, 11, 30)),
        (alice, "member.invite", dt.date(2026, 12, 1)),
        (bob, "teamscan.pdf", dt.date(2026, 12, 3)),
    ]
    for user, action, day in plan:
        _event(org_a, user, action, day, target='=HYPERLINK("http://x")')
    return plan


def _csv(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_actions_are_words_in_the_page_language(
    client: Any, org_a: Any, alice: Any, bob: Any
) -> None:
    _log(org_a, alice, bob)
    client.force_login(alice)
    dutch = client.get(URL).content.decode()
    assert "Teamscan bekeken" in dutch
    assert "Gender Scan bekeken" in dutch
    assert "teamscan.view" not in dutch.split("<tbody>")[1]
    client.cookies["django_language"] = "en"
    english = client.get(URL).content.decode()
    assert "Team scan viewed" in english
    assert "Teamscan bekeken" not in english


def test_every_action_the_code_records_has_words() -> None:
    import pathlib
    import re

    source = pathlib.Path(__file__).parents[2] / "src" / "koers"
    recorded = set()
    for path in source.rglob("*.py"):
        for match in re.finditer(r'audit\.record\([^"){]*?"([^"{]+)"', path.read_text(), re.S):
            recorded.add(match.group(1))
    assert recorded, "no audit.record calls found"
    dynamic = {"scan.pdf.intern", "scan.pdf.deelbaar", "campaign.export.csv"}
    missing = {a for a in recorded if a not in ACTIONS and not a.endswith(".")} - dynamic
    assert not missing, f"give these audit actions words: {sorted(missing)}"


def test_filters_by_person_action_and_period(client: Any, org_a: Any, alice: Any, bob: Any) -> None:
    plan = _log(org_a, alice, bob)
    client.force_login(alice)

    def shown(**query: Any) -> int:
        page = client.get(URL, query)
        assert page.status_code == 200
        return len(page.context["rows"])

    def expected(user: Any = None, action: str = "", since: Any = None, until: Any = None) -> int:
        return sum(
            1
            for u, a, d in plan
            if (user is None or u == user)
            and (not action or a == action)
            and (since is None or d >= since)
            and (until is None or d <= until)
        )

    assert shown(person=bob.pk) == expected(user=bob) == 3
    assert shown(action="teamscan.view") == expected(action="teamscan.view") == 2
    november = {"since": "2026-11-15", "until": "2026-11-30"}
    assert shown(**november) == expected(since=dt.date(2026, 11, 15), until=dt.date(2026, 11, 30))
    assert shown(person=bob.pk, since="2026-12-01") == 1
    wrong = client.get(URL, {"since": "2026-12-01", "until": "2026-11-01"})
    assert wrong.status_code == 400
    assert "data-error-summary" in wrong.content.decode()


def test_csv_export_follows_the_filters_and_neutralises_formulas(
    client: Any, org_a: Any, alice: Any, bob: Any
) -> None:
    _log(org_a, alice, bob)
    client.force_login(alice)
    response = client.get(URL, {"person": bob.pk, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:3] == ["Tijdstip", "Wie", "Actie"]
    assert len(rows) - 1 == 3
    assert {row[1] for row in rows[1:]} == {bob.email}
    assert {row[2] for row in rows[1:]} == {"Teamscan bekeken", "Teamscan gedownload als pdf"}
    for row in rows[1:]:
        assert row[4] == '\'=HYPERLINK("http://x")'
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)
    event = AuditEvent.objects.get(action="audit.export")
    assert event.detail == {"person": bob.pk}


def test_neutralise_prefixes_every_formula_start() -> None:
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(value) == "'" + value
    assert neutralise("Teamscan bekeken") == "Teamscan bekeken"


def test_only_the_admin_reads_or_exports_the_log(client: Any, org_a: Any, member_of: Any) -> None:
    hr = member_of(Role.HR_ANALYST)
    client.force_login(hr)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "csv"}).status_code == 403
