"""Scoring, profile assignment and model fitting for Career Compass responses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from koers.compass import norm_store
from koers.compass.fitting import (
    can_fit,
    fit_profiles,
    to_signature_scale,
    usable_rows,
)
from koers.compass.models import ProfileAssignment, ProfileModel, ResponseScores
from koers.compass.profiles import (
    SCALE_MIDPOINT,
    SCALE_UNIT,
    ProfileSet,
    calibrated_probabilities,
    load_profiles,
    tempered_probabilities,
)
from koers.instruments import Instrument, scoring_key
from koers.stats.lpa import LatentProfileModel
from koers.stats.scales import score_scales, scoring_key_fingerprint
from koers.surveys.answers import answer_values
from koers.surveys.models import Answer, Campaign, Response

# The key of the Career Compass definitions (koers/instruments/data/career_compass/).
COMPASS_KEY = "career_compass"

Scores = Mapping[str, float | None]


def facet_ids(instrument: Instrument) -> list[str]:
    return [scale.id for scale in instrument.scales if scale.kind == "facet"]


def answers_frame(responses: list[Response], instrument: Instrument) -> pd.DataFrame:
    """Scale items as a float DataFrame, one row per response (index = response pk)."""
    ids = [item.id for item in instrument.items if item.type == "scale"]
    rows: dict[int, dict[str, Any]] = {r.pk: {} for r in responses}
    answers = Answer.objects.filter(response__in=[r.pk for r in responses], item_id__in=ids)
    for response_id, item_id, value in answer_values(answers):
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


def _scores_of_all(responses: list[Response], *, store: bool) -> dict[int, Scores]:
    """Stored scores of the current scoring key; the others computed in bulk, and stored
    only when ``store`` (a GET never writes: the report reads with ``store=False``)."""
    instrument = responses[0].campaign.instrument()
    fingerprint = scoring_key_fingerprint(scoring_key(instrument))
    stored: dict[int, Scores] = dict(
        ResponseScores.objects.filter(
            response__in=[r.pk for r in responses], fingerprint=fingerprint
        ).values_list("response_id", "values")
    )
    missing = [r for r in responses if r.pk not in stored]
    if missing:
        stored.update(score_responses(missing) if store else _score_values(missing, instrument))
    return stored


def scores_of(response: Response) -> dict[str, float | None]:
    """Scale scores of one response, read-only: the stored row when it is current,
    else computed from the answers without writing (an old response, or one scored
    under an earlier key; the finish hook and ``score_responses`` store them)."""
    return dict(_scores_of_all([response], store=False)[response.pk])


def latest_model(campaign: Campaign) -> ProfileModel | None:
    return ProfileModel.objects.filter(campaign=campaign).order_by("-version").first()


def _facet_matrix(scores: list[Scores], facets: list[str]) -> np.ndarray:
    return np.array(
        [[np.nan if s.get(f) is None else float(s[f] or 0.0) for f in facets] for s in scores],
        dtype=float,
    )


def profile_facets(instrument: Instrument, profiles: ProfileSet | None = None) -> list[str]:
    """The facets the profile model reads: those a profile signature names.

    A facet no profile is typical or atypical on (sport, networking, data analysis;
    in v2 also honesty, politeness, friendship) is scored and shown but left out of
    the model, where it would only add noise (issue 13, point 8; docs/compass-items.md).
    """
    return (profiles or load_profiles()).model_facets(facet_ids(instrument))


def _fitted_calibrated(model: ProfileModel, z: np.ndarray) -> np.ndarray:
    """Calibrated probabilities (n × (K + 1)) under a campaign's fitted model.

    The fitted posteriors are overconfident where the data are unlike the model (profiles
    less distinct than the fit separates, item noise, a respondent who answered few
    facets): the same "none of these profiles" component and tempered likelihoods as the
    reference model (``profiles.tempered_probabilities``), with the fitted shares, means
    and variances (model 1 has diagonal covariances). Simulated campaigns
    (``bench/compass_fitted_certainty_bench.py``): "very likely" right 99-100 % of the time.
    A one-profile model is the population itself: nobody belongs to a distinct profile.
    """
    means = np.asarray(model.means, dtype=float)
    if len(means) == 1:
        out = np.zeros((len(z), 2))
        out[:, 1] = 1.0
        return out
    covariances = np.asarray(model.covariances, dtype=float)
    sds = np.sqrt(np.diagonal(covariances, axis1=1, axis2=2))
    return tempered_probabilities(z, means, sds, np.asarray(model.weights, dtype=float))


def estimate_assignments(
    responses: list[Response], scores: Mapping[int, Scores] | None = None
) -> list[ProfileAssignment | None]:
    """Unsaved profile assignments (None when a response has no facet score at all).

    Read-only: the report calls this for a response that has no stored assignment;
    ``assign_profiles`` stores the same rows on finish and after a model fit.
    A fitted model of the campaign when one exists; otherwise the reference model on the
    signatures' own scale, (x − 4) / 1.25, the scale a fitted model is matched on too
    (issue 13, point 3): standardising against the campaign made a homogeneous
    organisation's typical answers look average (in a simulated 85 % Nerd organisation
    45 % got their own profile, 94 % on the signatures' scale; ``tests/compass/
    test_fitting.py``). A fixed number of statements for any number of responses.
    """
    if not responses:
        return []
    campaign = responses[0].campaign
    instrument = campaign.instrument()
    if scores is None or any(r.pk not in scores for r in responses):
        scores = _scores_of_all(responses, store=False)
    all_scores = [scores[r.pk] for r in responses]
    model = latest_model(campaign)
    profiles = load_profiles()
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
        z = to_signature_scale(x)
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
        else:
            calibrated[usable] = _fitted_calibrated(model, z[usable])
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
                calibrated=[float(q) for q in cal],
                names=names,
                profile_index=index,
                profile_key=names[index].get("key") or "",
            )
        )
    return out


def assign_profiles(responses: list[Response], scores: Mapping[int, Scores] | None = None) -> None:
    """Store posterior probabilities for each response, with the model they come from
    (a fixed number of statements for any number of responses)."""
    if not responses:
        return
    if scores is None or any(r.pk not in scores for r in responses):
        scores = _scores_of_all(responses, store=True)
    estimates = estimate_assignments(responses, scores)
    with transaction.atomic():
        existing = {
            a.response_id: a
            for a in ProfileAssignment.objects.filter(response__in=[r.pk for r in responses])
        }
        gone = [r.pk for r, estimate in zip(responses, estimates, strict=True) if estimate is None]
        if gone:
            ProfileAssignment.objects.filter(response__in=gone).delete()
        new, changed = [], []
        for response, estimate in zip(responses, estimates, strict=True):
            if estimate is None:
                continue
            row = existing.get(response.pk)
            if row is None:
                new.append(estimate)
                continue
            for name in ASSIGNMENT_FIELDS:
                setattr(row, name, getattr(estimate, name))
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


def is_compass(response: Response) -> bool:
    """The response answers the Career Compass (other questionnaires, such as the inclusion
    survey, run through the same campaigns but get no scores, profile or report here)."""
    return bool(response.campaign.instrument_key == COMPASS_KEY)


def process_finished(response: Response) -> None:
    """Score and assign a response the moment it is finished: a fixed number of statements
    whatever the size of the campaign (tests/compass/test_finish_cost.py)."""
    if not is_compass(response):
        return
    assign_profiles([response], score_responses([response]))


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
    assign_profiles(responses, scores)
    return model


def derived_data(response: Response) -> dict[str, Any]:
    """What Koers computed about a response, for the respondent's own data download."""
    if not is_compass(response):
        return {}
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
            # Per profile, then "none of these profiles" (the report's words).
            "calibrated_probabilities": assignment.calibrated or None,
        },
    }
