"""A bad address does not block a batch of invitations; closing a campaign asks first."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.urls import reverse

from koers.organisations.models import AuditEvent
from koers.surveys.models import Campaign, Invitation

BATCH = "\n".join(
    [
        "sanne@example.nl",
        "niet-een-adres",
        "mark@example.nl",
        "",
        "Sanne@example.nl",
        "piet@example",
        "joke@example.nl",
    ]
)


def _invite(client: Any, campaign: Campaign, **post: str) -> Any:
    return client.post(reverse("campaign_invite", kwargs={"org": "alpha", "pk": campaign.pk}), post)


def test_bad_lines_are_shown_with_number_and_reason_and_nothing_is_sent_yet(
    client: Any, alice: Any, invite_campaign: Campaign
) -> None:
    client.force_login(alice)
    page = _invite(client, invite_campaign, emails=BATCH)
    assert page.status_code == 200
    assert page.context["bad_lines"] == [
        (2, "niet-een-adres", "er ontbreekt een @"),
        (5, "Sanne@example.nl", "staat al op regel 1"),
        (6, "piet@example", page.context["bad_lines"][2][2]),
    ]
    assert "geen geldig e-mailadres" in page.context["bad_lines"][2][2]
    assert page.context["good"] == ["sanne@example.nl", "mark@example.nl", "joke@example.nl"]
    html = page.content.decode()
    assert "data-error-summary" in html
    assert "Verstuur de 3 goede uitnodigingen" in html
    assert not Invitation.objects.exists()


def test_after_confirmation_only_the_good_addresses_are_invited(
    client: Any,
    alice: Any,
    invite_campaign: Campaign,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(alice)
    check = _invite(client, invite_campaign, emails=BATCH)
    good = check.context["good"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = _invite(client, invite_campaign, emails=", ".join(good), confirm="yes")
    assert sent.status_code == 302
    assert Invitation.objects.filter(campaign=invite_campaign).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(good)
    event = AuditEvent.objects.get(action="campaign.invite")
    assert event.detail == {"sent": 3, "skipped_lines": 0}


def test_a_batch_without_any_good_address_is_refused(
    client: Any, alice: Any, invite_campaign: Campaign
) -> None:
    client.force_login(alice)
    page = _invite(client, invite_campaign, emails="geen adres\nook niet")
    assert page.status_code == 400
    assert "Geen enkele regel is een geldig e-mailadres" in page.content.decode()
    assert not Invitation.objects.exists()


def test_closing_a_campaign_asks_for_confirmation_first(
    client: Any, alice: Any, invite_campaign: Campaign
) -> None:
    client.force_login(alice)
    url = reverse("campaign_close", kwargs={"org": "alpha", "pk": invite_campaign.pk})
    ask = client.post(url)
    assert ask.status_code == 200
    assert "Ja, sluit de campagne" in ask.content.decode()
    invite_campaign.refresh_from_db()
    assert not invite_campaign.closed
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    invite_campaign.refresh_from_db()
    assert invite_campaign.closed
    assert AuditEvent.objects.filter(action="campaign.close").count() == 1
