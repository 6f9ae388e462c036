from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo user (demo installations only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> str:
        user = get_user_model().objects.filter(username=options["email"]).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True, name="Koers demo").first()
        if device is None:
            raise CommandError(f"{options['email']} has no demo authenticator (see `load_demo`)")
        return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
