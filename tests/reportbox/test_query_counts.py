"""The adviser's inbox costs the same number of queries for 2 reports as for 12."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.organisations.models import Role
from koers.reportbox import services

MAX_INBOX_QUERIES = 10  # 7 when written: session, user, membership, audit, the reports


def _inbox_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reportbox_inbox", kwargs={"org": "alpha"}))
    assert page.status_code == 200
    return len(queries)


def test_the_inbox_makes_no_query_per_report(client: Any, org_a: Any, member_of: Any) -> None:
    adviser = member_of(Role.CONFIDENTIAL_ADVISER)
    box = services.box_of(org_a)
    box.is_open = True
    box.save()
    client.force_login(adviser)

    def add(n: int) -> None:
        for i in range(n):
            received = services.receive(box, "other", f"melding {i}")
            services.add_message(received.report, f"bericht {i}", from_adviser=False)

    add(2)
    few = _inbox_queries(client)
    add(10)
    many = _inbox_queries(client)
    assert (
        len(client.get(reverse("reportbox_inbox", kwargs={"org": "alpha"})).context["rows"]) == 12
    )
    assert many == few
    assert many <= MAX_INBOX_QUERIES
