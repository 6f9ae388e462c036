"""Two-factor authentication (TOTP, RFC 6238) for staff roles, with django-otp.

Admins, HR analysts, the confidential adviser, researchers and Django staff must have a
confirmed authenticator and verify it at every login (``KOERS_REQUIRE_2FA``, on by
default); so must anyone else who has set one up. Until they have,
:class:`koers.accounts.middleware.TwoFactorMiddleware` lets them reach only the code step
(or the setup page while they have no authenticator yet), logout, static files and the
language switch. ``org_view`` calls :func:`needs_2fa` as well.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

# Role values (``koers.organisations.models.Role``) whose members need an authenticator: the
# HR roles, the confidential adviser (who reads the reporting box, the most sensitive text
# Koers holds) and researchers (who export data and fit models on everyone's answers).
# Plain values, so accounts does not import organisations (organisations builds on accounts);
# tests/foundation/test_access_matrix.py checks them against the Role choices.
STAFF_ROLES_REQUIRING_2FA = frozenset({"admin", "hr_analyst", "confidential_adviser", "researcher"})


def requires_2fa(user: Any) -> bool:
    """Whether this user must have an authenticator (by role, or as Django staff)."""
    if not getattr(settings, "KOERS_REQUIRE_2FA", True):
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    memberships = user.memberships  # koers.organisations.models.Membership, by its related name
    return bool(memberships.filter(role__in=list(STAFF_ROLES_REQUIRING_2FA)).exists())


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def needs_2fa(request: Any) -> str | None:
    """'setup' or 'verify' when the user must still pass 2FA, else None.

    'verify' whenever the account has a confirmed authenticator and this session has not
    given a code from it yet (whatever the role: an authenticator that is never asked for
    protects nothing); 'setup' when the role requires one and none is confirmed.
    Remembered on the request, so the middleware and ``org_view`` share one look-up.
    """
    if not getattr(settings, "KOERS_REQUIRE_2FA", True):
        return None
    user = request.user
    if not getattr(user, "is_authenticated", False) or is_verified(user):
        return None
    cached = getattr(request, "_koers_2fa_step", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]  # type: ignore[no-any-return]
    step: str | None = None
    if user_has_device(user, confirmed=True):
        step = "verify"
    elif requires_2fa(user):
        step = "setup"
    request._koers_2fa_step = (user.pk, step)
    return step


PENDING_SESSION_KEY = "koers_pending_totp"


def pending_device(request: Any) -> TOTPDevice:
    """The unconfirmed device this session is setting up (created on first call).

    Bound to the session: a secret another session was shown (say, someone who had only
    the password and opened the setup page) is deleted, never offered to the owner.
    """
    user = request.user
    pk = request.session.get(PENDING_SESSION_KEY)
    device = TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first() if pk else None
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Koers", confirmed=False)
        request.session[PENDING_SESSION_KEY] = device.pk
    return device


def secret_of(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code data URI (no external service, CSP-safe)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
