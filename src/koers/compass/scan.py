"""Team and organisation scan of a campaign: aggregates only, through koers.stats.disclosure.

Filters (department, job category, technical vs non-technical function,
sector, gender) combine at most two at a time; a filtered group and its
complement must both have at least k respondents (``check_filters``), so two
allowed filters can never be subtracted to describe fewer than k people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.conf import settings

from koers.compass.models import ProfileAssignment, ResponseScores
from koers.compass.profiles import load_profiles
from koers.stats.disclosure import FilterDecision, check_filters, suppress_breakdown
from koers.surveys.models import Answer, Campaign

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


def population(campaign: Campaign) -> pd.DataFrame:
    """One row per finished response: filter columns, profile, career scales, leave wish."""
    finished = campaign.responses.filter(finished_on__isnull=False)
    ids = list(finished.values_list("pk", flat=True))
    frame = pd.DataFrame(index=pd.Index(ids, name="response"))
    wanted = ["department", "job_category", "organisation_type", "gender", "future_sector"]
    answers = pd.DataFrame(
        Answer.objects.filter(response_id__in=ids, item_id__in=wanted).values_list(
            "response_id", "item_id", "value"
        ),
        columns=["response", "item", "value"],
    )
    if not answers.empty:
        wide = answers.pivot(index="response", columns="item", values="value")
        frame = frame.join(wide)
    for column in wanted:
        if column not in frame.columns:
            frame[column] = None
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
    profiles = dict(
        ProfileAssignment.objects.filter(response_id__in=ids).values_list(
            "response_id", "profile_index"
        )
    )
    names = ProfileAssignment.objects.filter(response_id__in=ids).values_list(
        "response_id", "names"
    )
    key_of = {rid: n[profiles[rid]].get("key") or n[profiles[rid]].get("nl") for rid, n in names}
    frame["profile"] = pd.Series(key_of, dtype="object")
    scores = dict(
        ResponseScores.objects.filter(response_id__in=ids).values_list("response_id", "values")
    )
    for scale in CAREER_SCALES:
        frame[scale] = pd.Series(
            {rid: (s or {}).get(scale) for rid, s in scores.items()}, dtype="float"
        )
    return frame


@dataclass
class GroupSummary:
    n: int | None
    profile_counts: dict[str, int | None] = field(default_factory=dict)
    scale_means: dict[str, float | None] = field(default_factory=dict)
    leave_share: float | None = None
    suppressed: bool = False


def summarise(frame: pd.DataFrame, k: int) -> GroupSummary:
    n = len(frame)
    if n < k:
        return GroupSummary(n=None, suppressed=True)
    keys = load_profiles().keys
    extra = [p for p in frame["profile"].dropna().unique() if p not in keys]
    counts = {key: int((frame["profile"] == key).sum()) for key in [*keys, *extra]}
    disclosed = suppress_breakdown(counts, k)
    means: dict[str, float | None] = {}
    for scale in CAREER_SCALES:
        values = frame[scale].dropna()
        means[scale] = float(values.mean()) if len(values) >= k else None
    in_tech = frame[frame["sector"] == "technical"]
    leave = None
    if len(in_tech) >= k:
        leave = float((in_tech["future_sector"] == "non_technical").mean())
    return GroupSummary(
        n=n,
        profile_counts={str(key): count for key, count in disclosed.counts.items()},
        scale_means=means,
        leave_share=leave,
    )


@dataclass
class TeamScan:
    decision: FilterDecision
    whole: GroupSummary
    group: GroupSummary | None
    filters: list[tuple[str, str]]
    options: dict[str, list[str]]


def team_scan(campaign: Campaign, filters: list[tuple[str, str]]) -> TeamScan:
    k = settings.KOERS_MIN_GROUP_SIZE
    frame = population(campaign)
    options = {name: sorted(str(v) for v in frame[name].dropna().unique()) for name in FILTERS}
    clean = [(name, value) for name, value in filters if name in FILTERS and value]
    decision = check_filters(frame, clean, k) if clean else FilterDecision(True, len(frame), 0)
    whole = summarise(frame, k)
    group = None
    if clean and decision.allowed:
        mask = pd.Series(True, index=frame.index)
        for name, value in clean:
            mask &= frame[name] == value
        group = summarise(frame[mask], k)
    return TeamScan(decision, whole, group, clean, options)


def describe(summary: GroupSummary | None, language: str) -> dict[str, Any] | None:
    """Template-ready rows: profile names with counts and percentages."""
    if summary is None or summary.suppressed:
        return None
    profiles = load_profiles()
    rows = []
    for key, count in summary.profile_counts.items():
        try:
            name = profiles.get(key).name[language]
        except KeyError:
            name = key
        share = None if count is None or not summary.n else count / summary.n
        rows.append({"key": key, "name": name, "count": count, "share": share})
    return {
        "n": summary.n,
        "profiles": rows,
        "scales": summary.scale_means,
        "leave_share": summary.leave_share,
    }
