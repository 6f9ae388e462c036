"""Inviting, resending, revoking and removing members without the Django admin (issue 14)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.organisations import invitations
from koers.organisations.models import AuditEvent, MemberInvitation, Membership, Role

NEW = "nieuw@alpha.example"
GOOD_PASSWORD = "Lange-wachtzin-voor-Koers-42"


def _members(org: str = "alpha", name: str = "members", **kw: Any) -> str:
    return reverse(name, kwargs={"org": org, **kw})


def _invite(client: Any, email: str = NEW, role: str = Role.HR_ANALYST, org: str = "alpha") -> Any:
    return client.post(_members(org, "member_invite"), {"email": email, "role": role})


def _link_from_mail(message: Any) -> str:
    found = re.search(r"https?://[^\s]+/uitnodiging/[^\s/]+/", message.body)
    assert found, message.body
    return "/" + found.group(0).split("/", 3)[3]


def _accept_form(first: str = "Noor", password: str = GOOD_PASSWORD) -> dict[str, str]:
    return {
        "first_name": first,
        "last_name": "Jansen",
        "new_password1": password,
        "new_password2": password,
    }


def test_an_invitation_is_mailed_in_both_languages_and_only_its_hash_is_stored(
    client: Any, alice: Any
) -> None:
    client.force_login(alice)
    response = _invite(client)
    assert response.status_code == 302
    invitation = MemberInvitation.objects.get()
    assert invitation.email == NEW
    assert invitation.role == Role.HR_ANALYST
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [NEW]
    body = mail.outbox[0].body
    assert "HR-analist" in body
    assert "HR analyst" in body
    assert "-- English --" in body
    token = _link_from_mail(mail.outbox[0]).strip("/").split("/")[-1]
    assert invitation.token_hash == invitations.token_hash(token)
    stored = " ".join(str(getattr(invitation, f.attname)) for f in invitation._meta.fields)
    assert token not in stored
    expected_expiry = invitation.sent + dt.timedelta(days=invitations.valid_days())
    assert invitation.expires == expected_expiry
    assert AuditEvent.objects.filter(action="member.invite", target=NEW).count() == 1
    page = client.get(_members()).content.decode()
    assert NEW in page
    assert "Openstaande uitnodigingen" in page


def test_inviting_an_existing_member_or_twice_says_what_to_do(
    client: Any, alice: Any, bob: Any
) -> None:
    client.force_login(alice)
    page = _invite(client, email=bob.email)
    assert page.status_code == 400
    assert "al lid van deze organisatie" in page.content.decode()
    assert _invite(client).status_code == 302
    again = _invite(client, email=NEW.upper())
    assert again.status_code == 400
    assert "Stuur die opnieuw" in again.content.decode()
    assert MemberInvitation.objects.count() == 1


@pytest.mark.twofactor
def test_the_whole_journey_invite_accept_password_two_factor_home(
    client: Any, alice: Any, settings: Any
) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.KOERS_REQUIRE_2FA = False  # alice's own login is not what this test is about
    client.force_login(alice)
    _invite(client)
    link = _link_from_mail(mail.outbox[0])
    client.logout()
    settings.KOERS_REQUIRE_2FA = True
    page = client.get(link)
    assert page.status_code == 200
    assert "Welkom bij Alpha Engineering" in page.content.decode()
    weak = client.post(link, _accept_form(password="kort"))
    assert weak.status_code == 400
    assert "data-error-summary" in weak.content.decode()
    assert not get_user_model().objects.filter(email=NEW).exists()
    done = client.post(link, _accept_form())
    assert done.status_code == 302
    assert done["Location"] == _members(name="dashboard")
    user = get_user_model().objects.get(email=NEW)
    assert user.first_name == "Noor"
    assert user.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=user).role == Role.HR_ANALYST
    # An HR analyst must set up two-factor login before any organisation page opens.
    blocked = client.get(_members(name="dashboard"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("twofactor_setup"))
    client.get(reverse("twofactor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    verified = client.post(
        reverse("twofactor_setup") + "?next=" + _members(name="dashboard"),
        {"token": f"{totp(device.bin_key):06d}"},
    )
    assert verified.status_code == 302
    assert verified["Location"] == _members(name="dashboard")
    assert client.get(_members(name="dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="member.invite_accept", user=user).exists()
    # The link worked once.
    again = client.get(link)
    assert again.status_code == 410


def test_an_expired_link_makes_no_account(client: Any, alice: Any) -> None:
    invitation, token = invitations.invite(
        alice.memberships.get().organisation, NEW, "manager", alice
    )
    invitation.expires = timezone.now() - dt.timedelta(seconds=1)
    invitation.save()
    link = reverse("member_accept", kwargs={"token": token})
    assert client.get(link).status_code == 410
    assert "verlopen" in client.get(link).content.decode()
    assert client.post(link, _accept_form()).status_code == 410
    assert not get_user_model().objects.filter(email=NEW).exists()
    # Resending an expired invitation gives a fresh link with a fresh expiry.
    client.force_login(alice)
    client.post(_members(name="member_invite_resend", pk=invitation.pk))
    client.logout()
    fresh = _link_from_mail(mail.outbox[-1])
    assert client.post(fresh, _accept_form()).status_code == 302
    assert Membership.objects.filter(user__email=NEW, role="manager").exists()


def test_a_used_link_cannot_be_used_again(client: Any, alice: Any) -> None:
    _invitation, token = invitations.invite(
        alice.memberships.get().organisation, NEW, "manager", alice
    )
    link = reverse("member_accept", kwargs={"token": token})
    assert client.post(link, _accept_form()).status_code == 302
    client.logout()
    second = client.post(link, _accept_form(first="Indringer"))
    assert second.status_code == 410
    assert get_user_model().objects.filter(email=NEW).count() == 1
    assert get_user_model().objects.get(email=NEW).first_name == "Noor"


def test_resend_replaces_the_link_and_revoke_ends_it(client: Any, alice: Any) -> None:
    client.force_login(alice)
    _invite(client)
    first = _link_from_mail(mail.outbox[0])
    invitation = MemberInvitation.objects.get()
    client.post(_members(name="member_invite_resend", pk=invitation.pk))
    second = _link_from_mail(mail.outbox[1])
    assert first != second
    client.post(_members(name="member_invite_revoke", pk=invitation.pk))
    client.logout()
    assert client.get(first).status_code == 404  # replaced: unknown now
    assert client.get(second).status_code == 410  # revoked
    assert "ingetrokken" in client.get(second).content.decode()
    assert client.post(second, _accept_form()).status_code == 410
    assert not get_user_model().objects.filter(email=NEW).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"member.invite", "member.invite_resend", "member.invite_revoke"} <= actions


def test_an_unknown_link_is_404_and_counts_as_a_failed_look_up(client: Any, db: Any) -> None:
    from koers.surveys import throttle

    link = reverse("member_accept", kwargs={"token": "x" * 43})
    assert client.get(link).status_code == 404
    seen = []
    for _ in range(throttle.FAILED_LOOKUP_LIMIT + 1):
        seen.append(client.get(link).status_code)
        if seen[-1] == 429:
            break
    assert seen[-1] == 429, "repeated guesses are throttled like other link look-ups"


def test_an_existing_account_joins_after_logging_in(client: Any, alice: Any, charlie: Any) -> None:
    invitation, token = invitations.invite(
        alice.memberships.get().organisation, charlie.email, "researcher", alice
    )
    link = reverse("member_accept", kwargs={"token": token})
    page = client.get(link).content.decode()
    assert "Er is al een Koers-account" in page
    client.post(link, _accept_form())  # no password can be set on an existing account
    assert Membership.objects.filter(user=charlie).count() == 1
    client.force_login(charlie)
    assert "Uitnodiging aannemen" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=charlie, organisation__slug="alpha").role == "researcher"
    invitation.refresh_from_db()
    assert invitation.accepted is not None


def test_an_admin_of_another_organisation_cannot_invite_or_remove_here(
    client: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    invitation, _token = invitations.invite(
        alice.memberships.get().organisation, NEW, "manager", alice
    )
    bobs = Membership.objects.get(user=bob)
    client.force_login(charlie)
    # Organisation A's pages: 404 for an outsider, as if A did not exist.
    assert _invite(client, org="alpha").status_code == 404
    confirm = {"confirm": "yes"}
    assert client.post(_members(name="member_remove", pk=bobs.pk), confirm).status_code == 404
    # Through charlie's own organisation, with A's ids: nothing found, nothing changed.
    client.post(_members("beta", "member_remove", pk=bobs.pk), confirm)
    client.post(_members("beta", "member_invite_revoke", pk=invitation.pk))
    client.post(_members("beta", "member_invite_resend", pk=invitation.pk))
    assert Membership.objects.filter(pk=bobs.pk).exists()
    invitation.refresh_from_db()
    assert invitation.revoked is None
    assert len(mail.outbox) == 0
    # Charlie's invitation goes to charlie's organisation only.
    _invite(client, email="x@beta.example", org="beta")
    assert MemberInvitation.objects.get(email="x@beta.example").organisation.slug == "beta"
    assert MemberInvitation.objects.for_org(alice.memberships.get().organisation).count() == 1


def test_removing_a_member_asks_first_and_keeps_one_admin(
    client: Any, alice: Any, bob: Any
) -> None:
    client.force_login(alice)
    bobs = Membership.objects.get(user=bob)
    ask = client.post(_members(name="member_remove", pk=bobs.pk))
    assert ask.status_code == 200
    assert "Ja, verwijder dit lid" in ask.content.decode()
    assert Membership.objects.filter(pk=bobs.pk).exists()  # not yet
    client.post(_members(name="member_remove", pk=bobs.pk), {"confirm": "yes"})
    assert not Membership.objects.filter(pk=bobs.pk).exists()
    assert get_user_model().objects.filter(pk=bob.pk).exists()  # the account stays
    assert AuditEvent.objects.filter(action="member.remove", target=bob.email).exists()
    alices = Membership.objects.get(user=alice)
    client.post(_members(name="member_remove", pk=alices.pk), {"confirm": "yes"})
    assert Membership.objects.filter(pk=alices.pk).exists()  # not yourself, not the last admin


def test_old_invitations_leave_with_the_retention_job(alice: Any) -> None:
    from koers.organisations.retention import enforce

    org = alice.memberships.get().organisation
    old, _token = invitations.invite(org, "oud@alpha.example", "manager", alice)
    recent, _token = invitations.invite(org, NEW, "manager", alice)
    MemberInvitation.objects.filter(pk=old.pk).update(sent=timezone.now() - dt.timedelta(days=800))
    assert enforce()["member_invitations"] == 1
    assert list(MemberInvitation.objects.values_list("pk", flat=True)) == [recent.pk]
