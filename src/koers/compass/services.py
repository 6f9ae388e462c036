"""Scoring, profile assignment and model fitting for Career Compass responses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from koers.compass.fitting import (
    SCALE_MIDPOINT,
    SCALE_UNIT,
    can_fit,
    fit_profiles,
    usable_rows,
)
from koers.compass.models import ProfileAssignment, ProfileModel, ResponseScores
from koers.compass.profiles import (
    ProfileSet,
    calibrated_probabilities,
    load_profiles,
    standardise_scores,
)
from koers.instruments import Instrument, scoring_key
from koers.stats.lpa import LatentProfileModel
from koers.stats.scales import score_scales, scoring_key_fingerprint
from koers.surveys.models import Answer, Campaign, Response


def facet_ids(instrument: Instrument) -> list[str]:
    return [scale.id for scale in instrument.scales if scale.kind == "facet"]


def answers_frame(responses: list[Response], instrument: Instrument) -> pd.DataFrame:
    """Scale items as a float DataFrame, one row per response (index = response pk)."""
    ids = [item.id for item in instrument.items if item.type == "scale"]
    rows: dict[int, dict[str, Any]] = {r.pk: {} for r in responses}
    for response_id, item_id, value in Answer.objects.filter(
        response__in=[r.pk for r in responses], item_id__in=ids
    ).values_list("response_id", "item_id", "value"):
        rows[response_id][item_id] = value
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=ids)
    numeric: pd.DataFrame = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    return numeric


def score_responses(responses: list[Response]) -> dict[int, dict[str, float | None]]:
    """Compute and store scale scores (recomputed when the scoring key changed)."""
    if not responses:
        return {}
    instrument = responses[0].campaign.instrument()
    key = scoring_key(instrument)
    fingerprint = scoring_key_fingerprint(key)
    scores = score_scales(answers_frame(responses, instrument), key)
    out: dict[int, dict[str, float | None]] = {}
    with transaction.atomic():
        for response in responses:
            row = scores.loc[response.pk]
            values: dict[str, float | None] = {
                str(k): (None if pd.isna(v) else float(v)) for k, v in row.items()
            }
            ResponseScores.objects.update_or_create(
                response=response, defaults={"fingerprint": fingerprint, "values": values}
            )
            out[response.pk] = values
    return out


def scores_of(response: Response) -> dict[str, float | None]:
    """Scale scores of one response, read-only: the stored row when it is current,
    else computed from the answers without writing (an old response, or one scored
    under an earlier key; the finish hook and ``score_responses`` store them)."""
    instrument = response.campaign.instrument()
    key = scoring_key(instrument)
    fingerprint = scoring_key_fingerprint(key)
    stored = ResponseScores.objects.filter(response=response, fingerprint=fingerprint).first()
    if stored is not None:
        return dict(stored.values)
    row = score_scales(answers_frame([response], instrument), key).loc[response.pk]
    return {str(k): (None if pd.isna(v) else float(v)) for k, v in row.items()}


def latest_model(campaign: Campaign) -> ProfileModel | None:
    return ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()


def _facet_matrix(scores: list[dict[str, float | None]], facets: list[str]) -> np.ndarray:
    return np.array(
        [[np.nan if s.get(f) is None else float(s[f] or 0.0) for f in facets] for s in scores],
        dtype=float,
    )


def _reference_norm(campaign: Campaign, facets: list[str]) -> np.ndarray | None:
    stored = ResponseScores.objects.filter(
        response__campaign=campaign, response__finished_on__isnull=False
    ).values_list("values", flat=True)
    if len(stored) == 0:
        return None
    return _facet_matrix(list(stored), facets)


def profile_facets(instrument: Instrument, profiles: ProfileSet | None = None) -> list[str]:
    """The facets the profile model reads: those a profile signature names.

    A facet no profile is typical or atypical on (sport, networking, data analysis;
    in v2 also honesty, politeness, friendship) is scored and shown but left out of
    the model, where it would only add noise (issue 13, point 8; docs/compass-items.md).
    """
    return (profiles or load_profiles()).model_facets(facet_ids(instrument))


def estimate_assignments(responses: list[Response]) -> list[ProfileAssignment | None]:
    """Unsaved profile assignments (None when a response has no facet score at all).

    Read-only: the report calls this for a response that has no stored assignment;
    ``assign_profiles`` stores the same rows on finish and after a model fit.
    A fitted model of the campaign when one exists; otherwise the reference model on
    scores standardised against the campaign (midpoint 4 / SD 1.25 until it has 300
    complete responses).
    """
    if not responses:
        return []
    campaign = responses[0].campaign
    instrument = campaign.instrument()
    model = latest_model(campaign)
    profiles = load_profiles()
    all_scores = [scores_of(r) for r in responses]
    if model is not None:
        facets = list(model.facets) or facet_ids(instrument)
        x = _facet_matrix(all_scores, facets)
        z = (x - np.asarray(model.center)) / np.asarray(model.scale)
        lpa = LatentProfileModel.from_parameters(
            model.weights, model.means, model.covariances, model=model.lpa_model
        )
        names = model.names
        label = model.label()
    else:
        facets = profile_facets(instrument, profiles)
        x = _facet_matrix(all_scores, facets)
        z, _, _ = standardise_scores(x, _reference_norm(campaign, facets))
        lpa = profiles.reference_model(facets)
        names = [{"key": p.key, **p.name} for p in profiles.profiles]
        label = "reference"
    usable = ~np.isnan(z).all(axis=1)
    posteriors = np.full((len(responses), len(names)), np.nan)
    calibrated = np.full((len(responses), len(names) + 1), np.nan)
    if usable.any():
        posteriors[usable] = lpa.predict_proba(z[usable])
        if model is None:
            calibrated[usable] = calibrated_probabilities(z[usable], facets, profiles)
    out: list[ProfileAssignment | None] = []
    for response, post, cal, ok in zip(responses, posteriors, calibrated, usable, strict=True):
        if not ok:
            out.append(None)
            continue
        index = int(np.argmax(post))
        out.append(
            ProfileAssignment(
                response=response,
                model=model,
                model_label=label,
                posteriors=[float(p) for p in post],
                calibrated=[] if model is not None else [float(q) for q in cal],
                names=names,
                profile_index=index,
                profile_key=names[index].get("key") or "",
            )
        )
    return out


def assign_profiles(responses: list[Response]) -> None:
    """Store posterior probabilities for each response, with the model they come from."""
    estimates = estimate_assignments(responses)
    with transaction.atomic():
        for response, estimate in zip(responses, estimates, strict=True):
            if estimate is None:
                ProfileAssignment.objects.filter(response=response).delete()
                continue
            ProfileAssignment.objects.update_or_create(
                response=response,
                defaults={
                    "model": estimate.model,
                    "model_label": estimate.model_label,
                    "posteriors": estimate.posteriors,
                    "calibrated": estimate.calibrated,
                    "names": estimate.names,
                    "profile_index": estimate.profile_index,
                    "profile_key": estimate.profile_key,
                },
            )


def process_finished(response: Response) -> None:
    """Score and assign a response the moment it is finished."""
    score_responses([response])
    assign_profiles([response])


class NotEnoughResponses(Exception):
    """Too few usable responses for the data to carry a fitted model (``fitting.can_fit``)."""


def usable_count(campaign: Campaign) -> int:
    """Finished responses with at least half of their facet scores (the fit's rows)."""
    responses = list(
        Response.objects.filter(campaign=campaign, finished_on__isnull=False).select_related(
            "campaign"
        )
    )
    if not responses:
        return 0
    facets = facet_ids(campaign.instrument())
    x = _facet_matrix([scores_of(r) for r in responses], facets)
    return int(usable_rows(x).sum())


def fit_campaign_model(
    campaign: Campaign,
    *,
    user: Any = None,
    n_starts: int = 10,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ProfileModel:
    """Fit LPA model 1 for K = 1..8 on the campaign's finished responses; store and reassign.

    ``koers.compass.fitting`` decides everything (docs/compass.md, "When a campaign fits its
    own model"): responses with at least half of their facet scores are used (missing
    scores by full-information ML), only from ``MIN_ROWS_TO_FIT`` of them; scores on the
    signatures' scale (midpoint 4, 1.25 per unit); K by the sequential BLRT, BIC and SABIC
    beside it; names by the best-matching signature (two when a profile matches both).
    """
    responses = list(
        Response.objects.filter(campaign=campaign, finished_on__isnull=False).select_related(
            "campaign"
        )
    )
    instrument = campaign.instrument()
    facets = profile_facets(instrument)
    scores = score_responses(responses)
    x = _facet_matrix([scores[r.pk] for r in responses], facets)
    usable = usable_rows(x)
    if not can_fit(int(usable.sum())):
        raise NotEnoughResponses(int(usable.sum()))
    result = fit_profiles(x[usable], facets, n_starts=n_starts, seed=seed, progress=progress)
    fitted, choice = result.model, result.choice
    chosen_by = {"BLRT": choice.k, "BIC": choice.bic_k, "SABIC": choice.sabic_k}
    fits = []
    for f in result.estimates.fits:
        entry = f.to_dict()
        entry["blrt_p"] = choice.blrt_p.get(f.n_profiles)
        entry["chosen_by"] = [name for name, k in chosen_by.items() if k == f.n_profiles]
        fits.append(entry)
    profiles = load_profiles()
    d = len(facets)
    with transaction.atomic():
        previous = latest_model(campaign)
        version = (previous.version if previous is not None else 0) + 1
        model: ProfileModel = ProfileModel.objects.create(
            organisation=campaign.organisation,
            campaign=campaign,
            version=version,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            n_rows=result.n_rows,
            lpa_model=1,
            facets=facets,
            center=[SCALE_MIDPOINT] * d,
            scale=[SCALE_UNIT] * d,
            weights=[float(v) for v in fitted.weights_],
            means=np.asarray(fitted.means_).tolist(),
            covariances=np.asarray(fitted.covariances_).tolist(),
            fits=fits,
            selected_k=choice.k,
            names=[n.as_entry(profiles) for n in result.names],
            warnings=list(getattr(fitted, "warnings_", [])),
        )
    assign_profiles(responses)
    return model


def derived_data(response: Response) -> dict[str, Any]:
    """What Koers computed about a response, for the respondent's own data download."""
    assignment = ProfileAssignment.objects.filter(response=response).first()
    stored = ResponseScores.objects.filter(response=response).first()
    return {
        "scores": stored.values if stored else None,
        "profile": None
        if assignment is None
        else {
            "model": assignment.model_label,
            "profiles": [n.get("en") for n in assignment.names],
            "posterior_probabilities": assignment.posteriors,
            # Reference mode: per profile, then "none of these profiles" (the report's words).
            "calibrated_probabilities": assignment.calibrated or None,
        },
    }
