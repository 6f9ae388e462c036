"""Team scan and profile figures of a campaign: a pure ``build_context(frame, *, discloser, …)``.

The frame (one row per finished response of the campaign's releases, made by
:mod:`koers.compass.releases`) carries the filter columns, the profile, the career scales,
the leave wish and the subgroup flags every statistic is computed over (``_tech``: works in
the technical sector, the denominator of the leave share; ``_answered_<scale>``: answered the
scale, the denominator of its mean; ``_complete_<scale>``: the complete cases of the scale's
reliability). Which figure may be shown is decided once per release for the whole family of
figures (:func:`koers.stats.release.plan_release`); this module only asks the
:class:`~koers.stats.disclosure.Discloser`. No Django here: ``tests/compass/test_results.py``
and ``tests/stats/test_release_plan.py`` call it directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from koers.compass.profiles import REPORT_IDENTIFICATION_RANK, REPORT_LEAVE_SHARE, load_profiles
from koers.stats.disclosure import MAX_FILTERS, Discloser
from koers.stats.release import Conditions, figure_candidates

CAREER_SCALES = (
    "identification",
    "career_clarity",
    "career_commitment",
    "career_exploration",
)
TECHNICAL_JOBS = {"engineer", "researcher", "programmer_ict"}
NON_TECHNICAL_JOBS = {"consultant", "project_leader", "manager", "teacher"}
TECHNICAL_SECTORS = {"technical_industry", "technical_consultancy"}
# Filter name -> (label nl, label en)
FILTERS = {
    "department": ("Afdeling", "Department"),
    "job_category": ("Functie", "Job category"),
    "function_type": ("Technische functie", "Technical function"),
    "sector": ("Sector", "Sector"),
    "gender": ("Gender", "Gender"),
}
# Readable values of the derived filters (label nl, label en); the others come from the
# instrument's answer options (``value_labels``) or are readable already (departments).
DERIVED_VALUES = {
    "function_type": {
        "technical": ("Technisch werk", "Technical work"),
        "non_technical": ("Niet-technisch werk", "Non-technical work"),
    },
    "sector": {
        "technical": ("Technische sector", "Technical sector"),
        "non_technical": ("Andere sector", "Other sector"),
    },
}
BREAKDOWN = "profile"
TECH = "_tech"  # the leave share is computed over those working in the technical sector


def answered(scale: str) -> str:
    """Subgroup column: answered the scale (the denominator of its mean)."""
    return f"_answered_{scale}"


def complete(scale: str) -> str:
    """Subgroup column: answered every item of the scale (the rows of its reliability)."""
    return f"_complete_{scale}"


def derive_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the derived filter columns and the subgroup flags to a frame of raw answers."""
    frame = frame.copy()
    frame["function_type"] = frame["job_category"].map(
        lambda v: (
            "technical"
            if v in TECHNICAL_JOBS
            else "non_technical"
            if v in NON_TECHNICAL_JOBS
            else None
        )
    )
    frame["sector"] = frame["organisation_type"].map(
        lambda v: "technical" if v in TECHNICAL_SECTORS else "non_technical" if v else None
    )
    frame[TECH] = frame["sector"].map(lambda v: "1" if v == "technical" else None)
    for scale in CAREER_SCALES:
        frame[answered(scale)] = frame[scale].map(lambda v: None if pd.isna(v) else "1")
    return frame


def candidates(
    frame: pd.DataFrame, *, breakdowns: bool, reliability_scales: Sequence[str] = ()
) -> tuple[list[Conditions], list[Conditions], dict[str, str]]:
    """Every figure the team scan, its PDF and the profile check page can show, in priority
    order, the selections among them and the selection each figure lies in. Without
    ``breakdowns`` (open-link campaigns) only whole-campaign figures: no filter and no figure
    per profile."""
    subgroups = [TECH, *(answered(s) for s in CAREER_SCALES)]
    return figure_candidates(
        frame,
        filters=list(FILTERS) if breakdowns else [],
        breakdown=BREAKDOWN,
        subgroups=subgroups,
        breakdown_subgroups=subgroups if breakdowns else [],
        whole_subgroups=[complete(s) for s in reliability_scales],
    )


