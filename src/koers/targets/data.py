"""The one place where targets read the Gender Scan's data.

Everything the targets pages know about headcounts, outflow and hires comes through
:func:`population_inputs`, so that when the scan keeps dated snapshots (issue 16) only this
module changes. Today it reads the latest snapshot (``koers.scan.services.latest_snapshot``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from koers.targets.inputs import PopulationInputs, Selection, inputs_from_frame

if TYPE_CHECKING:
    from koers.organisations.models import Organisation
    from koers.targets.models import SubTopDefinition, Target


def selection_of(
    target: Target, definitions: dict[str, SubTopDefinition] | None = None
) -> Selection:
    """Which people ``target`` is about (the latest version of its sub-top definition).
    ``definitions`` (name → latest version) saves a query per target on pages with many."""
    from koers.targets.models import SubTopDefinition

    levels: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    if target.population == "job_level":
        levels = (target.job_level,)
    elif target.population == "subtop" and target.subtop_name:
        if definitions is not None:
            definition = definitions.get(target.subtop_name)
        else:
            definition = (
                SubTopDefinition.objects.for_org(target.organisation)
                .filter(name=target.subtop_name)
                .order_by("-version")
                .first()
            )
        if definition is not None:
            levels = tuple(str(v) for v in definition.job_levels)
            families = tuple(str(v) for v in definition.job_families)
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
    if "snapshot" not in cache:
        # The current version of the latest date (never a pending or replaced version).
        snapshot = Snapshot.objects.current_for(org).defer(None).first()
        cache["snapshot"] = snapshot
        cache["frame"] = None if snapshot is None else snapshot.frame()
    snapshot = cache["snapshot"]
    if snapshot is None:
        return None
    return inputs_from_frame(cache["frame"], snapshot.reference_date, selection_of(target))
