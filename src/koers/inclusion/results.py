"""The inclusion results page as a pure function: rounds of answers in, a context dict out.

No Django here (``tests/inclusion/test_results.py`` calls it directly). A *round* is one
closed campaign of the inclusion survey: a frame with one row per finished response (item
columns, the background columns ``gender``, ``department``, ``function_type`` and the open
answers) and the :class:`~koers.stats.release.ReleasePlan` of its figures.

Which figure may be shown is decided once per round, for the whole family of figures the
page can show, by :func:`koers.stats.release.plan_release` (DESIGN.md: groups of at least
k, complementary suppression, no figure that follows from others by subtraction). A figure
here is described by the set of people its sums run over (see :func:`candidates`): women,
men, women and men together, and per breakdown group (department, function type) its women
and its men. Only people who answered woman or man enter a figure (:func:`plan_population`).

Across rounds, a change is shown only where both rounds show the figure: a change next to a
shown first-round figure would otherwise give away a suppressed second-round one.
Open answers are never shown verbatim (DESIGN.md's privacy table): per question, the number
of answers that touch each theme, for the whole round only (never with a background answer)
and only when at least ``MIN_OPEN_ANSWERS`` people answered it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from koers.stats.inclusion import (
    GenderGap,
    InclusionResult,
    compare_genders,
    compare_rounds,
)
from koers.stats.release import Conditions, PriorRelease, ReleasePlan, conditions_key, plan_release
from koers.stats.scales import ScaleKey

WOMEN, MEN = "woman", "man"
GENDERS = (WOMEN, MEN)
BREAKDOWNS = ("function_type", "department")
OPEN_ITEMS = ("open_change", "open_moment", "open_other")
MIN_OPEN_ANSWERS = 10  # DESIGN.md: themes of free text only for groups of 10 or more

# Which end of each scale is good for the people answering (docs/inclusion-survey.md).
FAVOURABLE = {
    "gender_bias": "low",
    "confidence": "high",
    "work_family_conflict": "low",
    "masculine_culture": "low",
    "psych_safety": "high",
    "belonging": "high",
    "flex_fairness": "high",
    "gender_stigma": "low",
    "microaggressions": "low",
    "intent_leave_org": "low",
    "intent_leave_tech": "low",
    "satisfaction": "high",
}

# The reasons women leave technical work (seed 000; the codes of
# koers.plan.catalogue.REASONS) that each scale measures: a gap against women on the scale
# points to the catalogue's measures for those reasons. Outcomes (intentions to leave,
# satisfaction) point to none: they say that something is wrong, not what.
REASONS_OF_SCALE: dict[str, tuple[str, ...]] = {
    "gender_bias": ("gender_bias",),
    "confidence": ("low_confidence",),
    "work_family_conflict": ("work_family",),
    "masculine_culture": ("not_at_home",),
    "psych_safety": ("not_at_home",),
    "belonging": ("not_at_home",),
    "flex_fairness": ("work_family",),
    "gender_stigma": ("gender_bias", "not_at_home"),
    "microaggressions": ("not_at_home", "gender_bias"),
}

# Themes of open answers: word stems in Dutch and English (lower case, matched at the start
# of a word). Coarse on purpose: a count of answers touching a theme, not a reading of them.
THEMES: dict[str, tuple[str, ...]] = {
    "flexibility": (
        "flexib",
        "thuiswerk",
        "deeltijd",
        "parttime",
        "part-time",
        "werktijd",
        "rooster",
        "remote",
        "hours",
        "schedule",
    ),
    "work_family": (
        "kind",
        "gezin",
        "zorg",
        "ouderschap",
        "verlof",
        "mantelzorg",
        "child",
        "famil",
        "care",
        "parental",
        "leave",
    ),
    "culture": (
        "cultuur",
        "grap",
        "jongens",
        "sfeer",
        "macho",
        "stoer",
        "culture",
        "joke",
        "guys",
        "atmosphere",
        "tough",
    ),
    "careers": (
        "promotie",
        "salaris",
        "beoordel",
        "doorgroei",
        "loopbaan",
        "kansen",
        "promot",
        "salary",
        "pay",
        "apprais",
        "career",
    ),
    "voice": (
        "veilig",
        "fout",
        "mening",
        "luister",
        "serieus",
        "onderbr",
        "safe",
        "mistake",
        "listen",
        "opinion",
        "interrupt",
    ),
    "belonging": ("thuis", "erbij", "buitengesloten", "alleen", "belong", "exclu", "alone"),
    "leadership": ("leidinggevende", "manager", "management", "leiding", "lead"),
    "development": ("ontwikkel", "training", "cursus", "opleiding", "mentor", "develop", "course"),
}


def plan_population(frame: pd.DataFrame) -> pd.DataFrame:
    """The people whose answers enter any figure: those who answered woman or man.

    Everyone else (another gender, "rather not say", no answer) is counted in the round's
    total and in the open-answer themes, and in nothing else: a figure over "everyone" next
    to the figures of women and of men would give away the answers of the few others by
    subtraction. What does follow is how many gave another answer or none, not what they
    answered.
    """
    return frame[frame["gender"].isin(GENDERS)]


def candidates(
    frame: pd.DataFrame, *, breakdowns: Sequence[str] = BREAKDOWNS
) -> tuple[list[Conditions], list[Conditions], dict[str, str]]:
    """Every figure the page can show, most wanted first; the selections; each cell's selection.

    A figure is described by the set of people whose answers it is computed from. The mean of
    a scale over the women who have a score is a ratio of two sums over all women (score ×
    has-a-score, and has-a-score), and so are alpha, omega and the share agreeing per item: all
    are figures over ``gender = woman``, whatever was skipped. Priority: everyone (women and
    men together), each gender, then the breakdown groups, then their cells per gender.
    """
    g = "gender"
    figures: list[Conditions] = [(), ((g, WOMEN),), ((g, MEN),)]
    groups: list[Conditions] = [((g, WOMEN),), ((g, MEN),)]
    parents: dict[str, str] = {}
    for column in breakdowns:
        values = sorted(
            {str(v) for v in frame[column].dropna()},
            key=lambda v: (-int((frame[column] == v).sum()), v),
        )
        for value in values:
            group: Conditions = ((column, value),)
            groups.append(group)
            figures.append(group)
    for group in groups[2:]:
        inside: list[Conditions] = [(*group, (g, gender)) for gender in GENDERS]
        figures += inside
        parents.update({conditions_key(f): conditions_key(group) for f in inside})
    return figures, groups, parents


def plan_round(
    frame: pd.DataFrame,
    k: int,
    *,
    breakdowns: Sequence[str] = BREAKDOWNS,
    prior: Sequence[PriorRelease] = (),
    keep: Sequence[str] | None = None,
) -> ReleasePlan:
    """The figures of one round that may be shown; ``frame`` is :func:`plan_population`.
    ``keep`` (a re-plan after deletions): only these keys may be shown."""
    figures, groups, parents = candidates(frame, breakdowns=breakdowns)
    if keep is not None:
        kept = set(keep)
        figures = [f for f in figures if conditions_key(f) in kept]
    return plan_release(frame, figures, k, prior=prior, groups=groups, parents=parents)


@dataclass(frozen=True)
class Round:
    """One closed round: its label, frame (every finished response) and plan."""

    label: str
    frame: pd.DataFrame
    plan: ReleasePlan


def _shows(plan: ReleasePlan, *conditions: tuple[str, str]) -> bool:
    return plan.allows(conditions)


def _gap_shown(plan: ReleasePlan, within: Conditions = ()) -> bool:
    return all(_shows(plan, *within, ("gender", gender)) for gender in GENDERS)


def _scale_row(
    gap: GenderGap, result: InclusionResult, plan: ReleasePlan, k: int, within: Conditions = ()
) -> dict[str, Any]:
    shown = _gap_shown(plan, within) and gap.n_women >= k and gap.n_men >= k
    row: dict[str, Any] = {
        "scale": gap.scale,
        "shown": shown,
        "favourable": FAVOURABLE.get(gap.scale),
    }
    if not shown:
        return row
    row.update(gap.to_dict())
    difference = gap.gap.difference
    direction = FAVOURABLE.get(gap.scale)
    # Unfavourable for women: lower on a high-is-good scale, higher on a low-is-good one.
    row["worse_for_women"] = (
        None
        if difference is None or not gap.gap.excludes_zero
        else (difference < 0) == (direction == "high")
    )
    return row


def _reliability_rows(result: InclusionResult, plan: ReleasePlan) -> list[dict[str, Any]]:
    rows = []
    for entry in result.reliability:
        groups = []
        for group in entry.groups:
            if _shows(plan, ("gender", group.group)):
                groups.append(group.to_dict())
            else:
                groups.append({"group": group.group, "shown": False})
        shown_weak = [
            g["group"] for g in groups if g.get("below_threshold") and g.get("shown", True)
        ]
        rows.append(
            {
                "scale": entry.scale,
                "groups": groups,
                "warning": bool(shown_weak),
                "weak_groups": shown_weak,
            }
        )
    return rows


def _item_rows(result: InclusionResult, plan: ReleasePlan) -> list[dict[str, Any]]:
    rows = []
    for item in result.items:
        row: dict[str, Any] = {"item": item.item, "scale": item.scale}
        row["all"] = item.share_all if _shows(plan) else None
        row["women"] = item.share_women if _shows(plan, ("gender", WOMEN)) else None
        row["men"] = item.share_men if _shows(plan, ("gender", MEN)) else None
        rows.append(row)
    return rows


def _breakdown(
    rnd: Round,
    key: Mapping[str, ScaleKey],
    column: str,
    k: int,
    compare: Callable[..., InclusionResult] = compare_genders,
) -> list[dict[str, Any]]:
    cells = []
    values = sorted({str(v) for v in rnd.frame[column].dropna()})
    for value in values:
        group: Conditions = ((column, value),)
        if not rnd.plan.allows(group):
            cells.append({"value": value, "shown": False})
            continue
        people = plan_population(rnd.frame)
        subset = people[people[column] == value]
        result = compare(subset, key, label=value, details=False)
        rows = [_scale_row(gap, result, rnd.plan, k, group) for gap in result.gaps]
        cells.append({"value": value, "shown": True, "n": len(subset), "scales": rows})
    return cells


def _words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", text.lower())


def open_themes(frame: pd.DataFrame, k: int) -> list[dict[str, Any]]:
    """Per open question: how many answered it and how many answers touch each theme.

    Shown only when at least ``MIN_OPEN_ANSWERS`` people answered the question; a theme count
    between 1 and k − 1 is shown as "fewer than k" (it is a figure over a small group of its
    own). No text, no background answers.
    """
    out = []
    for item in OPEN_ITEMS:
        if item not in frame.columns:
            continue
        texts = [str(t) for t in frame[item].dropna() if str(t).strip()]
        if len(texts) < MIN_OPEN_ANSWERS:
            out.append({"item": item, "shown": False, "n": None})
            continue
        themes = []
        for theme, stems in THEMES.items():
            count = sum(
                any(word.startswith(stem) for word in _words(text) for stem in stems)
                for text in texts
            )
            themes.append({"theme": theme, "n": count if count == 0 or count >= k else None})
        out.append({"item": item, "shown": True, "n": len(texts), "themes": themes})
    return out


def build_context(
    rounds: Sequence[Round],
    key: Mapping[str, ScaleKey],
    *,
    k: int,
    breakdowns: bool = True,
    compare: Callable[..., InclusionResult] = compare_genders,
) -> dict[str, Any]:
    """Everything the results page shows, for rounds oldest first (the last one in detail).

    ``breakdowns``: False for an open-link round (anyone can add made-up answers, so only
    whole-round figures; docs/privacy.md).
    """
    if not rounds:
        return {"rounds": [], "latest": None, "trend": []}
    # Earlier rounds feed the trend only: their gaps, not reliability or item shares.
    results = [
        compare(plan_population(r.frame), key, label=r.label, details=r is rounds[-1])
        for r in rounds
    ]
    latest, result = rounds[-1], results[-1]
    plan = latest.plan
    scales = [_scale_row(gap, result, plan, k) for gap in result.gaps]
    women_shown = plan.allows((("gender", WOMEN),))
    men_shown = plan.allows((("gender", MEN),))
    trend: list[dict[str, Any]] = []
    for (before_round, before), (after_round, after) in zip(
        zip(rounds, results, strict=True), zip(rounds[1:], results[1:], strict=True), strict=False
    ):
        for change in compare_rounds([before, after]):
            if not (
                _gap_shown(before_round.plan)
                and _gap_shown(after_round.plan)
                and before.gap(change.scale).n_women >= k
                and before.gap(change.scale).n_men >= k
                and after.gap(change.scale).n_women >= k
                and after.gap(change.scale).n_men >= k
            ):
                trend.append(
                    {
                        "scale": change.scale,
                        "before": change.before,
                        "after": change.after,
                        "shown": False,
                    }
                )
                continue
            trend.append({**change.to_dict(), "shown": True})
    return {
        "rounds": [r.label for r in rounds],
        "latest": {
            "label": latest.label,
            "n_all": len(latest.frame),
            "n_women": result.n_women if women_shown else None,
            "n_men": result.n_men if men_shown else None,
            "scales": scales,
            "reliability": _reliability_rows(result, plan),
            "items": _item_rows(result, plan),
            "breakdowns": (
                {column: _breakdown(latest, key, column, k, compare) for column in BREAKDOWNS}
                if breakdowns
                else {}
            ),
            "open": open_themes(latest.frame, k),
        },
        "trend": trend,
    }