@dataclass
class GroupSummary:
    n: int | None
    profile_counts: dict[str, int | None] = field(default_factory=dict)
    scale_means: dict[str, float | None] = field(default_factory=dict)
    leave_share: float | None = None
    suppressed: bool = False


def _leave_share(frame: pd.DataFrame) -> float | None:
    in_tech = frame[frame[TECH] == "1"]
    if in_tech.empty:
        return None
    return float((in_tech["future_sector"] == "non_technical").mean())


def summarise(
    frame: pd.DataFrame, group: Conditions, discloser: Discloser, release: int = -1
) -> GroupSummary:
    """The figures of one selection that the release shows; the others are None.

    ``frame`` holds exactly the selection's rows in release ``release``.
    """
    if not discloser.shows(group, release):
        return GroupSummary(n=None, suppressed=True)
    keys = load_profiles().keys
    extra = sorted(str(p) for p in frame[BREAKDOWN].dropna().unique() if p not in keys)
    counts: dict[str, int | None] = {}
    for key in [*keys, *extra]:
        n = int((frame[BREAKDOWN] == key).sum())
        # An empty cell discloses nothing about anyone; it is shown as 0.
        counts[str(key)] = (
            n if n == 0 or discloser.shows((*group, (BREAKDOWN, key)), release) else None
        )
    means: dict[str, float | None] = {}
    for scale in CAREER_SCALES:
        values = frame[scale].dropna()
        shown = not values.empty and discloser.shows((*group, (answered(scale), "1")), release)
        means[scale] = float(values.mean()) if shown else None
    leave = _leave_share(frame) if discloser.shows((*group, (TECH, "1")), release) else None
    return GroupSummary(n=len(frame), profile_counts=counts, scale_means=means, leave_share=leave)


def value_labels(instrument: Any, language: str) -> dict[str, dict[str, str]]:
    """Readable labels of the filter values: answer options of the instrument's items and
    the derived filters' own labels."""
    labels: dict[str, dict[str, str]] = {}
    for item in instrument.items:
        if item.id in FILTERS and item.options:
            labels[item.id] = {str(o.value): str(o.label.get(language)) for o in item.options}
    for name, values in DERIVED_VALUES.items():
        labels[name] = {v: pair[0 if language == "nl" else 1] for v, pair in values.items()}
    return labels


def profile_name(key: str, language: str) -> str:
    """A breakdown key's name: ``"nerd+einzelganger"`` (a profile matching both) → both."""
    profiles = load_profiles()
    parts = [profiles.get(k).name[language] for k in key.split("+") if k in profiles.keys]
    return " & ".join(parts) if parts else key


def describe(
    summary: GroupSummary | None, language: str, separated: Sequence[str] | None = None
) -> dict[str, Any] | None:
    """Template-ready rows: profile names with counts and percentages (``percent`` for the
    chart). ``separated``: the keys the campaign's fitted model has (None: reference model);
    a reference profile outside them is marked ``merged`` (its 0 is explained)."""
    if summary is None or summary.suppressed:
        return None
    named = None if separated is None else {k for key in separated for k in key.split("+")}
    rows = []
    for key, count in summary.profile_counts.items():
        share = None if count is None or not summary.n else count / summary.n
        rows.append(
            {
                "key": key,
                "name": profile_name(key, language),
                "count": count,
                "share": share,
                "percent": None if share is None else round(100 * share),
                "merged": named is not None and key not in named and "+" not in key,
            }
        )
    return {
        "n": summary.n,
        "profiles": rows,
        "merged": any(r["merged"] for r in rows),
        "scales": summary.scale_means,
        "leave_share": summary.leave_share,
    }


def in_release(frame: pd.DataFrame, discloser: Discloser, release: int) -> pd.DataFrame:
    """The rows of release ``release`` (an index into ``discloser.releases``)."""
    number = release % len(discloser.releases) + 1 if discloser.releases else 0
    return frame[frame["_release"] <= number]


