"""The instruments shipped with Koers, their versions and the published-version lock.

Files live at ``data/<key>/v<version>.yaml``. A version listed in
``data/published.txt`` is published: its content hash (sha256 of the canonical
form, :func:`koers.instruments.loader.content_hash`) is recorded there and may
never change, because stored responses refer to ``(key, version)``. To change a
published instrument, copy it to ``v<version + 1>.yaml``, edit the copy and,
when it goes live, add its line with ``python -m koers.instruments lock``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

from koers.instruments.definition import Instrument, InstrumentError
from koers.instruments.loader import load_instrument

__all__ = [
    "DATA_DIR",
    "LOCK_FILE",
    "get_instrument",
    "instrument_paths",
    "load_shipped_instruments",
    "lock_line",
    "read_lock",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
LOCK_FILE = DATA_DIR / "published.txt"

_FILE_RE = re.compile(r"^v([1-9][0-9]*)\.yaml$")
_LOCK_RE = re.compile(r"^([a-z][a-z0-9_]*)\s+([1-9][0-9]*)\s+(sha256:[0-9a-f]{64})$")


def instrument_paths(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every ``<key>/v<n>.yaml`` under ``data_dir``, sorted."""
    return sorted(
        path
        for path in data_dir.glob("*/v*.yaml")
        if _FILE_RE.match(path.name) and path.parent.name != "__pycache__"
    )


def read_lock(lock_file: Path = LOCK_FILE) -> dict[tuple[str, int], str]:
    """Parse ``published.txt``: ``<key> <version> sha256:<hex>`` per line, ``#`` comments.

    The file must exist: without it every instrument would silently count as a
    draft. (It is a ``.txt`` file so that the package-data patterns in
    pyproject.toml ship it with the YAML files.)
    """
    entries: dict[tuple[str, int], str] = {}
    if not lock_file.is_file():
        raise InstrumentError(lock_file, "the list of published versions is missing")
    for number, raw in enumerate(lock_file.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LOCK_RE.match(line)
        if match is None:
            raise InstrumentError(
                lock_file, f"line {number} is not '<key> <version> sha256:<hex>': {raw!r}"
            )
        entry = (match.group(1), int(match.group(2)))
        if entry in entries:
            raise InstrumentError(lock_file, f"line {number} repeats {entry[0]} v{entry[1]}")
        entries[entry] = match.group(3)
    return entries


def lock_line(instrument: Instrument) -> str:
    """The ``published.txt`` line that publishes ``instrument``."""
    return f"{instrument.key} {instrument.version} {instrument.content_hash}"


def _load_all(data_dir: Path, lock_file: Path) -> dict[tuple[str, int], Instrument]:
    lock = read_lock(lock_file)
    instruments: dict[tuple[str, int], Instrument] = {}
    for path in instrument_paths(data_dir):
        instrument = load_instrument(path)
        expected = (path.parent.name, int(path.stem[1:]))
        found = (instrument.key, instrument.version)
        if found != expected:
            raise InstrumentError(
                path,
                f"the file says key {found[0]!r} version {found[1]}, but its path says "
                f"{expected[0]!r} version {expected[1]}; shipped files live at "
                "data/<key>/v<version>.yaml",
            )
        published_hash = lock.get(found)
        if published_hash is not None and published_hash != instrument.content_hash:
            raise InstrumentError(
                path,
                f"{found[0]} v{found[1]} is published, so its content may not change "
                f"(published.txt has {published_hash}, the file now hashes to "
                f"{instrument.content_hash}). Restore the file and make the change in "
                f"v{found[1] + 1}.yaml instead.",
            )
        instruments[found] = dataclasses.replace(instrument, published=published_hash is not None)
    for key, version in sorted(set(lock) - set(instruments)):
        raise InstrumentError(
            lock_file, f"{key} v{version} is published but data/{key}/v{version}.yaml is missing"
        )
    return instruments


@functools.cache
def _shipped() -> dict[tuple[str, int], Instrument]:
    return _load_all(DATA_DIR, LOCK_FILE)


def load_shipped_instruments(
    data_dir: Path | None = None, lock_file: Path | None = None
) -> dict[tuple[str, int], Instrument]:
    """All shipped instruments by ``(key, version)``, checked against the lock.

    Without arguments the result is cached for the life of the process (the
    files are part of the code). Pass ``data_dir``/``lock_file`` to load another
    tree (tests).

    Raises
    ------
    InstrumentError
        If a file is invalid, sits at the wrong path, or a published version's
        content hash differs from ``published.txt``.
    """
    if data_dir is None and lock_file is None:
        return dict(_shipped())
    return _load_all(data_dir or DATA_DIR, lock_file or LOCK_FILE)


def get_instrument(
    key: str, version: int | None = None, *, include_drafts: bool = False
) -> Instrument:
    """One shipped instrument; without ``version``, the newest published one.

    Responses store ``(key, version)`` and call this with both, so they are
    always rendered and scored with the version they were given with.

    Raises
    ------
    LookupError
        If there is no such instrument (or no published version of it).
    """
    instruments = _shipped()
    if version is not None:
        try:
            return instruments[(key, version)]
        except KeyError:
            raise LookupError(f"no instrument {key!r} version {version}") from None
    candidates = [
        instrument
        for (found_key, _), instrument in instruments.items()
        if found_key == key and (instrument.published or include_drafts)
    ]
    if not candidates:
        raise LookupError(f"no published instrument {key!r}")
    return max(candidates, key=lambda instrument: instrument.version)
