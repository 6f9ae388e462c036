"""The one place where targets read the Gender Scan's data.

Everything the targets pages know about headcounts, outflow and hires comes through
:func:`population_inputs`, so that when the scan keeps dated snapshots (issue 16) only this
module changes. Today it reads the latest snapshot (``koers.scan.services.latest_snapshot``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from koers.targets.inputs import PopulationInputs, Selection, inputs_from_frame
from koers.targets.versions import Version, latest, version_on

if TYPE_CHECKING:
    from koers.organisations.models import Organisation
    from koers.targets.models import Target


def subtop_versions(org: Organisation) -> dict[str, list[Version]]:
    """Every version of every sub-top category, by name (one query)."""
    from koers.targets.models import SubTopDefinition

    found: dict[str, list[Version]] = {}
    for d in SubTopDefinition.objects.for_org(org).order_by("name", "version"):
        found.setdefault(d.name, []).append(
            Version(
                d.version,
                d.applies_from(),
                tuple(str(v) for v in d.job_levels),
                tuple(str(v) for v in d.job_families),
            )
        )
    return found


def subtop_version(
    target: Target, versions: dict[str, list[Version]], on: dt.date | None = None
) -> Version | None:
    """The version of ``target``'s sub-top definition valid ``on`` a reference date (None:
    today's definition, the latest version); None for other targets or without one."""
    if target.population != "subtop" or not target.subtop_name:
        return None
    found = versions.get(target.subtop_name, [])
    return latest(found) if on is None else version_on(found, on)


def selection_of(
    target: Target,
    versions: dict[str, list[Version]] | None = None,
    on: dt.date | None = None,
) -> Selection:
    """Which people ``target`` is about: for a sub-top category, with the version of its
    definition valid ``on`` that reference date (:mod:`koers.targets.versions`), or with
    today's definition when ``on`` is None. ``versions`` (:func:`subtop_versions`) saves a
    query per target on pages with many."""
    levels: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    if target.population == "job_level":
        levels = (target.job_level,)
    elif target.population == "subtop" and target.subtop_name:
        if versions is None:
            versions = subtop_versions(target.organisation)
        version = subtop_version(target, versions, on)
        if version is not None:
            levels, families = version.job_levels, version.job_families
    return Selection(target.population, target.split, levels, families)


def population_inputs(
    org: Organisation, target: Target, *, cache: dict[str, Any] | None = None
) -> PopulationInputs | None:
    """Headcount, outflow and hires of ``target``'s population from the latest Gender Scan
    (:mod:`koers.targets.inputs` has the definitions); None without a scan.
    Read through ``Snapshot.objects.current_for``, the scan's one way in.

    A page assessing several targets passes one ``cache`` dict so the snapshot is read and
    decoded once (the demo list page went from 24 queries to 11 with it).
    """
    from koers.scan.models import Snapshot

    cache = {} if cache is None else cache
    if "versions" not in cache:
        cache["versions"] = subtop_versions(org)
    if "snapshot" not in cache:
        # The current version of the latest date (never a pending or replaced version).
        snapshot = Snapshot.objects.current_for(org).defer(None).first()
        cache["snapshot"] = snapshot
        cache["frame"] = None if snapshot is None else snapshot.frame()
    snapshot = cache["snapshot"]
    if snapshot is None:
        return None
    day = snapshot.reference_date
    return inputs_from_frame(cache["frame"], day, selection_of(target, cache["versions"], day))