def build_context(
    frame: pd.DataFrame,
    *,
    discloser: Discloser,
    filters: Sequence[tuple[str, str]],
    language: str,
    breakdowns: bool,
    labels: dict[str, dict[str, str]] | None = None,
    separated: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The team scan (page and PDF): whole campaign, optionally one selection of ≤ 2 filters.

    ``decision`` is ``{"allowed": bool, "reason": code}`` with code ``""``, ``"too_many"``
    (more than two filters), ``"open_link"`` (no breakdowns in this campaign), ``"unknown"``
    (a value that does not occur: ``unknown`` names it) or ``"refused"``
    (the selection is not in any release's family of figures). A selection last shown in an
    earlier release is shown with that release's population (``group_release``): those
    figures were shown before, so showing them again discloses nothing new.
    """
    clean = [(name, value) for name, value in filters if name in FILTERS and value]
    whole = summarise(frame, (), discloser) if discloser.releases else None
    group = None
    group_release: int | None = None
    reason = ""
    labels = labels or {}
    unknown = [
        (name, value)
        for name, value in clean
        if name in frame.columns and value not in set(frame[name].dropna().astype(str))
    ]
    if len(clean) > MAX_FILTERS:
        reason = "too_many"
    elif clean and not breakdowns:
        reason = "open_link"
    elif unknown:
        reason = "unknown"
    elif clean:
        conditions = tuple(clean)
        group_release = discloser.release_of(conditions)
        if group_release is None:
            reason = "refused"
        else:
            rows = in_release(frame, discloser, group_release)
            mask = pd.Series(True, index=rows.index)
            for name, value in clean:
                mask &= rows[name].astype("string") == value
            group = summarise(rows[mask.fillna(False)], conditions, discloser, group_release)
            if group_release == len(discloser.releases) - 1:
                group_release = None
    options: dict[str, list[str]] = {}
    choices: list[dict[str, Any]] = []
    if breakdowns:
        for name, (label_nl, label_en) in FILTERS.items():
            values = frame[name].dropna().astype(str).unique()
            options[name] = sorted(
                v for v in values if discloser.release_of(((name, v),)) is not None
            )
            readable = labels.get(name, {})
            pairs = sorted(((v, readable.get(v, v)) for v in options[name]), key=lambda p: p[1])
            if pairs:
                label = label_nl if language == "nl" else label_en
                values_out = [{"value": f"{name}:{v}", "label": text} for v, text in pairs]
                choices.append({"name": name, "label": label, "values": values_out})
    return {
        "decision": {
            "allowed": not reason,
            "reason": reason,
            "unknown": [
                {"filter": FILTERS[n][0 if language == "nl" else 1], "value": v} for n, v in unknown
            ],
        },
        "filters": clean,
        "selected": [f"{n}:{v}" for n, v in clean],
        "choices": choices,
        "whole": describe(whole, language, separated),
        "group": describe(group, language, separated),
        "group_release": None if group_release is None else group_release + 1,
        "options": options,
        "breakdowns": breakdowns,
    }


def profile_facts(
    frame: pd.DataFrame, *, discloser: Discloser, language: str
) -> list[dict[str, Any]]:
    """Per profile shown in the release: n, mean identification and wish to leave, beside what
    the Mind the Gap report found for the profile of the same name."""
    rows = []
    for key, group in frame.groupby(BREAKDOWN):
        key = str(key)
        cell: Conditions = ((BREAKDOWN, key),)
        if not discloser.shows(cell):
            continue
        identification = group["identification"].dropna()
        shows_id = not identification.empty and discloser.shows(
            (*cell, (answered("identification"), "1"))
        )
        rows.append(
            {
                "name": profile_name(key, language),
                "n": len(group),
                "identification": float(identification.mean()) if shows_id else None,
                "leave": _leave_share(group) if discloser.shows((*cell, (TECH, "1"))) else None,
                "report_leave": REPORT_LEAVE_SHARE.get(key),
                "report_rank": REPORT_IDENTIFICATION_RANK.get(key),
            }
        )
    return sorted(rows, key=lambda r: -(r["identification"] or 0))
