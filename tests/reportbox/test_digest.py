"""The adviser's daily overview: counts only, once, to the advisers of that organisation."""

from __future__ import annotations

from typing import Any

from django.core import mail

from koers.organisations.models import Role
from koers.reportbox import services
from koers.reportbox.digest import send_digests


def test_the_daily_overview_counts_without_content(
    org_a: Any, org_b: Any, member_of: Any, charlie: Any
) -> None:
    adviser = member_of(Role.CONFIDENTIAL_ADVISER)
    member_of(Role.HR_ANALYST)  # not an adviser: gets nothing
    box = services.box_of(org_a)
    first = services.receive(box, "sexual_harassment", "Geheime inhoud van de melding").report
    services.receive(box, "other", "Nog een melding")
    services.add_message(first, "Antwoord", from_adviser=True)
    services.add_message(first, "Reactie van de melder", from_adviser=False)
    services.receive(services.box_of(org_b), "other", "bij B, zonder vertrouwenspersoon")

    assert send_digests() == 1
    (sent,) = mail.outbox
    assert sent.to == [adviser.email]
    assert "nieuwe meldingen: 2" in sent.body
    assert "nieuwe berichten van melders: 1" in sent.body
    assert "/o/alpha/meldpunt/" in sent.body
    for secret in ("Geheime inhoud", "Reactie van de melder", "intimidatie", "Antwoord"):
        assert secret not in sent.body + sent.subject

    # nothing new: nothing sent; something new: only that is counted
    assert send_digests() == 0
    services.add_message(first, "Nog iets", from_adviser=False)
    assert send_digests() == 1
    assert "nieuwe meldingen: 0" in mail.outbox[-1].body
    assert "nieuwe berichten van melders: 1" in mail.outbox[-1].body


def test_reports_written_to_nobody_are_announced_to_nobody(org_a: Any, member_of: Any) -> None:
    """The form takes no reports without an adviser; one stored anyway stays unannounced."""
    services.receive(services.box_of(org_a), "other", "x")
    assert send_digests() == 0
    member_of(Role.CONFIDENTIAL_ADVISER)
    assert send_digests() == 0


def test_a_new_adviser_is_told_only_of_reports_they_can_read(
    org_a: Any, member_of: Any, bob: Any
) -> None:
    from koers.organisations.models import Membership

    adviser = member_of(Role.CONFIDENTIAL_ADVISER)
    box = services.box_of(org_a)
    earlier = services.receive(box, "other", "aan de eerste vertrouwenspersoon").report
    Membership.objects.filter(user=bob).update(role=Role.CONFIDENTIAL_ADVISER)
    services.add_message(earlier, "nog een bericht van de melder", from_adviser=False)
    services.receive(box, "other", "aan allebei")

    assert send_digests() == 2
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "nieuwe meldingen: 2" in by_address[adviser.email]
    assert "nieuwe berichten van melders: 1" in by_address[adviser.email]
    assert "nieuwe meldingen: 1" in by_address[bob.email]
    assert "nieuwe berichten van melders: 0" in by_address[bob.email]
