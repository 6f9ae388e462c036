"""The statistics core must be importable without Django (DESIGN.md, STYLE.md)."""

from __future__ import annotations

import subprocess
import sys


def test_stats_modules_import_without_django() -> None:
    code = (
        "import pkgutil, sys, importlib, koers.stats as s\n"
        "names = [m.name for m in pkgutil.walk_packages(s.__path__, 'koers.stats.')]\n"
        "[importlib.import_module(n) for n in names]\n"
        "assert 'django' not in sys.modules, sorted(k for k in sys.modules if 'django' in k)\n"
        "print(len(names))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
