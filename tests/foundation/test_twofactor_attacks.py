"""Attacks on two-factor login from the privacy review (issue 11, item 1), performed as
described: someone who knows the password but not the authenticator code."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.conftest import PASSWORD

from koers.accounts import throttle
from koers.accounts.twofactor import STAFF_ROLES_REQUIRING_2FA
from koers.organisations.models import Role

pytestmark = pytest.mark.twofactor

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, offset):06d}"


def _wrong(device: TOTPDevice, n: int) -> list[str]:
    """n codes that are certainly wrong (not within the accepted window of steps)."""
    right = {_code(device, offset) for offset in (-2, -1, 0, 1, 2)}
    return [c for c in (f"{i:06d}" for i in range(n + len(right))) if c not in right][:n]


def _password_step(client: Any, user: Any, address: str = ATTACKER) -> Any:
    return client.post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR=address,
    )


def _send_code(client: Any, code: str, address: str, next_url: str = "/") -> Any:
    return client.post(
        reverse("twofactor_verify"), {"token": code, "next": next_url}, REMOTE_ADDR=address
    )


@pytest.fixture
def hr(member_of: Any) -> Any:
    return member_of(Role.HR_ANALYST)


@pytest.fixture
def device(hr: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=hr, name="phone", confirmed=True)


def _sample(converter: str) -> str:
    return {"int": "1", "slug": "alpha", "path": "x/y"}.get(converter, "x" * 40)


def _every_page() -> list[tuple[str, str]]:
    """(name, path) of every named page of the site, the API excepted, with sample values
    in the URL; plus pages of the Django admin."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if p.namespace in ("admin", "api"):
                    continue
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and p.name:
                full = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _sample(m.group(1) or ""), route)
                found.append((p.name, "/" + prefix + full))

    walk(get_resolver().url_patterns, "")
    admin = ["/admin/", "/admin/auth/user/", "/admin/otp_totp/totpdevice/add/"]
    return found + [(f"admin:{path}", path) for path in admin]


# What a half-logged-in user may still reach: the code step, logout, the language switch.
OPEN_BEFORE_THE_CODE = {"twofactor_verify", "logout", "set_language"}


