"""Cronbach's alpha and McDonald's omega per scale, computed once per release.

The profile check page shows them for the latest release's members. Fitting omega's
one-factor model for every scale takes seconds (3.8–5.5 s on the demo's 320 responses), so
the table is stored on the :class:`~koers.compass.models.Release` with a key of the members
present and the scoring key: a page view reads it, and it is recomputed only when a member was
deleted, the scoring key changed or a new release was made. The fit job and the demo loader
compute it ahead of the first view.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from koers.compass.models import Release
from koers.instruments import scoring_key
from koers.stats.scales import scale_reliability, scoring_key_fingerprint
from koers.surveys.models import Campaign


def _key(campaign: Campaign, ids: list[int]) -> str:
    digest = hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode())
    digest.update(scoring_key_fingerprint(scoring_key(campaign.instrument())).encode())
    return digest.hexdigest()


def _nan_to_none(value: Any) -> float | None:
    return None if value is None or math.isnan(float(value)) else float(value)


def compute(campaign: Campaign, ids: list[int]) -> dict[str, dict[str, Any]]:
    """scale id -> n_items, n, alpha, omega, flag on the responses ``ids``."""
    from koers.compass.services import answers_frame

    instrument = campaign.instrument()
    responses = list(campaign.responses.filter(pk__in=ids))
    table = scale_reliability(answers_frame(responses, instrument), scoring_key(instrument))
    return {
        str(scale_id): {
            "n_items": int(row["n_items"]),
            "n": int(row["n_respondents"]),
            "alpha": _nan_to_none(row["alpha"]),
            "omega": _nan_to_none(row["omega"]),
            "flag": bool(row["below_threshold"]),
        }
        for scale_id, row in table.iterrows()
    }


def for_release(campaign: Campaign, release: Release, ids: list[int]) -> dict[str, dict[str, Any]]:
    """The table on the members ``ids`` of ``release``: stored, or computed and stored."""
    key = _key(campaign, ids)
    stored = release.reliability or {}
    if stored.get("key") == key:
        return dict(stored["scales"])
    scales = compute(campaign, ids)
    release.reliability = {"key": key, "scales": scales}
    Release.objects.filter(pk=release.pk).update(reliability=release.reliability)
    return scales


def precompute(campaign: Campaign) -> None:
    """Compute the latest release's table ahead of the first page view (fit job, demo)."""
    from koers.compass.releases import load

    loaded = load(campaign)
    if loaded.latest is not None:
        for_release(campaign, loaded.latest, [int(i) for i in loaded.frame.index])
