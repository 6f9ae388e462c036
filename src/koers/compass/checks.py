"""What the profile check page shows about a campaign's fitted model (no database queries).

Everyone with access gets the plain-language summary (how many profiles, their names and
shares as a chart, which reference profiles this model does not separate); researchers
also get the statistics (fit per K with BLRT, BIC and SABIC, match quality per profile).
"""

from __future__ import annotations

from typing import Any

from koers.compass.models import ProfileModel
from koers.compass.profiles import load_profiles
from koers.surveys.models import Campaign


def is_demo(campaign: Campaign) -> bool:
    """The demo campaign (``load_demo``): its respondents are generated, the page says so."""
    from koers.surveys.demo import DEMO_TOKEN

    return bool(campaign.public_token) and campaign.public_token == DEMO_TOKEN


def _chosen(model: ProfileModel, criterion: str) -> int | None:
    for fit in model.fits:
        if criterion in (fit.get("chosen_by") or []):
            return int(fit["n_profiles"])
    return None


def model_context(model: ProfileModel | None, language: str) -> dict[str, Any]:
    """Template context: ``profiles`` (chart rows), ``missing``, ``merged``, ``choices``."""
    if model is None:
        return {"profiles": [], "missing": [], "merged": [], "split": [], "choices": {}}
    reference = load_profiles()
    rows = []
    named: set[str] = set()
    merged, split = [], []
    for i, entry in enumerate(model.names):
        keys = list(entry.get("keys") or ([entry["key"]] if entry.get("key") else []))
        named.update(keys)
        name = entry.get(language) or entry.get("nl")
        parts = [reference.get(k).name[language] for k in keys if k in reference.keys]
        if len(keys) > 1:
            merged.append({"name": name, "parts": parts})
        if int(entry.get("parts") or 1) > 1 and int(entry.get("part") or 0) == 1:
            split.append({"name": parts[0] if parts else name, "parts": int(entry["parts"])})
        bars = [
            {"facet": facet, "value": value, "percent": min(100.0, abs(value) / 2 * 100)}
            for facet, value in zip(model.facets, model.means[i], strict=True)
        ]
        qualities = entry.get("qualities") or [entry.get("quality")]
        rows.append(
            {
                "name": name,
                "keys": keys,
                "share": model.weights[i],
                "percent": round(100 * model.weights[i]),
                "quality": entry.get("quality"),
                "second_quality": qualities[1] if len(qualities) > 1 else None,
                "bars": bars,
            }
        )
    rows.sort(key=lambda r: -r["share"])
    missing = [reference.get(k).name[language] for k in reference.keys if k not in named]
    choices = {c: _chosen(model, c) for c in ("BLRT", "BIC", "SABIC")}
    return {
        "profiles": rows,
        "missing": missing,
        "merged": merged,
        "split": split,
        "choices": choices,
        "criteria_agree": len({v for v in choices.values() if v is not None}) <= 1,
    }