def test_with_the_password_only_no_page_opens_but_the_code_step(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    _password_step(client, hr)
    pages = [(name, path) for name, path in _every_page() if name not in OPEN_BEFORE_THE_CODE]
    assert len(pages) > 50  # the walk found the site
    for name, path in pages:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"].startswith(reverse("twofactor_verify")), (name, path)
    # The pages the review named, once more by name.
    for page in ("scan_home", "dashboard", "members", "reportbox_inbox"):
        url = reverse(page, kwargs={"org": "alpha"})
        assert client.get(url)["Location"] == f"/accounts/2fa/?next={url.replace('/', '%2F')}"


def test_with_the_password_only_a_new_authenticator_cannot_be_enrolled(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    _password_step(client, hr)
    page = client.get(reverse("twofactor_setup"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("twofactor_verify"))
    assert not TOTPDevice.objects.filter(user=hr, confirmed=False).exists()  # no secret made
    # Even with a secret of its own making, confirming gets nowhere.
    rogue = TOTPDevice.objects.create(user=hr, name="rogue", confirmed=False)
    client.post(reverse("twofactor_setup"), {"token": _code(rogue), "next": "/"})
    assert list(TOTPDevice.objects.filter(user=hr, confirmed=True)) == [device]
    assert client.get(reverse("scan_home", kwargs={"org": "alpha"})).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_with_the_password_only_the_password_cannot_be_changed(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    _password_step(client, hr)
    assert client.get(reverse("password_change"))["Location"].startswith("/accounts/2fa/")
    new = "a-new-password-of-the-attacker-42"
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    hr.refresh_from_db()
    assert hr.check_password(PASSWORD)


def test_with_the_password_only_a_staff_account_cannot_open_the_admin(
    client: Any, alice: Any
) -> None:
    alice.is_staff = alice.is_superuser = True
    alice.save()
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    _password_step(client, alice)
    for path in ("/admin/", "/admin/otp_totp/totpdevice/add/", "/admin/auth/user/"):
        assert client.get(path)["Location"].startswith("/accounts/2fa/"), path
    _send_code(client, _code(device), ATTACKER)
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_is_not_a_second_unthrottled_login(client: Any, alice: Any) -> None:
    alice.is_staff = alice.is_superuser = True
    alice.save()
    answers = []
    for password in ("wrong password", PASSWORD):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": alice.email, "password": password, "otp_token": "123456"},
        )
        answers.append((response.status_code, response.get("Location")))
        assert "_auth_user_id" not in client.session
    # Both sent to Koers's own (throttled) login: the admin form tells nothing.
    assert answers[0] == answers[1]
    assert answers[0][1].startswith(reverse("login"))


def test_the_session_key_changes_at_the_code_step(client: Any, hr: Any, device: Any) -> None:
    _password_step(client, hr)
    before = client.session.session_key
    _send_code(client, _code(device), ATTACKER)
    after = client.session.session_key
    assert before
    assert after
    assert before != after
    assert client.get(reverse("scan_home", kwargs={"org": "alpha"})).status_code == 200


def test_a_verified_session_can_replace_the_authenticator_and_the_owner_hears_of_it(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    _password_step(client, hr)
    _send_code(client, _code(device), ATTACKER)
    page = client.get(reverse("twofactor_setup"))
    assert page.status_code == 200
    new = TOTPDevice.objects.get(user=hr, confirmed=False)
    secret = page.context["secret"]
    client.post(reverse("twofactor_setup"), {"token": _code(new), "next": "/"})
    assert list(TOTPDevice.objects.filter(user=hr)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [hr.email]
    text = notice.subject + notice.body
    assert "authenticator-app gekoppeld" in text  # Dutch
    assert "authenticator app" in text.lower()  # and English
    assert secret not in text
    assert new.key not in text
    assert device.key not in text
    assert _code(new) not in notice.body


def test_the_first_authenticator_sends_a_notice_too(client: Any, alice: Any) -> None:
    _password_step(client, alice)
    page = client.get(reverse("twofactor_setup"))
    pending = TOTPDevice.objects.get(user=alice, confirmed=False)
    client.post(reverse("twofactor_setup"), {"token": _code(pending), "next": "/"})
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert page.context["secret"] not in mail.outbox[0].body


def test_a_secret_shown_to_another_session_is_never_offered_to_the_owner(
    client: Any, alice: Any, settings: Any
) -> None:
    from django.test import Client

    intruder = Client()
    _password_step(intruder, alice)
    seen = intruder.get(reverse("twofactor_setup")).context["secret"]
    _password_step(client, alice, OWNER)
    assert client.get(reverse("twofactor_setup")).context["secret"] != seen


def test_wrong_codes_from_a_guesser_do_not_lock_the_owner_out(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    from django.test import Client

    guesser = Client()
    _password_step(guesser, hr, ATTACKER)
    for code in _wrong(device, 40):
        _send_code(guesser, code, ATTACKER)
    # The owner, from their own address, with the right code: in at once.
    _password_step(client, hr, OWNER)
    _send_code(client, _code(device), OWNER)
    assert client.get(reverse("scan_home", kwargs={"org": "alpha"})).status_code == 200


def test_a_guesser_is_stopped_after_a_few_codes_from_one_address(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    _password_step(client, hr, ATTACKER)
    for code in _wrong(device, throttle.MAX_CODE_FAILURES_PER_PAIR):
        _send_code(client, code, ATTACKER)
    page = _send_code(client, _code(device), ATTACKER)  # even the right code: too late
    assert "Te veel verkeerde codes" in page.content.decode()
    assert client.get(reverse("scan_home", kwargs={"org": "alpha"})).status_code == 302


def test_guessing_from_many_addresses_meets_a_daily_ceiling_the_owner_is_told(
    client: Any, hr: Any, device: TOTPDevice, monkeypatch: Any
) -> None:
    from django.test import Client

    monkeypatch.setattr(throttle, "MAX_CODE_FAILURES_PER_ACCOUNT", 6)  # fewer slow logins

    wrong = iter(_wrong(device, throttle.MAX_CODE_FAILURES_PER_ACCOUNT))
    for n in range(throttle.MAX_CODE_FAILURES_PER_ACCOUNT):
        guesser, address = Client(), f"192.0.2.{n}"
        _password_step(guesser, hr, address)
        _send_code(guesser, next(wrong), address)
    # A browser that never logged in to this account now gets no further, right code or not.
    fresh = Client()
    _password_step(fresh, hr, "192.0.2.200")
    assert (
        "Te veel verkeerde codes"
        in _send_code(fresh, _code(device), "192.0.2.200").content.decode()
    )
    # The owner was warned once, without a code or secret.
    assert [m.to for m in mail.outbox] == [[hr.email]]
    assert device.key not in mail.outbox[0].body


def test_the_owners_known_browser_is_not_subject_to_the_ceiling(
    client: Any, hr: Any, device: TOTPDevice, monkeypatch: Any
) -> None:
    from django.test import Client

    monkeypatch.setattr(throttle, "MAX_CODE_FAILURES_PER_ACCOUNT", 6)  # fewer slow logins

    _password_step(client, hr, OWNER)
    _send_code(client, _code(device), OWNER)
    client.post(reverse("logout"))
    assert throttle.KNOWN_COOKIE in client.cookies
    wrong = iter(_wrong(device, throttle.MAX_CODE_FAILURES_PER_ACCOUNT))
    for n in range(throttle.MAX_CODE_FAILURES_PER_ACCOUNT):
        guesser, address = Client(), f"192.0.2.{n}"
        _password_step(guesser, hr, address)
        _send_code(guesser, next(wrong), address)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a fresh code of the owner
    _password_step(client, hr, OWNER)
    _send_code(client, _code(device), OWNER)
    assert client.get(reverse("scan_home", kwargs={"org": "alpha"})).status_code == 200


def test_a_forged_known_browser_cookie_counts_for_nothing(
    client: Any, hr: Any, device: TOTPDevice
) -> None:
    client.cookies[throttle.KNOWN_COOKIE] = "not-signed"
    _password_step(client, hr, ATTACKER)
    for code in _wrong(device, throttle.MAX_CODE_FAILURES_PER_PAIR):
        _send_code(client, code, ATTACKER)
    assert "Te veel verkeerde codes" in _send_code(client, _code(device), ATTACKER).content.decode()


def test_django_otp_device_throttling_is_off(hr: Any, device: TOTPDevice) -> None:
    for code in _wrong(device, 10):
        assert not device.verify_token(code)
    assert device.verify_token(_code(device))


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.HR_ANALYST, Role.CONFIDENTIAL_ADVISER, Role.RESEARCHER]
)
def test_staff_roles_and_the_researcher_need_the_second_step(
    client: Any, member_of: Any, role: str
) -> None:
    user = member_of(role)
    assert role in STAFF_ROLES_REQUIRING_2FA
    _password_step(client, user)
    home = client.get(reverse("dashboard", kwargs={"org": "alpha"}))
    assert home["Location"].startswith(reverse("twofactor_setup"))


def test_anyone_with_an_authenticator_is_asked_for_its_code(client: Any, bob: Any) -> None:
    device = TOTPDevice.objects.create(user=bob, name="phone", confirmed=True)
    _password_step(client, bob)
    assert client.get(reverse("dashboard", kwargs={"org": "alpha"})).status_code == 302
    assert client.get(reverse("twofactor_setup"))["Location"].startswith("/accounts/2fa/")
    _send_code(client, _code(device), ATTACKER)
    assert client.get(reverse("dashboard", kwargs={"org": "alpha"})).status_code == 200


def test_the_demo_researcher_gets_an_authenticator_and_its_key_is_printed(db: Any) -> None:
    import io

    from django.core.management import call_command

    from koers.lib import hooks

    out = io.StringIO()
    with hooks.demo_loaders.replaced():
        call_command("load_demo", stdout=out)
    device = TOTPDevice.objects.get(user__username="onderzoeker@voorbeeld.nl", confirmed=True)
    from koers.accounts.twofactor import secret_of

    printed = f"2FA for onderzoeker@voorbeeld.nl: add key {secret_of(device)} "
    assert printed in out.getvalue()
    code = io.StringIO()
    call_command("demo_code", "onderzoeker@voorbeeld.nl", stdout=code)
    assert device.verify_token(code.getvalue().strip())


def test_codes_sent_in_parallel_cannot_slip_past_the_limit(hr: Any) -> None:
    # Many requests arrive before any of them has been answered: each is counted as it
    # starts, so only the allowed number is ever checked.
    started = [throttle.begin_code(hr, ATTACKER) for _ in range(50)]
    assert started.count(True) == throttle.MAX_CODE_FAILURES_PER_PAIR
    logins = [throttle.begin_login(hr.email, ATTACKER) for _ in range(50)]
    assert logins.count(True) == throttle.MAX_FAILURES_PER_PAIR
