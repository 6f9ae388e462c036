"""Scoring, profile assignment and model fitting for Career Compass responses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from koers.compass import norm_store
from koers.compass.models import ProfileAssignment, ProfileModel, ResponseScores
from koers.compass.profiles import (
    FITTED_MIN_ROWS,
    calibrated_probabilities,
    load_profiles,
    name_fitted_profiles,
    standardise_scores,
)
from koers.instruments import Instrument, scoring_key
from koers.stats.lpa import LatentProfileModel, estimate_profiles
from koers.stats.scales import score_scales, scoring_key_fingerprint
from koers.surveys.models import Answer, Campaign, Response

Scores = Mapping[str, float | None]


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


def _score_values(responses: list[Response], instrument: Instrument) -> dict[int, Scores]:
    scores = score_scales(answers_frame(responses, instrument), scoring_key(instrument))
    columns = [str(c) for c in scores.columns]
    return {
        int(pk): {c: (None if pd.isna(v) else float(v)) for c, v in zip(columns, row, strict=True)}
        for pk, row in zip(scores.index, scores.itertuples(index=False), strict=True)
    }


def score_responses(responses: list[Response]) -> dict[int, Scores]:
    """Compute and store scale scores (recomputed when the scoring key changed).

    A fixed number of statements for any number of responses; the campaign's norm counts
    (``norm_store``) follow in the same transaction: a finished response's scores are in.
    """
    if not responses:
        return {}
    campaign = responses[0].campaign
    instrument = campaign.instrument()
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    out = _score_values(responses, instrument)
    with transaction.atomic():
        norm = norm_store.locked(campaign, fingerprint, facet_ids(instrument))
        existing = {
            row.response_id: row
            for row in ResponseScores.objects.filter(response__in=[r.pk for r in responses])
        }
        new, changed = [], []
        for response in responses:
            values = out[response.pk]
            row = existing.get(response.pk)
            if row is not None and row.counted:
                norm_store.change(norm, row.values or {}, -1)
            counted = response.finished_on is not None
            if counted:
                norm_store.change(norm, values, 1)
            if row is None:
                new.append(
                    ResponseScores(
                        response=response, fingerprint=fingerprint, values=values, counted=counted
                    )
                )
            else:
                row.fingerprint, row.values, row.counted = fingerprint, values, counted
                changed.append(row)
        ResponseScores.objects.bulk_create(new, batch_size=2000)
        ResponseScores.objects.bulk_update(
            changed, ["fingerprint", "values", "counted"], batch_size=2000
        )
        norm.save()
    return out


def _scores_of_all(responses: list[Response]) -> dict[int, Scores]:
    """Stored scores of the current scoring key; the others are (re)computed, in bulk."""
    instrument = responses[0].campaign.instrument()
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    stored: dict[int, Scores] = dict(
        ResponseScores.objects.filter(
            response__in=[r.pk for r in responses], fingerprint=fingerprint
        ).values_list("response_id", "values")
    )
    missing = [r for r in responses if r.pk not in stored]
    if missing:
        stored.update(score_responses(missing))
    return stored


def scores_of(response: Response) -> dict[str, float | None]:
    return dict(_scores_of_all([response])[response.pk])


def latest_model(campaign: Campaign) -> ProfileModel | None:
    return ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()


def _facet_matrix(scores: list[Scores], facets: list[str]) -> np.ndarray:
    return np.array(
        [[np.nan if s.get(f) is None else float(s[f] or 0.0) for f in facets] for s in scores],
        dtype=float,
    )


def assign_profiles(responses: list[Response], scores: dict[int, Scores] | None = None) -> None:
    """Posterior probabilities for each response, with the model they come from.

    A fitted model of the campaign when one exists; otherwise the reference
    model on scores standardised against the campaign (midpoint 4 / SD 1.25
    until it has 300 complete responses; ``norm_store.standardisation``).
    A fixed number of statements for any number of responses.
    """
    if not responses:
        return
    campaign = responses[0].campaign
    instrument = campaign.instrument()
    facets = facet_ids(instrument)
    if scores is None or any(r.pk not in scores for r in responses):
        scores = _scores_of_all(responses)
    x = _facet_matrix([scores[r.pk] for r in responses], facets)
    model = latest_model(campaign)
    profiles = load_profiles()
    if model is not None:
        z = (x - np.asarray(model.center)) / np.asarray(model.scale)
        lpa = LatentProfileModel.from_parameters(
            model.weights, model.means, model.covariances, model=model.lpa_model
        )
        names = model.names
        label = model.label()
    else:
        fingerprint = scoring_key_fingerprint(scoring_key(instrument))
        norm = norm_store.current(campaign, fingerprint, facets)
        center, scale = norm_store.standardisation(norm, len(facets))
        z = (x - center) / scale
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
    with transaction.atomic():
        existing = {
            a.response_id: a
            for a in ProfileAssignment.objects.filter(response__in=[r.pk for r in responses])
        }
        gone = [r.pk for r, ok in zip(responses, usable, strict=True) if not ok]
        if gone:
            ProfileAssignment.objects.filter(response__in=gone).delete()
        new, changed = [], []
        for response, post, cal, ok in zip(responses, posteriors, calibrated, usable, strict=True):
            if not ok:
                continue
            index = int(np.argmax(post))
            fields = {
                "model": model,
                "model_label": label,
                "posteriors": [float(p) for p in post],
                "calibrated": [] if model is not None else [float(q) for q in cal],
                "names": names,
                "profile_index": index,
                "profile_key": names[index].get("key") or "",
            }
            row = existing.get(response.pk)
            if row is None:
                new.append(ProfileAssignment(response=response, **fields))
            else:
                for name, value in fields.items():
                    setattr(row, name, value)
                changed.append(row)
        ProfileAssignment.objects.bulk_create(new, batch_size=2000)
        ProfileAssignment.objects.bulk_update(changed, list(ASSIGNMENT_FIELDS), batch_size=2000)


ASSIGNMENT_FIELDS = (
    "model",
    "model_label",
    "posteriors",
    "calibrated",
    "names",
    "profile_index",
    "profile_key",
)


def process_finished(response: Response) -> None:
    """Score and assign a response the moment it is finished: a fixed number of statements
    whatever the size of the campaign (tests/compass/test_finish_cost.py)."""
    assign_profiles([response], score_responses([response]))


class NotEnoughResponses(Exception):
    """A fitted model needs at least FITTED_MIN_ROWS complete responses."""


def fit_campaign_model(
    campaign: Campaign,
    *,
    user: Any = None,
    n_starts: int = 10,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ProfileModel:
    """Fit LPA model 1 for K = 1..8 on the campaign's complete facet scores; store and reassign.

    The number of profiles follows the LPA engine's rule (lowest BIC among
    solutions whose smallest profile has at least 5 % and no collapsed
    variance, ``docs/lpa.md``); profiles are named by matching the reference
    signatures (``koers.compass.profiles.name_fitted_profiles``).
    """
    responses = list(
        Response.objects.filter(campaign=campaign, finished_on__isnull=False).select_related(
            "campaign"
        )
    )
    instrument = campaign.instrument()
    facets = facet_ids(instrument)
    scores = score_responses(responses)
    x = _facet_matrix([scores[r.pk] for r in responses], facets)
    complete = ~np.isnan(x).any(axis=1)
    if complete.sum() < FITTED_MIN_ROWS:
        raise NotEnoughResponses(int(complete.sum()))
    z, center, scale = standardise_scores(x[complete], x[complete])
    estimates = estimate_profiles(
        z, range(1, 9), model=1, n_starts=n_starts, random_state=seed, progress=progress
    )
    k = estimates.selected_n_profiles
    if k is None:
        raise ValueError("no number of profiles qualified under the selection rule")
    fitted = estimates.models[k]
    named = name_fitted_profiles(np.asarray(fitted.means_), facets)
    with transaction.atomic():
        previous = latest_model(campaign)
        version = (previous.version if previous is not None else 0) + 1
        model: ProfileModel = ProfileModel.objects.create(
            organisation=campaign.organisation,
            campaign=campaign,
            version=version,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            n_rows=int(complete.sum()),
            lpa_model=1,
            facets=facets,
            center=[float(v) for v in center],
            scale=[float(v) for v in scale],
            weights=[float(v) for v in fitted.weights_],
            means=np.asarray(fitted.means_).tolist(),
            covariances=np.asarray(fitted.covariances_).tolist(),
            fits=[f.to_dict() for f in estimates.fits],
            selected_k=k,
            names=[{"key": n.key, **n.name, "quality": n.quality} for n in named],
            warnings=list(getattr(fitted, "warnings_", [])),
        )
    assign_profiles(responses, scores)
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
