"""Security headers Django does not set itself: a strict Content Security Policy.

No inline scripts or styles anywhere in Koers, so the policy can forbid them;
everything is served from our own origin (the app works offline, no CDN). The policy
holds on every page: the API docs (Swagger UI from django-ninja's own static files, its
settings in a JSON data block read by a static script) and the Django admin (Django 5.2's
admin templates use no inline scripts) need no exemption.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


def client_address(forwarded_for: str, proxies: int) -> str | None:
    """The client's address from ``X-Forwarded-For``, given how many proxies we trust.

    Each proxy appends the address it received the request from, so with ``proxies``
    trusted proxies in front of Koers the entry they added first (the ``proxies``-th from
    the right) is the client as our outermost proxy saw it. Entries to its left were sent
    by the client and can be anything, so they are never used. None when the header has
    no usable address there.
    """
    if proxies < 1 or not forwarded_for:
        return None
    parts = [part.strip() for part in forwarded_for.split(",")]
    candidate = parts[-proxies] if len(parts) >= proxies else parts[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Behind a reverse proxy, make ``REMOTE_ADDR`` the client's address, not the proxy's.

    Every per-address rule (the failed-look-up limit, the public ceiling, login
    throttling) reads ``REMOTE_ADDR``; behind a proxy it would otherwise be one address
    for everybody, and one person guessing codes would lock out the whole organisation.
    ``KOERS_PROXY_COUNT`` (default 1 when ``BEHIND_PROXY``, else 0) says how many
    proxies to trust; with 0 the header is ignored, so a client cannot spoof it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        proxies = int(getattr(settings, "KOERS_PROXY_COUNT", 0))
        if proxies:
            found = client_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies)
            if found is not None:
                request.META["REMOTE_ADDR"] = found
        return self.get_response(request)
