"""The API docs page (Swagger UI) is served from our own static files under the strict CSP
(issue 11, item 8: it loaded Swagger UI from a CDN, with /api/ exempt from the CSP)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders

from koers.web.middleware import CSP


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json", "/api/v1/organisation"])
def test_api_responses_carry_the_strict_csp(client: Any, db: Any, path: str) -> None:
    response = client.get(path)
    assert response["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP
    assert "unsafe-eval" not in CSP


def test_the_docs_page_references_no_other_host(client: Any, db: Any) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html), html
    assert "cdn" not in html.lower()
    # Every script is a file of our own origin: no inline code for the CSP to refuse.
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []
    for src in re.findall(r"(?:src|href)=\"([^\"]+)\"", html):
        assert src.startswith("/static/"), src
        assert finders.find(src.removeprefix("/static/")), src


def test_the_admin_keeps_the_strict_csp(client: Any, alice: Any) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page = client.get("/admin/")
    assert page.status_code == 200
    assert page["Content-Security-Policy"] == CSP
