"""Anonymity: no IP or user agent next to answers, nothing links an invitation to a response."""

from __future__ import annotations

import io
import re
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from koers.surveys import links, services
from koers.surveys.models import Invitation, Response
from tests.surveys.conftest import first_scale_item, open_link

ODD_IP = "203.0.113.77"
ODD_AGENT = "KoersTestBrowser/9.9 (unique-agent-string)"


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", "surveys", stdout=out)
    return out.getvalue()


def test_an_anonymous_flow_stores_no_ip_address_or_user_agent(
    client: Any, campaign: Any, compass: Any
) -> None:
    meta = {"REMOTE_ADDR": ODD_IP, "HTTP_USER_AGENT": ODD_AGENT}
    page = client.post(reverse("campaign_landing", kwargs={"token": campaign.public_token}), **meta)
    slot = re.search(r'href="/invullen/([^"/]+)/"', page.content.decode()).group(1)
    secret = client.cookies[links.cookie_name(slot)].value
    item = first_scale_item(compass)
    client.post(
        reverse("respond_section", kwargs={"slot": slot, "section": item.section}),
        {item.id: "5", f"v_{item.id}": "0"},
        **meta,
    )
    client.post(reverse("respond_finish", kwargs={"slot": slot}), **meta)
    dump = _dump()
    assert Response.objects.get().answers()[item.id] == 5
    assert ODD_IP not in dump
    assert "KoersTestBrowser" not in dump
    assert secret not in dump  # only keyed hashes of the link are stored


def test_stored_dates_have_no_time_of_day(campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    services.finish_response(started.response, started.secret)
    field_types = {f.name: f.get_internal_type() for f in Response._meta.get_fields() if f.concrete}
    assert "DateTimeField" not in field_types.values()


def test_a_response_has_no_link_to_an_invitation_or_email() -> None:
    for field in Response._meta.get_fields():
        assert getattr(field, "related_model", None) is not Invitation
        assert "mail" not in field.name


def test_an_invited_response_cannot_be_joined_to_its_invitation_without_the_link(
    client: Any, invite_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = services.invite(invite_campaign, ["sanne@example.nl"])[0]
    secret = services.invitation_link_secret(invitation)
    assert secret is not None
    client.post(reverse("respond_home", kwargs={"slot": open_link(client, secret)}))
    response = Response.objects.get()
    invitation.refresh_from_db()
    # The two stored hashes are different functions of the secret.
    assert response.access_hash != invitation.secret_hash
    assert response.access_hash == links.response_hash(secret)
    services.finish_response(response, secret)
    invitation.refresh_from_db()
    assert invitation.completed
    assert invitation.secret_encrypted == ""  # wiped: nothing left to recompute the link
    assert "sanne@example.nl" not in str(Response.objects.values().get())


def test_closing_a_campaign_wipes_every_stored_invitation_secret(invite_campaign: Any) -> None:
    services.invite(invite_campaign, ["a@example.nl", "b@example.nl"])
    assert services.close_campaign(invite_campaign) == 2
    assert set(Invitation.objects.values_list("secret_encrypted", flat=True)) == {""}


def test_invitation_emails_carry_the_personal_link(
    client: Any, alice: Any, invite_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("campaign_invite", kwargs={"org": "alpha", "pk": invite_campaign.pk}),
            {"emails": "sanne@example.nl\nmark@example.nl"},
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["mark@example.nl", "sanne@example.nl"]
    link = re.search(r"http\S+/r/(\S+)/", mail.outbox[0].body).group(1)
    intro = client.get(reverse("respond", kwargs={"credential": link}), follow=True)
    assert intro.status_code == 200
    assert link not in intro.redirect_chain[-1][0]  # the secret left the address bar


def test_reminders_skip_completed_invitations(
    client: Any, alice: Any, invite_campaign: Any, django_capture_on_commit_callbacks: Any
) -> None:
    done, waiting = services.invite(invite_campaign, ["done@example.nl", "wait@example.nl"])
    services.forget_invitation_secret(services.invitation_link_secret(done) or "")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("campaign_remind", kwargs={"org": "alpha", "pk": invite_campaign.pk}))
    assert [m.to for m in mail.outbox] == [["wait@example.nl"]]
    assert "Herinnering" in mail.outbox[0].subject


def test_deleting_a_response_removes_every_answer(client: Any, campaign: Any, compass: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    item = first_scale_item(compass)
    services.save_answer(started.response, compass, item.id, 5, 0)
    services.finish_response(started.response, started.secret)
    page = client.post(
        reverse("respond_delete", kwargs={"slot": open_link(client, started.secret)}),
        {"confirm": "yes"},
    )
    assert page.status_code == 200
    assert not Response.objects.exists()
    assert "answer" not in _dump()


def test_deleting_a_response_also_forgets_its_cookie(client: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    slot = open_link(client, started.secret)
    page = client.post(reverse("respond_delete", kwargs={"slot": slot}), {"confirm": "yes"})
    assert page.cookies[links.cookie_name(slot)].value == ""
    assert page.cookies[links.cookie_name(slot)]["path"] == f"/invullen/{slot}/"
