"""``python -m koers.instruments check|hash|lock [FILE ...]``.

- ``check``: load every shipped instrument and verify ``published.txt``.
- ``hash FILE ...``: validate files and print their ``published.txt`` lines.
- ``lock FILE ...``: validate files and append their lines to ``published.txt``
  (publishing those versions; from then on they may not change).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from koers.instruments.definition import InstrumentError
from koers.instruments.loader import load_instrument
from koers.instruments.registry import LOCK_FILE, load_shipped_instruments, lock_line, read_lock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m koers.instruments")
    parser.add_argument("command", choices=["check", "hash", "lock"])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            instruments = load_shipped_instruments(data_dir=None, lock_file=LOCK_FILE)
            for (key, version), instrument in sorted(instruments.items()):
                state = "published" if instrument.published else "draft"
                print(f"{key} v{version}: {len(instrument.items)} items, {state}")
            return 0
        lines = [lock_line(load_instrument(path)) for path in args.files]
        if args.command == "hash":
            print("\n".join(lines))
            return 0
        existing = read_lock()
        for line in lines:
            key, number, _ = line.split()
            if (key, int(number)) in existing:
                print(f"{key} v{number} is already published", file=sys.stderr)
                return 1
        with LOCK_FILE.open("a", encoding="utf-8") as lock:
            for line in lines:
                lock.write(line + "\n")
                print("published " + " v".join(line.split()[:2]))
        return 0
    except InstrumentError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
