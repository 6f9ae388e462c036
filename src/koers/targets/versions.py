"""Which version of a sub-top definition counts a year; pure, no Django.

The organisation defines its sub-top itself (Besluit inhoud bestuursverslag art. 3d) and may
change the definition; every change is a new version with the first reference date it
counts (``SubTopDefinition.valid_from``). A year is counted with the version valid on its
reference date, so a trend over the years shows a *break* where the version changes, and
the same population can be *recounted* with today's definition beside it.

Rules (docs/targets.md, "Sub-top definitions over the years"):

* the valid version on a day is the one with the latest start on or before that day (a
  version without a start, the first one, counts from the beginning); of two with the same
  start the higher version wins;
* a day before every start is counted with the earliest version: there was no other
  definition then, and counting with the first one is no change of definition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Version:
    """One version of one sub-top category's definition."""

    version: int
    applies_from: dt.date | None  # None: from the beginning
    job_levels: tuple[str, ...] = ()
    job_families: tuple[str, ...] = ()


def version_on(versions: Sequence[Version], day: dt.date) -> Version | None:
    """The version of ``versions`` valid on ``day`` (module docstring); None without any."""
    if not versions:
        return None
    valid = [v for v in versions if v.applies_from is None or v.applies_from <= day]
    if not valid:
        return min(versions, key=lambda v: v.version)
    return max(valid, key=lambda v: (v.applies_from or dt.date.min, v.version))


def latest(versions: Sequence[Version]) -> Version | None:
    """Today's definition: the highest version number."""
    return max(versions, key=lambda v: v.version) if versions else None


def breaks(used: Sequence[Version | None]) -> list[bool]:
    """Per year (oldest first), whether its version differs from the year before's: the
    break the trend marks. The first year is never a break."""
    return [
        i > 0 and None not in (used[i], used[i - 1]) and used[i].version != used[i - 1].version  # type: ignore[union-attr]
        for i in range(len(used))
    ]
