"""The office invites an organisation by a one-time code; the organisation's admin enters it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.lib import codes, ratelimit
from koers.organisations.models import AuditEvent, Membership, Role
from koers.programme import services
from koers.programme.models import Invitation, Participation

REFUSED = "Deze code is niet (meer) geldig."


def _invite_url() -> str:
    return reverse("programme_invite", kwargs={"slug": "pilot"})


def _code_url(org: str = "alpha") -> str:
    return reverse("programme_code", kwargs={"org": org})


def _create(client: Any, office: Any, name: str = "Jansen Techniek BV", email: str = "") -> str:
    """The office makes an invitation on its page; the code as the page shows it."""
    client.force_login(office)
    response = client.post(_invite_url(), {"name": name, "email": email})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    found = re.search(r'class="resume-code"[^>]*>([0-9A-Z-]+)<', response.content.decode())
    assert found
    return found.group(1)


def _enter(client: Any, user: Any, code: str, org: str = "alpha") -> Any:
    client.force_login(user)
    return client.post(_code_url(org), {"code-code": code})


def _message(response: Any) -> str:
    return str(response.context["code_form"].errors["code"][0])


def test_office_invites_and_the_organisation_joins_with_the_code(
    client: Any, programme: Any, office: Any, org_a: Any, alice: Any
) -> None:
    code = _create(client, office, email="hr@jansen.example")
    # Only the keyed hash is stored; the e-mail carries the code, the address is not kept.
    (invitation,) = Invitation.objects.all()
    assert invitation.code_hash == codes.keyed_hash("programme-invite", code.replace("-", ""))
    assert code.replace("-", "") not in str(Invitation.objects.values().get())
    assert "hr@jansen.example" not in str(Invitation.objects.values().get())
    assert invitation.emailed is not None
    assert invitation.created_by == office
    assert invitation.expires - invitation.created == dt.timedelta(days=60)
    (sent,) = mail.outbox
    assert sent.to == ["hr@jansen.example"]
    assert code in sent.body
    assert "Pilot" in sent.subject
    assert "-- English --" in sent.body

    # The admin enters it, sloppily typed: lower case, spaces instead of dashes.
    response = _enter(client, alice, code.lower().replace("-", " "))
    assert response.status_code == 302
    participation = Participation.objects.get(organisation=org_a)
    assert participation.programme == programme
    assert participation.status == Participation.Status.INVITED
    assert not participation.share_scan
    event = AuditEvent.objects.get(organisation=org_a, action="programme.code")
    assert event.user == alice
    assert event.target == "Pilot"
    page = client.get(reverse("programme_org", kwargs={"org": "alpha"}))
    assert "Deelnemen: kies wat u deelt" in page.content.decode()

    # The existing flow: the admin chooses what is shared and joins.
    response = client.post(
        reverse("programme_share", kwargs={"org": "alpha", "pk": participation.pk}),
        {f"p{participation.pk}-sector": "ict", f"p{participation.pk}-share_targets": "on"},
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACTIVE
    assert participation.share_targets

    # The office sees its invitation accepted, by the organisation's name in Koers.
    client.force_login(office)
    listing = client.get(_invite_url()).content.decode()
    assert "Aangenomen door Alpha Engineering" in listing
    assert code not in listing  # shown once, at creation


def test_without_an_address_no_mail_is_sent_and_the_text_is_shown(
    client: Any, programme: Any, office: Any
) -> None:
    client.force_login(office)
    response = client.post(_invite_url(), {"name": "Bakker Installaties", "email": ""})
    html = response.content.decode()
    assert not mail.outbox
    assert "Uitnodiging voor het sectorprogramma Pilot" in html  # the subject to copy
    assert Invitation.objects.get().emailed is None


def test_the_office_page_says_how_to_fix_a_missing_name(
    client: Any, programme: Any, office: Any
) -> None:
    client.force_login(office)
    response = client.post(_invite_url(), {"name": "", "email": "no-address"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_used_withdrawn_expired_and_unknown_codes_get_one_message(
    client: Any, programme: Any, office: Any, org_a: Any, org_b: Any, alice: Any, charlie: Any
) -> None:
    used = _create(client, office, "Eerste")
    assert _enter(client, alice, used).status_code == 302

    withdrawn = _create(client, office, "Tweede")
    pk = Invitation.objects.get(name="Tweede").pk
    client.force_login(office)
    client.post(reverse("programme_invite_withdraw", kwargs={"slug": "pilot", "pk": pk}))
    assert Invitation.objects.get(pk=pk).state() == "withdrawn"

    expired = _create(client, office, "Derde")
    Invitation.objects.filter(name="Derde").update(
        created=timezone.now() - dt.timedelta(days=61),
        expires=timezone.now() - dt.timedelta(days=1),
    )
    unknown = codes.format_code(codes.new_code(services.CODE_LENGTH))

    messages = set()
    for code in (used, withdrawn, expired, unknown, "not a code"):
        response = _enter(client, charlie, code, "beta")
        assert response.status_code == 400, code
        assert REFUSED in response.content.decode()
        messages.add(_message(response))
    assert len(messages) == 1
    assert not Participation.objects.filter(organisation=org_b).exists()
    assert Invitation.objects.get(name="Eerste").organisation == org_a
    # Each counted as a guessed code.
    assert ratelimit.count(ratelimit.failed_lookup_key(_request())) == 5


def _request() -> Any:
    from django.test import RequestFactory

    return RequestFactory().get("/")  # the test client's address, 127.0.0.1


def test_guessing_codes_is_stopped_by_the_rate_limit(
    client: Any, programme: Any, office: Any, org_a: Any, alice: Any
) -> None:
    code = _create(client, office)
    for _ in range(ratelimit.FAILED_LOOKUP_LIMIT):
        guess = codes.format_code(codes.new_code(services.CODE_LENGTH))
        assert _enter(client, alice, guess).status_code == 400
    # Now even the right code is refused, without being looked at.
    response = _enter(client, alice, code)
    assert response.status_code == 429
    assert not Participation.objects.exists()
    assert Invitation.objects.get().state() == "open"


def test_an_empty_code_is_a_form_error_not_a_guess(
    client: Any, programme: Any, org_a: Any, alice: Any
) -> None:
    response = _enter(client, alice, "")
    assert response.status_code == 400
    assert ratelimit.count(ratelimit.failed_lookup_key(_request())) == 0


def test_a_code_works_once_even_for_the_same_organisation_twice(
    client: Any, programme: Any, office: Any, org_a: Any, alice: Any
) -> None:
    code = _create(client, office)
    assert _enter(client, alice, code).status_code == 302
    Participation.objects.all().delete()  # as if the organisation were removed and came back
    response = _enter(client, alice, code)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_an_organisation_already_in_the_programme_is_told_so_and_the_code_stays_open(
    client: Any, programme: Any, office: Any, member: Any, org_a: Any, alice: Any
) -> None:
    member(organisation=org_a)
    code = _create(client, office)
    response = _enter(client, alice, code)
    assert response.status_code == 400
    assert "al uitgenodigd voor Pilot of doet al mee" in _message(response)
    assert Invitation.objects.get().state() == "open"
    assert ratelimit.count(ratelimit.failed_lookup_key(_request())) == 0


def test_two_codes_entered_at_once_leave_the_second_one_open(
    programme: Any, org_a: Any, alice: Any, monkeypatch: Any
) -> None:
    """The race the check before the update cannot see: the unique participation decides."""
    _first, one = services.create_invitation(programme, "Een", None)
    _second, two = services.create_invitation(programme, "Twee", None)
    services.use_code(org_a, one, alice)
    monkeypatch.setattr(services, "_taking_part", lambda *_: False)  # checked before the first
    with pytest.raises(services.AlreadyTakingPart):
        services.use_code(org_a, two, alice)
    assert Invitation.objects.get(name="Twee").state() == "open"
    assert Participation.objects.filter(organisation=org_a).count() == 1


def test_only_the_admin_enters_a_code(
    client: Any, programme: Any, office: Any, org_a: Any, alice: Any
) -> None:
    from django.contrib.auth import get_user_model

    code = _create(client, office)
    analyst = get_user_model().objects.create_user(username="hr@alpha.example")
    Membership.objects.create(user=analyst, organisation=org_a, role=Role.HR_ANALYST)
    client.force_login(analyst)
    page = client.get(reverse("programme_org", kwargs={"org": "alpha"}))
    assert page.status_code == 200
    assert "Uitnodigingscode invoeren" not in page.content.decode()
    assert _enter(client, analyst, code).status_code == 403
    assert not Participation.objects.exists()
    assert Invitation.objects.get().state() == "open"


def test_only_the_office_reaches_the_invitation_page(
    client: Any, programme: Any, office: Any, member: Any, org_a: Any, alice: Any
) -> None:
    member(organisation=org_a)  # alice's organisation takes part: still not the office
    invitation, _code = services.create_invitation(programme, "Jansen", office)
    withdraw = reverse("programme_invite_withdraw", kwargs={"slug": "pilot", "pk": invitation.pk})
    client.force_login(alice)
    assert client.get(_invite_url()).status_code == 404
    assert client.post(_invite_url(), {"name": "Hack"}).status_code == 404
    assert client.post(withdraw).status_code == 404
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().state() == "open"


def test_an_office_cannot_withdraw_another_programmes_invitation(
    client: Any, programme: Any, office: Any
) -> None:
    from koers.programme.models import Programme

    other = Programme.objects.create(name="Ander", slug="ander")
    invitation, _code = services.create_invitation(other, "Van Dijk Montage", None)
    client.force_login(office)
    url = reverse("programme_invite_withdraw", kwargs={"slug": "pilot", "pk": invitation.pk})
    assert client.post(url).status_code == 302
    assert Invitation.objects.get().state() == "open"
    # Its own programme's page does not list it either.
    assert "Van Dijk Montage" not in client.get(_invite_url()).content.decode()


def test_the_office_page_names_only_organisations_that_accepted_its_invitations(
    client: Any, programme: Any, office: Any, member: Any, org_a: Any, org_b: Any, alice: Any
) -> None:
    from koers.organisations.models import Organisation

    member(organisation=org_b)  # a member added in the Django admin: not by invitation
    member()  # a generated member, "Lid 1"
    Organisation.objects.create(name="Gamma Groep", slug="gamma")  # in Koers, not invited
    _enter(client, alice, _create(client, office, "Alfa (onze naam)"))
    _create(client, office, "Nog open")
    client.force_login(office)
    html = client.get(_invite_url()).content.decode()
    assert "Alpha Engineering" in html
    assert "Alfa (onze naam)" in html
    assert "Nog open" in html
    for other in ("Beta Bouw", "Lid 1", "Gamma Groep", "beta", "gamma", "lid-1"):
        assert other not in html, other


def test_the_office_sees_its_own_actions_on_the_page(
    client: Any, programme: Any, office: Any
) -> None:
    _create(client, office, "Jansen")
    invitation = Invitation.objects.get()
    url = reverse("programme_invite_withdraw", kwargs={"slug": "pilot", "pk": invitation.pk})
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_by == office
    html = client.get(_invite_url()).content.decode()
    assert "Ingetrokken op" in html
    assert html.count("bureau@sector.example") >= 2  # made by, withdrawn by
    # Withdrawing twice: a clear message, nothing changes.
    client.post(url, follow=True)
    assert Invitation.objects.get().withdrawn == invitation.withdrawn


@pytest.mark.parametrize(
    ("days", "state"), [(0, "open"), (59, "open"), (60, "expired"), (61, "expired")]
)
def test_an_invitation_expires_after_60_days(programme: Any, days: int, state: str) -> None:
    invitation, _code = services.create_invitation(programme, "Jansen", None)
    later = invitation.created + dt.timedelta(days=days)
    assert invitation.state(later) == state


def test_the_demo_has_one_open_invitation_and_keeps_its_members(org_a: Any) -> None:
    from koers.programme.demo import N_GENERATED, load_demo_programme

    load_demo_programme(org_a)
    load_demo_programme(org_a)  # idempotent
    (invitation,) = Invitation.objects.all()
    assert invitation.state() == "open"
    assert invitation.organisation is None
    active = Participation.objects.filter(status=Participation.Status.ACTIVE).count()
    assert active == N_GENERATED + 1
