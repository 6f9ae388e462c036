"""The personal report: a pure ``build_context`` used by the screen, the PDF and HR's view.

``build_context`` only reads. Scores and the profile are stored when a response is
finished (``services.process_finished``) and after a model fit; for a response without
a current stored row (an old response) it computes them in memory and writes nothing.
Texts come from ``data/profile_texts.yaml`` and ``data/report_texts.yaml``
(:mod:`koers.compass.texts`) and, for the page itself, gettext.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from koers.compass import norm_store
from koers.compass.models import ProfileAssignment, ResponseScores
from koers.compass.norms import MIN_NORM_OTHERS, NormPosition
from koers.compass.profiles import certainty, describe_certainty, load_profiles
from koers.compass.services import estimate_assignments, facet_ids, profile_facets, scores_of
from koers.compass.texts import band_text, profile_texts, stigma_key, stigma_message
from koers.instruments import Instrument, scoring_key
from koers.stats.scales import MIN_ANSWERED_SHARE, scoring_key_fingerprint
from koers.surveys.models import Answer, Response

READERS = ("respondent", "hr")
CAREER_SCALES = ("identification", "career_clarity", "career_commitment", "career_exploration")
# The scale the profile signatures are defined on (spec/compass.md): midpoint 4 and SD
# 1.25, a signature of ±0.8 SD puts a profile's typical score near 4 ± 1.
MIDPOINT = 4.0
SCALE_SD = 1.25

# Gender stigma (4 items, 1 = disagree … 7 = agree; 4 = neutral). The care text is shown
# only above neutral: a mean of at least STIGMA_HIGH, half a scale step above the
# midpoint, so a neutral answerer with one "slightly agree" (mean 4.25) does not get it.
STIGMA_MIDPOINT = 4.0
STIGMA_HIGH = STIGMA_MIDPOINT + 0.5
STIGMA_LOW = STIGMA_MIDPOINT - 0.5
# What the research says is said only of whom it was found for: the seed study (UT/Saxion,
# "Mind the Gap!") found that women in tech feel more gender stigma than men, most in the
# technical sector and in male-dominated teams, and that for women (not men) it goes
# with less career clarity. It found no such effect for men and did not study other genders.


def stigma_text(score: float, gender: str | None, language: str, *, hr: bool = False) -> str:
    return stigma_message(stigma_key(score, gender, STIGMA_HIGH, STIGMA_LOW), language, hr=hr)


def band(score: float | None) -> str | None:
    if score is None:
        return None
    return "low" if score < 3.5 else "high" if score > 5.0 else "middle"


@dataclass(frozen=True)
class NormGroup:
    """The *other* finished respondents of the campaign, as counts per scale."""

    counts: Mapping[str, Mapping[str, int]]
    own: Mapping[str, Any]  # the person's own counted scores, left out

    def position(self, scale: str, score: float | None) -> NormPosition | None:
        return norm_store.position(score, self.counts.get(scale, {}), own=self.own.get(scale))

    def others(self) -> int:
        """The largest number of others on any scale (the report's "now N took part")."""
        return max(
            (
                sum(c.values()) - (self.own.get(scale) is not None)
                for scale, c in self.counts.items()
            ),
            default=0,
        )


def _norm_group(response: Response) -> NormGroup:
    """Where a score stands among the *other* finished respondents of the campaign.

    From the campaign's counts (``norm_store``): two statements whatever the campaign's size;
    the person's own counted score is left out.
    """
    instrument = response.campaign.instrument()
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    counts = norm_store.current(response.campaign, fingerprint, facet_ids(instrument)).scale_counts
    own_row = ResponseScores.objects.filter(
        response=response, fingerprint=fingerprint, counted=True
    ).first()
    own: dict[str, Any] = dict(own_row.values) if own_row is not None else {}
    return NormGroup(counts, own)


def _gender(response: Response, instrument: Any) -> str | None:
    item = instrument.personalisation.gender_item if instrument.personalisation else None
    if item is None:
        return None
    value = Answer.objects.filter(response=response, item_id=item).values_list("value", flat=True)
    first = value.first()
    return None if first is None else str(first)


def _statements(statements: Any, language: str) -> list[dict[str, str]]:
    categories = profile_texts().categories
    return [
        {"category": str(categories[st.category][language]), "text": str(st.text[language])}
        for st in statements
    ]


def differences(
    key: str | None, scores: dict[str, float | None], instrument: Instrument, language: str
) -> list[dict[str, Any]]:
    """Facets on which this person's score is not on the profile's side of the midpoint.

    A profile's signature puts its typical score near 4 + 1 (high end typical) or 4 − 1
    (low end typical). The person differs from the profile on a facet when their score
    is at or past the midpoint on the other side: at most 4 where the high end is
    typical, at least 4 where the low end is. Facets without a score are left out.
    """
    profiles = load_profiles()
    if key is None or key not in profiles.keys:
        return []
    profile = profiles.get(key)
    facets = profile_facets(instrument, profiles)
    out = []
    for facet in facets:
        direction = profiles.direction(profile, facet, facets)
        score = scores.get(facet)
        if direction == 0 or score is None or (score - MIDPOINT) * direction > 0:
            continue
        typical = MIDPOINT + direction * profiles.strength * SCALE_SD
        out.append(
            {
                "label": instrument.scale(facet).label.get(language),
                "score": score,
                "typical": typical,
                "high": direction > 0,
            }
        )
    return out


def _descriptions(
    entry: dict[str, Any],
    name: str,
    scores: dict[str, float | None],
    instrument: Instrument,
    language: str | None = None,
) -> list[dict[str, Any]]:
    """What a (fitted or reference) profile means: one description per reference profile
    it carries. A fitted profile that matches two signatures ("Nerd & Einzelgänger",
    ``keys: [a, b]``) gets both texts, each marked as part of the merged profile."""
    language = language or "nl"
    texts = profile_texts().profiles
    profiles = load_profiles()
    keys = [k for k in (entry.get("keys") or [entry.get("key")]) if k]
    merged = len(keys) > 1
    out = []
    for key in keys or [None]:
        text = texts.get(key) if key else None
        own = profiles.get(key).name if merged and key in profiles.keys else None
        out.append(
            {
                "name": str(own.get(language) or own.get("nl")) if own else name,
                "part_of": name if merged else None,
                "typical": _statements(text.typical, language) if text else [],
                "atypical": _statements(text.atypical, language) if text else [],
                "next_steps": [
                    {"text": step.text[language], "why": step.why[language]}
                    for step in (text.next_steps if text else ())
                ],
                "differences": differences(key, scores, instrument, language),
            }
        )
    return out


def _profile_context(
    assignment: ProfileAssignment,
    scores: dict[str, float | None],
    instrument: Instrument,
    language: str,
) -> dict[str, Any]:
    """Certainty words, the chart of probabilities, what the profile(s) mean and where
    this person differs from them."""
    names = [str(n.get(language) or n.get("nl")) for n in assignment.names]
    if assignment.calibrated:
        probabilities = [float(q) for q in assignment.calibrated[:-1]]
        none = float(assignment.calibrated[-1])
    else:
        probabilities, none = [float(p) for p in assignment.posteriors], 0.0
    c = certainty(probabilities, none)
    shown = [c.top] if c.level in ("very_likely", "likely", "possibly") else [c.top, c.second]
    described: list[dict[str, Any]] = []
    for index in shown:
        described.extend(
            _descriptions(assignment.names[index], names[index], scores, instrument, language)
        )
    chart: list[dict[str, Any]] = [
        {"name": name, "percent": round(100 * p), "top": i in shown}
        for i, (name, p) in enumerate(zip(names, probabilities, strict=True))
    ]
    chart.sort(key=lambda row: -int(row["percent"]))
    if assignment.calibrated:
        chart.append(
            {"name": _("Geen van deze profielen"), "percent": round(100 * none), "top": False}
        )
    return {
        "headline": describe_certainty(c, names, language),
        "name": names[c.top],
        "second_name": names[c.second],
        "level": c.level,
        "probability": c.probability,
        "described": described,
        "next_steps": [step for d in described for step in d["next_steps"]],
        "chart": chart,
        "reference": assignment.model_label == "reference",
        "model": assignment.model_label,
    }


def _assignment(response: Response) -> ProfileAssignment | None:
    """The stored assignment, or (none stored, or one from before calibration: reference
    mode before issue 13, fitted models before session 7) an unsaved one computed now: a
    GET never writes."""
    stored = ProfileAssignment.objects.filter(response=response).first()
    if stored is not None and stored.calibrated:
        return stored
    return estimate_assignments([response])[0]


def _scored(scale: Any, score: float | None, norm: NormGroup, language: str) -> dict[str, Any]:
    return {
        "id": scale.id,
        "label": scale.label.get(language),
        "score": score,
        "percent": None if score is None else (score - 1) / 6 * 100,
        "norm": norm.position(scale.id, score),
    }


def build_context(response: Response, language: str, reader: str = "respondent") -> dict[str, Any]:
    """Everything the report shows; reads only. ``reader`` is "respondent" or "hr"."""
    if reader not in READERS:
        raise ValueError(f"reader must be one of {READERS}, not {reader!r}")
    hr = reader == "hr"
    instrument = response.campaign.instrument()
    scores = scores_of(response)
    assignment = _assignment(response)
    norm = _norm_group(response)
    elements: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for element in instrument.elements:
        facets: list[dict[str, Any]] = []
        for scale in instrument.scales:
            if scale.kind != "facet" or scale.element != element.id:
                continue
            row = _scored(scale, scores.get(scale.id), norm, language)
            (facets if row["score"] is not None else missing).append(row)
        if facets:
            elements.append(
                {"id": element.id, "label": element.label.get(language), "facets": facets}
            )
    career = []
    for scale_id in CAREER_SCALES:
        row = _scored(instrument.scale(scale_id), scores.get(scale_id), norm, language)
        if row["score"] is None:
            missing.append(row)
            continue
        row["meaning"] = band_text(scale_id, str(band(row["score"])), language, hr=hr)
        career.append(row)
    model_facets = profile_facets(instrument)
    stigma = scores.get("gender_stigma")
    gender = _gender(response, instrument)
    n_others = norm.others()
    return {
        "response": response,
        "reader": reader,
        "hr": hr,
        "profile": None
        if assignment is None
        else _profile_context(assignment, scores, instrument, language),
        "elements": elements,
        "career": career,
        "missing": {
            "labels": [m["label"] for m in missing],
            "n": len(missing),
            "n_total": len(missing) + len(career) + sum(len(e["facets"]) for e in elements),
            "profile_scored": sum(scores.get(f) is not None for f in model_facets),
            "profile_total": len(model_facets),
            "min_share_percent": round(100 * MIN_ANSWERED_SHARE),
        },
        "stigma": None
        if stigma is None
        else {"score": stigma, "text": stigma_text(stigma, gender, language, hr=hr)},
        "norm_available": n_others >= MIN_NORM_OTHERS,
        "norm_others": n_others,
        "norm_min": MIN_NORM_OTHERS,
        "language": language,
    }
