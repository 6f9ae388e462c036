"""English is complete: every Dutch text has a translation, and the compiled catalogue matches."""

from __future__ import annotations

import gettext
import json
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "koers" / "locale"


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each singular entry of a .po file."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current: str | None = None
        parts: dict[str, str] = {}
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
                current, _, rest = line.partition(" ")
                parts[current] = json.loads(rest)
            elif current is not None and line.startswith('"'):
                parts[current] += json.loads(line)
        if parts.get("msgid") and "msgid_plural" not in parts:
            entries.append((parts["msgid"], parts.get("msgstr", ""), fuzzy))
    return entries


EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"


def test_every_dutch_text_has_an_english_translation() -> None:
    missing = [msgid for msgid, msgstr, fuzzy in _entries(EN_PO) if not msgstr or fuzzy]
    assert missing == [], f"untranslated or fuzzy in {EN_PO}: {missing[:10]}"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_compiled_catalogue_matches_the_po_file(lang: str) -> None:
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    with (po.with_suffix(".mo")).open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [
        msgid
        for msgid, msgstr, fuzzy in _entries(po)
        if msgstr and not fuzzy and catalogue.gettext(msgid) != msgstr
    ]
    assert stale == [], f"run `make messages`: {lang} .mo is older than .po for {stale[:5]}"


def test_every_text_in_the_code_and_templates_is_in_the_catalogue(tmp_path: Path) -> None:
    """makemessages on a copy of the source: no msgid the .po does not have.

    A template string with ``%`` is looked up as ``%%``: this catches that too."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (GNU gettext) is needed under CI")
        pytest.skip("xgettext not installed")
    source = LOCALE.parent
    copy = tmp_path / "koers"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "koers.settings"}
    run = subprocess.run(
        # The installed script, not `python -m`: the copy's celery.py must not shadow Celery.
        [str(Path(sys.executable).parent / "koers"), "manage", "makemessages", "-l", "en"]
        + ["--no-location"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    new = {msgid for msgid, msgstr, fuzzy in _entries(copy / "locale/en/LC_MESSAGES/django.po")}
    missing = sorted(
        msgid
        for msgid, msgstr, fuzzy in _entries(copy / "locale/en/LC_MESSAGES/django.po")
        if not msgstr or fuzzy
    )
    assert new, "makemessages found no texts"
    assert missing == [], f"texts without an English translation: {missing[:10]}"
