"""Two-factor authentication (TOTP, RFC 6238) for staff roles, with django-otp.

Admins and HR analysts must have a confirmed authenticator and verify it at
every login before any organisation page opens (``KOERS_REQUIRE_2FA``, on by
default). Other roles may set one up. ``org_view`` calls :func:`needs_2fa`.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.organisations.models import HR_ROLES, Membership, Role

# The confidential adviser reads the reporting box: the most sensitive text Koers holds.
STAFF_ROLES_REQUIRING_2FA = HR_ROLES | {Role.CONFIDENTIAL_ADVISER}


def requires_2fa(user: Any) -> bool:
    if not getattr(settings, "KOERS_REQUIRE_2FA", True):
        return False
    return Membership.objects.filter(user=user, role__in=list(STAFF_ROLES_REQUIRING_2FA)).exists()


def needs_2fa(request: Any) -> str | None:
    """'setup' or 'verify' when the user must still pass 2FA, else None."""
    user = request.user
    if not requires_2fa(user):
        return None
    if not user_has_device(user, confirmed=True):
        return "setup"
    if not user.is_verified():
        return "verify"
    return None


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Koers", confirmed=False)
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
