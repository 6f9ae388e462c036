"""Security notices to the account owner, by e-mail, in Dutch with the English below.

Sent when an authenticator is linked to the account (so an intruder who managed it is
noticed) and when wrong codes after the right password reach the daily ceiling (someone
has the password). They never contain the authenticator's secret, a code or a link that
logs in; they point to the password pages.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

log = logging.getLogger(__name__)


def _both(subject: str, body: str, values: dict[str, str]) -> tuple[str, str]:
    """Subject and body in Dutch, then English (the msgids are the Dutch texts)."""
    parts = {}
    for language in ("nl", "en"):
        with translation.override(language):
            parts[language] = (_(subject) % values, _(body) % values)
    return (
        f"{parts['nl'][0]} / {parts['en'][0]}",
        f"{parts['nl'][1]}\n\n-- English --\n\n{parts['en'][1]}",
    )


def _send(user: Any, subject: str, body: str) -> bool:
    if not user.email:
        return False
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # an unreachable mail server must not undo the change itself
        log.exception("could not send a security notice to user %s", user.pk)
        return False
    return True


def _values(user: Any) -> dict[str, str]:
    site = settings.SITE_URL.rstrip("/")
    return {
        "email": user.email,
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "reset": site + reverse("password_reset"),
    }


def device_linked(user: Any) -> bool:
    """An authenticator app was linked to (or replaced on) ``user``'s account."""
    subject, body = _both(
        gettext_noop("Koers: authenticator-app gekoppeld"),
        gettext_noop(
            "Op %(when)s is een authenticator-app gekoppeld aan je Koers-account (%(email)s). "
            "Vanaf nu vraagt Koers bij het inloggen om de code uit die app; een app die eerder "
            "gekoppeld was, werkt niet meer.\n\n"
            "Deed je dit niet zelf? Dan kent iemand anders je wachtwoord. Vraag meteen een nieuw "
            "wachtwoord aan (%(reset)s) en vraag de beheerder van Koers om deze "
            "authenticator-app van je account te verwijderen."
        ),
        _values(user),
    )
    return _send(user, subject, body)


def codes_being_guessed(user: Any) -> bool:
    """Many wrong codes after the right password: someone has ``user``'s password."""
    subject, body = _both(
        gettext_noop("Koers: iemand probeert in te loggen op je account"),
        gettext_noop(
            "Op je Koers-account (%(email)s) zijn vandaag veel verkeerde inlogcodes ingevuld, "
            "na het juiste wachtwoord. Waarschijnlijk kent iemand anders je wachtwoord.\n\n"
            "Vraag meteen een nieuw wachtwoord aan (%(reset)s): daarmee stopt de poging en kun "
            "je ook vanaf een nieuwe browser weer inloggen. Je authenticator-app blijft "
            "gewoon werken."
        ),
        _values(user),
    )
    return _send(user, subject, body)
