"""koers.lib.codes: secrets, codes and keyed hashes shared by every app that hands one out."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from koers.lib import codes


def _expected(raw_key: str, domain: str, secret: str) -> str:
    """The documented construction, computed independently: HMAC-SHA256 under
    SHA-256("koers-link-key:" + key) of "domain NUL secret"."""
    key = hashlib.sha256(("koers-link-key:" + raw_key).encode()).digest()
    return hmac.new(key, f"{domain}\x00{secret}".encode(), hashlib.sha256).hexdigest()


def test_a_keyed_hash_is_the_documented_hmac_under_the_link_key(settings: Any) -> None:
    settings.KOERS_LINK_KEY = "link-key-for-a-test"
    assert codes.keyed_hash("response", "abc") == _expected(
        "link-key-for-a-test", "response", "abc"
    )
    settings.KOERS_LINK_KEY = ""
    assert codes.keyed_hash("response", "abc") == _expected(settings.SECRET_KEY, "response", "abc")


def test_each_domain_gives_an_unrelated_hash_of_the_same_secret() -> None:
    hashes = {codes.keyed_hash(domain, "same") for domain in ("response", "invitation", "x")}
    assert len(hashes) == 3


def test_codes_are_read_back_in_any_sloppy_spelling() -> None:
    code = codes.new_code(16)
    assert len(code) == 16
    assert set(code) <= set(codes.CODE_ALPHABET)
    written = codes.format_code(code).lower()  # abcd-efgh-jkmn-pqrs, as someone copies it
    assert codes.normalise_code(written) == code
    assert codes.looks_like_code(written, 16)
    assert not codes.looks_like_code(written, 12)
    assert codes.normalise_code("il0u o") == "110V0"  # I, L → 1; U → V; O → 0
    assert not codes.looks_like_code("!" * 16, 16)


def test_after_a_key_rotation_old_hashes_and_secrets_are_still_recognised(settings: Any) -> None:
    settings.KOERS_LINK_KEY = "old"
    settings.KOERS_LINK_KEY_FALLBACKS = []
    old_hash = codes.keyed_hash("report-code", "ABC")
    token = codes.encrypt_secret("the secret")
    settings.KOERS_LINK_KEY = "new"
    settings.KOERS_LINK_KEY_FALLBACKS = ["old"]
    assert codes.keyed_hash("report-code", "ABC") != old_hash
    assert codes.former_hashes("report-code", "ABC") == [old_hash]
    assert codes.decrypt_secret(token) == "the secret"
    settings.KOERS_LINK_KEY_FALLBACKS = []
    assert codes.decrypt_secret(token) is None


def test_survey_links_and_receipt_codes_are_made_the_same_way() -> None:
    from koers.reportbox import services as reportbox
    from koers.surveys import links

    assert links.code_hash("abcd-efgh-jkmn") == codes.keyed_hash("resume-code", "ABCDEFGHJKMN")
    assert reportbox.code_hash("abcd efgh jkmn pqrs") == codes.keyed_hash(
        "report-code", "ABCDEFGHJKMNPQRS"
    )
    assert links.looks_like_code(links.new_resume_code())
    assert reportbox.looks_like_code(reportbox.new_code())
    assert not reportbox.looks_like_code(links.new_resume_code())  # 12 is not 16
