"""Respondent links, resume codes and the keyed hashes that keep answers unlinkable.

A respondent link carries a long random secret (256 bits). The response stores
``HMAC(key, "response", secret)``, an invitation ``HMAC(key, "invitation",
secret)``: different domains, so the two stored values cannot be joined
without the secret itself, which only the link holder has. An anonymous
respondent also gets a resume code (12 base-32 characters = 60 bits) whose
hash the response stores under a third domain.

While reminders may still be needed, an invitation keeps the secret encrypted
at rest (Fernet, key derived from the link key); it is wiped when the response
is finished or the campaign closes (:mod:`koers.surveys.services`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

# Crockford's base-32 alphabet: no I, L, O, U, so codes survive being written down.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 12 × 5 = 60 bits
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def _derive(raw: str) -> bytes:
    return hashlib.sha256(("koers-link-key:" + raw).encode()).digest()


def _link_key() -> bytes:
    raw = getattr(settings, "KOERS_LINK_KEY", "") or settings.SECRET_KEY
    return _derive(raw)


def _former_keys() -> list[bytes]:
    """Keys that links, codes and invitation secrets may still have been made with.

    ``KOERS_LINK_KEY_FALLBACKS`` when ``KOERS_LINK_KEY`` is set, else Django's own
    ``SECRET_KEY_FALLBACKS``: rotating a key then keeps every open link working, and a
    look-up under a former key moves the stored hash to the current one.
    """
    if getattr(settings, "KOERS_LINK_KEY", ""):
        raws = list(getattr(settings, "KOERS_LINK_KEY_FALLBACKS", []))
    else:
        raws = list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return [_derive(raw) for raw in raws if raw]


def keyed_hash(domain: str, secret: str, key: bytes | None = None) -> str:
    """Domain-separated HMAC-SHA256 of a secret, hex encoded (current key by default)."""
    mac = hmac.new(key or _link_key(), f"{domain}\x00{secret}".encode(), hashlib.sha256)
    return mac.hexdigest()


def former_hashes(domain: str, secret: str) -> list[str]:
    """The same hash under each former key (empty when no key was rotated)."""
    return [keyed_hash(domain, secret, key) for key in _former_keys()]


def adopt_former_hash(model: Any, field: str, domain: str, secret: str) -> bool:
    """After a key rotation: if a row of ``model`` holds ``secret``'s hash under a former
    key in ``field``, replace it by the hash under the current key. True when one did."""
    current = keyed_hash(domain, secret)
    for former in former_hashes(domain, secret):
        if model.objects.filter(**{field: former}).update(**{field: current}):
            return True
    return False


RESPONSE, INVITATION, RESUME_CODE = "response", "invitation", "resume-code"


def response_hash(secret: str) -> str:
    return keyed_hash(RESPONSE, secret)


def invitation_hash(secret: str) -> str:
    return keyed_hash(INVITATION, secret)


def code_hash(code: str) -> str:
    return keyed_hash(RESUME_CODE, normalise_code(code))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_resume_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Upper-case, drop spaces and dashes, map look-alike letters (I/L→1, O→0, U→V)."""
    return "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)


def looks_like_code(credential: str) -> bool:
    norm = normalise_code(credential)
    return len(norm) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in norm)


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to copy by hand."""
    norm = normalise_code(code)
    return "-".join(norm[i : i + 4] for i in range(0, len(norm), 4))


def _fernet(link_key: bytes | None = None) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"koers invitation secret"
    ).derive(link_key or _link_key())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str | None:
    """The invitation secret; also when it was encrypted under a former key."""
    fernets = [_fernet()] + [_fernet(key) for key in _former_keys()]
    try:
        return MultiFernet(fernets).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


# --- the browser slot: where a respondent's credential lives after the first visit ---------
#
# A link secret or resume code is a bearer credential; in a URL it would end up in proxy
# logs, Django's request log and browser history. After the first visit it therefore moves
# into a cookie, and every later page lives under ``/invullen/<slot>/``. The slot is not a
# secret: a keyed hash of the credential, truncated to 64 bits, so it names the cookie and
# the URL without revealing the credential (a 60-bit resume code cannot be recovered from
# it without the link key) and without pointing at a row (the database stores other
# hashes). One slot per response: two responses in one browser (two campaigns, a shared
# family PC) each keep their own cookie and their own URLs.
SLOT = "browser-slot"
SLOT_LENGTH = 16
COOKIE_PREFIX = "koers_r_"


def slot_of(credential: str) -> str:
    """The non-secret slot name for a credential (a code in any sloppy spelling: one slot)."""
    norm = normalise_code(credential) if looks_like_code(credential) else credential
    return keyed_hash(SLOT, norm)[:SLOT_LENGTH]


def is_slot(value: str) -> bool:
    return len(value) == SLOT_LENGTH and all(ch in "0123456789abcdef" for ch in value)


def cookie_name(slot: str) -> str:
    return COOKIE_PREFIX + slot


def cookie_value(credential: str) -> str:
    """What the cookie holds: the secret as it is, a resume code normalised (cookie-safe)."""
    return normalise_code(credential) if looks_like_code(credential) else credential
