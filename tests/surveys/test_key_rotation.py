"""Rotating SECRET_KEY or KOERS_LINK_KEY keeps open links, codes and invitations working."""

from __future__ import annotations

from typing import Any

import pytest

from koers.reportbox import services as reportbox
from koers.surveys import links, services
from koers.surveys.models import Invitation, Response

OLD, NEW = "old-key-" + "a" * 50, "new-key-" + "b" * 50


@pytest.fixture
def old_key(settings: Any) -> Any:
    settings.KOERS_LINK_KEY = ""
    settings.SECRET_KEY = OLD
    settings.SECRET_KEY_FALLBACKS = []
    return settings


def test_links_and_codes_survive_a_secret_key_rotation(old_key: Any, campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    assert started.code is not None
    old_hash = Response.objects.get().access_hash
    old_key.SECRET_KEY = NEW
    assert services.find_response(started.secret) is None  # without the fallback: gone
    old_key.SECRET_KEY_FALLBACKS = [OLD]
    found = services.find_response(started.secret)
    assert found is not None
    assert found.pk == started.response.pk
    stored = Response.objects.get()
    assert stored.access_hash == links.response_hash(started.secret) != old_hash
    by_code = services.find_response(links.format_code(started.code))
    assert by_code is not None
    assert by_code.pk == started.response.pk
    assert Response.objects.get().code_hash == links.code_hash(started.code)
    old_key.SECRET_KEY_FALLBACKS = []  # moved: works without the fallback from now on
    assert services.find_response(started.secret) is not None
    assert services.find_response(started.code) is not None


def test_invitations_survive_a_link_key_rotation(settings: Any, invite_campaign: Any) -> None:
    settings.KOERS_LINK_KEY = OLD
    (invitation,) = services.invite(invite_campaign, ["a@example.org"])
    secret = services.invitation_link_secret(invitation)
    assert secret is not None
    settings.KOERS_LINK_KEY = NEW
    settings.KOERS_LINK_KEY_FALLBACKS = [OLD]
    invitation.refresh_from_db()
    assert services.invitation_link_secret(invitation) == secret  # for the reminder e-mail
    found = services.find_invitation(secret)
    assert found is not None
    assert found.pk == invitation.pk
    assert Invitation.objects.get().secret_hash == links.invitation_hash(secret)


def test_receipt_codes_survive_a_rotation(old_key: Any, org_a: Any) -> None:
    received = reportbox.receive(reportbox.box_of(org_a), "other", "x")
    old_key.SECRET_KEY = NEW
    assert reportbox.find_report(received.code) is None
    old_key.SECRET_KEY_FALLBACKS = [OLD]
    found = reportbox.find_report(received.code)
    assert found is not None
    assert found.pk == received.report.pk
    old_key.SECRET_KEY_FALLBACKS = []
    assert reportbox.find_report(received.code) is not None


def test_a_wrong_link_stays_wrong_under_every_key(old_key: Any, campaign: Any) -> None:
    services.start_open_response(campaign, "nl")
    old_key.SECRET_KEY = NEW
    old_key.SECRET_KEY_FALLBACKS = [OLD]
    assert services.find_response(links.new_secret()) is None
