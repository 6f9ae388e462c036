"""Base pages: login, logout, password reset, language, security headers, demo data."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from tests.conftest import PASSWORD


def test_login_with_email_and_password_lands_on_the_dashboard(client: Any, bob: Any) -> None:
    response = client.post(
        reverse("login"), {"username": "bob@alpha.example", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard", kwargs={"org": "alpha"})


def test_a_wrong_password_gives_a_clear_message(client: Any, bob: Any) -> None:
    response = client.post(reverse("login"), {"username": "bob@alpha.example", "password": "x"})
    assert response.status_code == 200
    assert "Controleer beide" in response.content.decode()


def test_logout_is_a_post(client: Any, bob: Any) -> None:
    client.force_login(bob)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_email(client: Any, bob: Any) -> None:
    response = client.post(reverse("password_reset"), {"email": "bob@alpha.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_pages_are_dutch_by_default(client: Any, db: Any) -> None:
    response = client.get(reverse("login"))
    assert '<html lang="nl">' in response.content.decode()
    assert "Wachtwoord" in response.content.decode()


def test_the_language_switch_gives_english(client: Any, db: Any) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Password" in page
    assert "Wachtwoord" not in page


def test_pages_send_a_strict_content_security_policy(client: Any, db: Any) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_loads_anything_from_another_host(client: Any, alice: Any) -> None:
    client.force_login(alice)
    for url in (reverse("home"), reverse("login"), reverse("dashboard", kwargs={"org": "alpha"})):
        html = client.get(url, follow=True).content.decode()
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html
        assert "<script>" not in html  # no inline scripts


def test_the_page_has_landmarks_and_a_skip_link(client: Any, db: Any) -> None:
    html = client.get(reverse("login")).content.decode()
    for marker in ('<main id="main"', "<header", "<footer", 'href="#main"', "<nav"):
        assert marker in html


def test_healthz_answers(client: Any, db: Any) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_load_demo_twice_is_safe(db: Any) -> None:
    from django.contrib.auth import get_user_model

    from koers.organisations.models import Membership

    call_command("load_demo")
    users, memberships = get_user_model().objects.count(), Membership.objects.count()
    call_command("load_demo")
    assert (get_user_model().objects.count(), Membership.objects.count()) == (users, memberships)
    assert users >= 7


def test_demo_admin_can_log_in(client: Any, db: Any) -> None:
    from koers.organisations.demo import DEMO_PASSWORD

    call_command("load_demo")
    assert client.login(username="admin@voorbeeld.nl", password=DEMO_PASSWORD)


def test_the_page_title_names_the_page_and_koers(client: Any, db: Any) -> None:
    assert "<title>Inloggen · Koers</title>" in client.get(reverse("login")).content.decode()


def test_every_organisation_page_is_only_reachable_under_its_organisation() -> None:
    """A view protected by ``org_view`` takes the organisation from ``/o/<org>/``; the same
    view under another prefix has no organisation and would fail (found: seven pay desk
    pages were also listed among the public pages, and answered 500)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from koers.organisations.access import PERMISSION_ATTRIBUTE

    outside: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                protected = hasattr(entry.callback, PERMISSION_ATTRIBUTE)
                if protected and not route.startswith("o/<slug:org>/"):
                    outside.append(f"{route} ({entry.name})")

    walk(get_resolver().url_patterns, "")
    assert outside == []
