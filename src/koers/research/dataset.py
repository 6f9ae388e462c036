"""The pooled dataset of a research project: one row per finished Career Compass (v2)
response of a consenting respondent in an organisation that takes part, with the columns
of the research contract (docs/research.md, "Workspace").

Privacy, in this order, before anything is shown or exported:

1. **Who is in**: only organisations whose participation is active (a withdrawn one is out
   of every later view and export) and only respondents who consented
   (``Response.research_consent``); a project that is not approved has no data.
2. **Pseudonyms**: respondents and organisations get a code per project, a keyed hash
   (:func:`koers.lib.codes.keyed_hash`, domain :data:`PSEUDONYM_DOMAIN`) of the project id
   and the database id: the same person has unrelated codes in two projects, and nobody
   without Koers' key can go back. Rows are ordered by pseudonym (says nothing about who
   answered first). No dates, no free text, no department.
3. **k-anonymity**: the quasi-identifiers (what someone could know about a person from
   elsewhere: gender, age, employer, job, education, hours, income band ...) are coarsened
   by :func:`koers.stats.anonymity.k_anonymise` with k = ``KOERS_MIN_GROUP_SIZE`` until every
   combination of them is shared by at least k rows. Derived groupings
   (``function_group``, ``sector_objective``) are quasi-identifiers of their own, so a
   coarsened job category cannot be undone through its group. Opinions and scores
   (``sector_subjective``, ``gender_ratio``, ``future_sector``, scales, profile) are not.
   A coarsened category keeps the instrument's option values; the merged group is
   ``"other"`` (for the ordinal codes, missing). A coarsened number becomes the median of
   its group (a value at least k people share). With fewer than k rows nothing is
   shown at all.

Five queries whatever the number of rows (tests/research/test_dataset.py counts them).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache

from koers.compass.models import ProfileAssignment, ResponseScores
from koers.instruments import get_instrument
from koers.lib.codes import keyed_hash
from koers.organisations.models import Organisation
from koers.research.models import Participation, ResearchProject
from koers.stats.anonymity import OTHER, Anonymised, QuasiIdentifier, Rung, k_anonymise
from koers.surveys.answers import answer_values
from koers.surveys.export import _STEP_TEXT, _describe
from koers.surveys.models import Answer, Response

PSEUDONYM_DOMAIN = "research-pseudonym"
INSTRUMENT_KEY = "career_compass"
INSTRUMENT_VERSION = 2

SCALES = ("identification", "career_clarity", "career_commitment", "career_exploration")
SCALES_ALL = (*SCALES, "gender_stigma")

# The contract's columns, in order (koers.stats.research.COLUMNS has the same names).
COLUMNS = (
    "respondent",
    "organisation",
    "gender",
    "age",
    "contract_hours",
    "education_level",
    "income_band",
    "job_category",
    "function_group",
    "organisation_type",
    "sector_objective",
    "sector_subjective",
    "institution_type",
    "study_cluster",
    "profile",
    *SCALES_ALL,
    "future_sector",
    "gender_ratio",
)
CATEGORY_ITEMS = {
    "job_category": "job_category",
    "organisation_type": "organisation_type",
    "sector_subjective": "sector_self_report",
    "institution_type": "institution_type",
    "study_cluster": "study_cluster",
    "future_sector": "future_sector",
}
NUMBER_ITEMS = ("age", "contract_hours")
ITEMS = (
    "gender",
    "age",
    "contract_hours",
    "education_level",
    "income_band",
    "job_category",
    "organisation_type",
    "sector_self_report",
    "institution_type",
    "study_cluster",
    "future_sector",
    "gender_ratio",
)
GENDER = {"woman": "woman", "man": "man", "non_binary": "other", "other": "other"}
GENDER_RATIO = {
    "almost_all_men": 1.0,
    "more_men": 2.0,
    "about_equal": 3.0,
    "more_women": 4.0,
    "almost_all_women": 5.0,
}

# Quasi-identifiers, most important first (kept in preference, koers.stats.anonymity):
# (column, kind, band widths for numbers). Ordinal codes are coarsened as categories.
QUASI: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("gender", "category", ()),
    ("function_group", "category", ()),
    ("sector_objective", "category", ()),
    ("age", "number", (5, 10, 20)),
    ("education_level", "category", ()),
    ("contract_hours", "number", (4, 8, 16)),
    ("income_band", "number", (2, 4)),
    ("institution_type", "category", ()),
    ("study_cluster", "category", ()),
    ("job_category", "category", ()),
    ("organisation_type", "category", ()),
    ("organisation", "category", ()),
)
# Columns whose values are numbers in the contract (coarsened category codes stay numbers).
NUMERIC = {"age", "contract_hours", "education_level", "income_band"}


class TooFewRows(Exception):
    """Fewer than k consenting respondents: nothing may be shown or exported."""


@dataclass(frozen=True)
class Coarsening:
    column: str
    description: dict[str, str]  # nl, en
    dropped: bool


@dataclass(frozen=True)
class PooledDataset:
    frame: pd.DataFrame  # the contract's columns, coarsened; one row per respondent
    organisations: list[Organisation]  # taking part now (also those with no rows)
    n_by_organisation: dict[int, int]  # organisation id -> rows (before nothing is shown)
    k: int
    coarsened: list[Coarsening] = field(default_factory=list)
    digest: str = ""  # of the rows before coarsening, k and the columns (cache keys)

    @property
    def n(self) -> int:
        return len(self.frame)

    def response_count(self) -> int:
        return sum(self.n_by_organisation.values())


def pseudonym(project: ResearchProject, kind: str, pk: int, length: int = 12) -> str:
    return keyed_hash(PSEUDONYM_DOMAIN, f"{project.pk}:{kind}:{pk}")[:length]


def active_participations(project: ResearchProject) -> list[Participation]:
    return list(
        Participation.objects.filter(project=project, withdrawn__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def pooled_responses(organisations: Iterable[Organisation]) -> Any:
    """The finished, consenting Compass v2 responses of these organisations (a queryset)."""
    return Response.objects.filter(
        campaign__organisation__in=list(organisations),
        campaign__instrument_key=INSTRUMENT_KEY,
        instrument_version=INSTRUMENT_VERSION,
        finished_on__isnull=False,
        research_consent=True,
    )


def build_dataset(project: ResearchProject, columns: Iterable[str] | None = None) -> PooledDataset:
    """The project's pooled, pseudonymised, k-anonymous dataset (raises TooFewRows).

    ``columns``: only these (and the respondent pseudonym) are kept, the rest are missing,
    and k-anonymity is reached over the quasi-identifiers among them: what an analysis
    page uses. Fewer quasi-identifiers need far less coarsening (on the demo, the full file
    keeps 5 of 12 and an analysis of function × sector keeps its own columns exact).
    Without ``columns``: the full file that is downloaded, k-anonymous over all of them.
    """
    k = int(settings.KOERS_MIN_GROUP_SIZE)
    organisations = (
        [p.organisation for p in active_participations(project)] if project.is_approved else []
    )
    responses = pooled_responses(organisations)
    rows = list(responses.values_list("pk", "campaign__organisation_id"))
    n_by_org = {org.pk: 0 for org in organisations}
    for _pk, org_id in rows:
        n_by_org[org_id] += 1
    if len(rows) < k:
        raise TooFewRows(len(rows))
    raw = _raw_frame(project, rows, responses)
    keep = None if columns is None else {"respondent", *columns}
    if keep is not None:
        for column in raw.columns:
            if column not in keep:
                raw[column] = np.nan if raw[column].dtype.kind == "f" else None
    digest = _digest(raw, k, keep)
    frame, coarsened = _cached_anonymise(raw, k, keep, digest)
    return PooledDataset(
        frame=frame,
        organisations=organisations,
        n_by_organisation=n_by_org,
        k=k,
        coarsened=coarsened,
        digest=digest,
    )


# The coarsened dataset is kept in the cache under a hash of the rows it was made from (as
# koers.inclusion keeps its figures): a withdrawal, a consent given or taken back, a new
# answer, score or profile changes the rows and so the key, so a stale dataset is never
# used; only the k-anonymisation (the slow part) is saved, the rows are read every time.
# Old entries are unreachable and expire after a day.
DATASET_CACHE_SECONDS = 24 * 3600
CACHE_VERSION = "1"
log = logging.getLogger(__name__)


def _digest(raw: pd.DataFrame, k: int, keep: set[str] | None) -> str:
    digest = hashlib.sha256(pd.util.hash_pandas_object(raw, index=True).to_numpy().tobytes())
    digest.update(
        f"|{'|'.join(raw.columns)}|{k}|{sorted(keep) if keep is not None else '*'}|"
        f"{QUASI!r}|{CACHE_VERSION}".encode()
    )
    return digest.hexdigest()


def _cached_anonymise(
    raw: pd.DataFrame, k: int, keep: set[str] | None, digest: str
) -> tuple[pd.DataFrame, list[Coarsening]]:
    name = f"research:dataset:{digest}"
    try:
        found = cache.get(name)
    except Exception:  # an unreachable cache: compute, as without one
        log.warning("cache unreachable: research dataset built without it")
        found = None
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], pd.DataFrame):
        return found[0].copy(), list(found[1])
    frame, coarsened = _anonymise(raw, k, keep)
    try:
        cache.set(name, (frame, coarsened), DATASET_CACHE_SECONDS)
    except Exception:
        log.warning("cache unreachable: research dataset not kept")
    return frame, coarsened


def _raw_frame(
    project: ResearchProject, rows: list[tuple[int, int]], responses: Any
) -> pd.DataFrame:
    ids = [pk for pk, _ in rows]
    index = {pk: i for i, pk in enumerate(ids)}
    answers: dict[str, list[Any]] = {item: [None] * len(ids) for item in ITEMS}
    for response_id, item_id, value in answer_values(
        Answer.objects.filter(response__in=responses, item_id__in=ITEMS)
    ):
        answers[item_id][index[response_id]] = value
    scores: dict[str, list[float]] = {s: [np.nan] * len(ids) for s in SCALES_ALL}
    for response_id, values in ResponseScores.objects.filter(response__in=responses).values_list(
        "response_id", "values"
    ):
        for scale in SCALES_ALL:
            value = (values or {}).get(scale)
            if value is not None:
                scores[scale][index[response_id]] = float(value)
    profile: list[Any] = [None] * len(ids)
    for response_id, key in ProfileAssignment.objects.filter(response__in=responses).values_list(
        "response_id", "profile_key"
    ):
        profile[index[response_id]] = key or None

    instrument = get_instrument(INSTRUMENT_KEY, INSTRUMENT_VERSION)
    item = {i.id: i for i in instrument.items}
    job_group = {o.value: o.group for o in item["job_category"].options}
    org_group = {o.value: o.group for o in item["organisation_type"].options}
    education = {o.value: o.code for o in item["education_level"].options}
    income = {
        o.value: float(i)
        for i, o in enumerate(item["income_band"].options, start=1)
        if o.value != "rather_not_say"
    }

    def mapped(values: list[Any], table: dict[str, Any]) -> list[Any]:
        return [table.get(v) if isinstance(v, str) else None for v in values]

    data: dict[str, Any] = {
        "respondent": [pseudonym(project, "respondent", pk, 16) for pk in ids],
        "organisation": [pseudonym(project, "organisation", org) for _pk, org in rows],
        "gender": mapped(answers["gender"], GENDER),
        "age": _numbers(answers["age"]),
        "contract_hours": _numbers(answers["contract_hours"]),
        "education_level": _numbers(mapped(answers["education_level"], education)),
        "income_band": _numbers(mapped(answers["income_band"], income)),
        "job_category": _strings(answers["job_category"]),
        "function_group": mapped(answers["job_category"], job_group),
        "organisation_type": _strings(answers["organisation_type"]),
        "sector_objective": mapped(answers["organisation_type"], org_group),
        "sector_subjective": _strings(answers["sector_self_report"]),
        "institution_type": _strings(answers["institution_type"]),
        "study_cluster": _strings(answers["study_cluster"]),
        "profile": profile,
        **{scale: scores[scale] for scale in SCALES_ALL},
        "future_sector": _strings(answers["future_sector"]),
        "gender_ratio": _numbers(mapped(answers["gender_ratio"], GENDER_RATIO)),
    }
    frame = pd.DataFrame(data, columns=list(COLUMNS))
    return frame.sort_values("respondent", kind="stable").reset_index(drop=True)


def _numbers(values: list[Any]) -> np.ndarray:
    return np.array(
        [
            float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan
            for v in values
        ]
    )


def _strings(values: list[Any]) -> list[str | None]:
    return [v if isinstance(v, str) else None for v in values]


def _anonymise(
    raw: pd.DataFrame, k: int, keep: set[str] | None = None
) -> tuple[pd.DataFrame, list[Coarsening]]:
    """Coarsen the quasi-identifiers (k_anonymise on codes), then back to contract values."""
    codes: dict[str, pd.Series] = {}
    values_of: dict[str, list[Any]] = {}
    quasi: list[QuasiIdentifier] = []
    for column, kind, widths in QUASI:
        if keep is not None and column not in keep:
            continue
        series = raw[column]
        if kind == "number" or column in NUMERIC:
            codes[column] = pd.to_numeric(series, errors="coerce").astype(float)
            labels = {v: _label(v) for v in codes[column].dropna().unique()}
        else:
            values = sorted(v for v in series.dropna().unique())
            values_of[column] = values
            position = {v: float(i) for i, v in enumerate(values, start=1)}
            codes[column] = series.map(position).astype(float)
            labels = {float(i): str(v) for i, v in enumerate(values, start=1)}
        quasi.append(
            QuasiIdentifier(
                column,
                "number" if kind == "number" else "category",
                labels=labels,
                widths=widths or (5, 10, 20),
            )
        )
    anonymised = _prefer_detail(pd.DataFrame(codes, index=raw.index), quasi, k)
    frame = raw.copy()
    done: list[Coarsening] = []
    for column, rung in anonymised.rungs.items():
        if rung.step == "exact":
            continue
        done.append(
            Coarsening(
                column,
                {lang: _describe(rung, _STEP_TEXT[lang], k) for lang in ("nl", "en")},
                rung.dropped,
            )
        )
        if rung.dropped:
            frame[column] = np.nan if column in NUMERIC else None
            continue
        coded = rung.codes
        if dict(QUASI_KINDS)[column] == "number":
            # Each group's median: a value at least k people share, never one person's.
            medians = raw[column].groupby(coded).median()
            frame[column] = coded.map(medians).astype(float)
        elif column in NUMERIC:  # ordinal codes merged into "other": missing
            frame[column] = coded.where(coded != float(OTHER)).astype(float)
        else:
            back = {float(i): v for i, v in enumerate(values_of[column], start=1)}
            back[float(OTHER)] = "other"
            frame[column] = [back.get(c) if c == c else None for c in coded]
    return frame, done


def _prefer_detail(codes: pd.DataFrame, quasi: list[QuasiIdentifier], k: int) -> Anonymised:
    """k_anonymise, and again without the organisation pseudonym: plain k_anonymise keeps
    as many columns as possible, so the organisation (the least useful column to the
    analyses) would stay as "largest organisation versus the rest" at the cost of gender,
    function or sector. The version without it wins when its other columns keep more
    detail (more groups, compared in order of importance); leaving a column out keeps
    k-anonymity (fewer columns only merge combinations)."""
    full = k_anonymise(codes, quasi, k, other_label="other")
    others = [q for q in quasi if q.column != "organisation"]
    if len(others) == len(quasi):
        return full
    without = k_anonymise(codes, others, k, other_label="other")

    def detail(found: Anonymised) -> tuple[int, ...]:
        return tuple(
            0
            if found.rungs[q.column].dropped
            else int(found.rungs[q.column].codes.nunique(dropna=False))
            for q in others
        )

    if detail(without) <= detail(full):
        return full
    rungs = dict(without.rungs)
    rungs["organisation"] = Rung(pd.Series(np.nan, index=codes.index), {}, "dropped")
    return Anonymised(data=without.data, rungs=rungs, k=k)


QUASI_KINDS = tuple((column, kind) for column, kind, _widths in QUASI)


def _label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
