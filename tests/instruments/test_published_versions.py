"""Published versions are immutable: published.txt pins each one's content hash."""

from __future__ import annotations

import fnmatch
import shutil
import tomllib
from pathlib import Path

import pytest

from koers.instruments import (
    InstrumentError,
    get_instrument,
    load_instrument,
    load_shipped_instruments,
)
from koers.instruments.__main__ import main
from koers.instruments.registry import DATA_DIR, LOCK_FILE, lock_line, read_lock


def test_every_published_version_still_has_its_published_hash() -> None:
    lock = read_lock()
    assert ("career_compass", 1) in lock, "Career Compass v1 must be published"
    for (key, version), published_hash in lock.items():
        instrument = load_instrument(DATA_DIR / key / f"v{version}.yaml")
        assert instrument.content_hash == published_hash, (
            f"{key} v{version} changed after it was published; restore it and put the change "
            f"in v{version + 1}.yaml"
        )


def test_published_instruments_are_marked_and_found_by_key() -> None:
    compass = get_instrument("career_compass")
    assert compass.published
    assert get_instrument("career_compass", 2) is compass  # the newest published version
    assert get_instrument("career_compass", 1).published  # running campaigns keep theirs
    with pytest.raises(LookupError):
        get_instrument("career_compass", 99)
    with pytest.raises(LookupError):
        get_instrument("no_such_instrument")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def test_changing_a_published_instrument_is_refused_and_asks_for_a_new_version(
    data_copy: Path,
) -> None:
    path = data_copy / "career_compass" / "v1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tv kijken", "televisie kijken", 1), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_shipped_instruments(data_dir=data_copy, lock_file=data_copy / "published.txt")
    message = str(caught.value)
    assert "v1.yaml" in message
    assert "is published" in message
    assert "v2.yaml" in message


def test_a_new_version_file_is_a_draft_until_it_is_locked(data_copy: Path) -> None:
    source = data_copy / "career_compass" / "v2.yaml"
    draft = data_copy / "career_compass" / "v3.yaml"
    draft.write_text(
        source.read_text(encoding="utf-8")
        .replace("version: 2", "version: 3", 1)
        .replace("tv kijken", "televisie kijken", 1),
        encoding="utf-8",
    )
    lock_file = data_copy / "published.txt"
    instruments = load_shipped_instruments(data_dir=data_copy, lock_file=lock_file)
    assert instruments[("career_compass", 2)].published
    assert not instruments[("career_compass", 3)].published
    lock_file.write_text(
        lock_file.read_text(encoding="utf-8")
        + lock_line(instruments[("career_compass", 3)])
        + "\n",
        encoding="utf-8",
    )
    assert load_shipped_instruments(data_dir=data_copy, lock_file=lock_file)[
        ("career_compass", 3)
    ].published


def test_a_file_whose_version_differs_from_its_path_is_refused(data_copy: Path) -> None:
    source = data_copy / "career_compass" / "v1.yaml"
    (data_copy / "career_compass" / "v4.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(InstrumentError, match="its path says 'career_compass' version 4"):
        load_shipped_instruments(data_dir=data_copy, lock_file=data_copy / "published.txt")


def test_a_published_version_whose_file_is_gone_is_an_error(data_copy: Path) -> None:
    lock_file = data_copy / "published.txt"
    lock_file.write_text(
        lock_file.read_text(encoding="utf-8") + "career_compass 7 sha256:" + "0" * 64 + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InstrumentError, match="v7 is published but"):
        load_shipped_instruments(data_dir=data_copy, lock_file=lock_file)


def test_a_malformed_lock_line_is_an_error(tmp_path: Path) -> None:
    lock_file = tmp_path / "published.txt"
    lock_file.write_text("career_compass one sha256:abc\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="line 1"):
        read_lock(lock_file)


def test_the_command_line_checks_and_hashes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "career_compass v1" in capsys.readouterr().out
    assert main(["hash", str(DATA_DIR / "career_compass" / "v1.yaml")]) == 0
    assert capsys.readouterr().out.strip() in LOCK_FILE.read_text(encoding="utf-8")


def test_a_missing_list_of_published_versions_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="missing"):
        read_lock(tmp_path / "published.txt")


def test_every_data_file_is_shipped_by_the_package_data_patterns() -> None:
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    files = [
        path for path in DATA_DIR.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    ]
    assert files
    for path in files:
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), path
