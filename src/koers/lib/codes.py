"""Secrets, codes and keyed hashes: what a link or a receipt code is made of.

Owned here for every app that hands out a secret (survey links and resume codes,
reporting-box receipt codes, the rate limiter's hashed keys):

- :func:`new_secret`: a long random URL-safe secret (256 bits) for a link.
- :func:`new_code`: a short code for people to write down, in Crockford's base-32
  alphabet (no I, L, O, U); :func:`normalise_code` reads it back in any sloppy spelling.
- :func:`keyed_hash`: a domain-separated HMAC-SHA256 under the link key. Each use takes
  its own domain (``"response"``, ``"report-code"``, ``"address"``…), so two stored hashes
  of one secret cannot be joined without the secret itself.
- Key rotation: ``KOERS_LINK_KEY_FALLBACKS`` (or Django's ``SECRET_KEY_FALLBACKS``) keep
  old links working; :func:`adopt_former_hash` moves a stored hash to the current key on
  first use.
- :func:`encrypt_secret` / :func:`decrypt_secret`: a secret kept encrypted at rest
  (Fernet, key derived from the link key) while it may still be needed.
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
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def _derive(raw: str) -> bytes:
    return hashlib.sha256(("koers-link-key:" + raw).encode()).digest()


def _link_key() -> bytes:
    raw = getattr(settings, "KOERS_LINK_KEY", "") or settings.SECRET_KEY
    return _derive(raw)


def _former_keys() -> list[bytes]:
    """Keys that links, codes and encrypted secrets may still have been made with.

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


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_code(length: int) -> str:
    """``length`` random characters of :data:`CODE_ALPHABET` (5 bits each)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """Upper-case, drop spaces and dashes, map look-alike letters (I/L→1, O→0, U→V)."""
    return "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)


def looks_like_code(text: str, length: int) -> bool:
    """Whether ``text``, normalised, is a code of ``length`` characters."""
    norm = normalise_code(text)
    return len(norm) == length and all(ch in CODE_ALPHABET for ch in norm)


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
    """The secret; also when it was encrypted under a former key. None when unreadable."""
    fernets = [_fernet()] + [_fernet(key) for key in _former_keys()]
    try:
        return MultiFernet(fernets).decrypt(token.encode()).decode()
    except InvalidToken:
        return None
