"""Two-factor authentication for staff roles, login throttling, password rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.conftest import PASSWORD

from koers.accounts import throttle
from koers.organisations.models import Role

pytestmark = pytest.mark.twofactor


def _login(client: Any, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": email, "password": password}, follow=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_an_admin_without_an_authenticator_must_set_one_up(client: Any, alice: Any) -> None:
    page = _login(client, "alice@alpha.example")
    assert page.redirect_chain[-1][0].startswith("/accounts/2fa/setup/")
    assert "data:image/svg+xml;base64," in page.content.decode()
    assert client.get(reverse("dashboard", kwargs={"org": "alpha"})).status_code == 302


def test_setting_up_the_authenticator_opens_the_dashboard(client: Any, alice: Any) -> None:
    _login(client, "alice@alpha.example")
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    wrong = client.post(reverse("twofactor_setup"), {"token": "000000", "next": "/"})
    assert "klopt niet" in wrong.content.decode()
    # django-otp slows down guessing after a wrong code; a real user waits a second.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    client.post(reverse("twofactor_setup"), {"token": _code(device), "next": "/"})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard", kwargs={"org": "alpha"})).status_code == 200


def test_an_hr_analyst_with_an_authenticator_must_enter_a_code(client: Any, member_of: Any) -> None:
    hr = member_of(Role.HR_ANALYST)
    device = TOTPDevice.objects.create(user=hr, name="phone", confirmed=True)
    page = _login(client, hr.email)
    assert page.redirect_chain[-1][0].startswith("/accounts/2fa/")
    dashboard = reverse("dashboard", kwargs={"org": "alpha"})
    assert client.get(dashboard)["Location"].startswith("/accounts/2fa/?next=")
    client.post(reverse("twofactor_verify"), {"token": _code(device), "next": dashboard})
    assert client.get(dashboard).status_code == 200


def test_the_confidential_adviser_needs_the_second_step_for_the_reporting_box(
    client: Any, member_of: Any
) -> None:
    adviser = member_of(Role.CONFIDENTIAL_ADVISER)
    page = _login(client, adviser.email)
    assert page.redirect_chain[-1][0].startswith("/accounts/2fa/setup/")
    inbox = client.get(reverse("reportbox_inbox", kwargs={"org": "alpha"}))
    assert inbox.status_code == 302
    assert inbox["Location"].startswith("/accounts/2fa/setup/")


def test_a_manager_needs_no_second_step(client: Any, bob: Any) -> None:
    page = _login(client, "bob@alpha.example")
    assert page.redirect_chain[-1][0] == reverse("dashboard", kwargs={"org": "alpha"})


def test_the_django_admin_asks_for_the_code_too(client: Any, alice: Any) -> None:
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302  # not verified: back to the admin login


def test_five_wrong_passwords_lock_the_account_for_a_while(client: Any, bob: Any) -> None:
    for _ in range(throttle.MAX_FAILURES_PER_PAIR):
        _login(client, "bob@alpha.example", "wrong password")
    page = _login(client, "bob@alpha.example")  # the right password, but locked
    assert "Te veel mislukte pogingen" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(client: Any, bob: Any) -> None:
    for _ in range(throttle.MAX_FAILURES_PER_PAIR - 1):
        _login(client, "bob@alpha.example", "wrong password")
    _login(client, "bob@alpha.example")
    client.logout()
    _login(client, "bob@alpha.example", "wrong password")
    assert "_auth_user_id" in _login(client, "bob@alpha.example").wsgi_request.session


@pytest.mark.parametrize("weak", ["short1", "12345678901234", "password1234"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_sessions_expire_and_cookies_are_http_only(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def _login_from(client: Any, address: str, email: str, password: str = PASSWORD) -> Any:
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_a_stranger_from_another_address_cannot_lock_the_owner_out(client: Any, bob: Any) -> None:
    from django.test import Client

    stranger = Client()
    for _ in range(throttle.MAX_FAILURES_PER_ADDRESS + 5):  # well past every per-address lock
        _login_from(stranger, "203.0.113.66", "bob@alpha.example", "wrong password")
    locked = _login_from(stranger, "203.0.113.66", "bob@alpha.example")
    assert "_auth_user_id" not in stranger.session  # the stranger's address is locked
    assert "Te veel mislukte pogingen" in locked.content.decode()
    _login_from(client, "198.51.100.7", "bob@alpha.example")
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_guessing_from_many_addresses_meets_a_ceiling_that_spares_the_owners_browser(
    client: Any, bob: Any, monkeypatch: Any
) -> None:
    from django.test import Client

    # A lower ceiling than production's, so the test needs fewer (slow) password checks.
    monkeypatch.setattr(throttle, "MAX_FAILURES_PER_ACCOUNT", 3 * throttle.MAX_FAILURES_PER_PAIR)

    _login_from(client, "198.51.100.7", "bob@alpha.example")  # the owner, earlier
    client.post(reverse("logout"))
    per_address = throttle.MAX_FAILURES_PER_PAIR - 1
    for n in range(throttle.MAX_FAILURES_PER_ACCOUNT // per_address + 1):
        for _ in range(per_address):
            _login_from(Client(), f"10.0.{n // 250}.{n % 250}", "bob@alpha.example", "wrong")
    # A browser new to this account, from a fresh address: the ceiling holds, even for the
    # right password (so guessing from a botnet is slow).
    fresh = Client()
    _login_from(fresh, "192.0.2.1", "bob@alpha.example")
    assert "_auth_user_id" not in fresh.session
    # The owner's browser, which logged in to this account before, is not locked out.
    _login_from(client, "198.51.100.7", "bob@alpha.example")
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_the_login_page_does_not_move_focus_past_the_skip_link(client: Any) -> None:
    """The first Tab must reach "Naar de inhoud"; Django's login form autofocuses the e-mail
    field, which skipped it (the browser check is tests/e2e/test_foundation_e2e.py)."""
    html = client.get(reverse("login")).content.decode()
    assert 'name="username"' in html
    assert "autofocus" not in html
