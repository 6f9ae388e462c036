"""Research workspace fixtures: pooled Compass v2 responses made in bulk, a project, and a
stand-in ``koers.stats.research`` with one analysis (gender by function group, small cells
suppressed) and predictable downloads, so the page tests do not depend on the real
analyses (tests/research/test_integration.py runs those through the pages)."""

from __future__ import annotations

import sys
import types
from typing import Any

import pandas as pd
import pytest

from koers.stats.research.core import Analysis, Result, Table


def _run(frame: pd.DataFrame, k: int) -> Result:
    counts = pd.crosstab(frame["function_group"].fillna("?"), frame["gender"].fillna("?"))
    rows: list[list[object]] = []
    for group, row in counts.iterrows():
        rows.append([group, *[(int(v) if v >= k or v == 0 else None) for v in row]])
    return Result(
        key="gender-by-function",
        n=len(frame),
        tables=[
            Table(
                {"nl": "Gender per functie", "en": "Gender by function"},
                ["", *counts.columns],
                rows,
            )
        ],
        statistics=[
            {
                "name": {"nl": "Verschil", "en": "Difference"},
                "estimate": 0.1234,
                "ci_low": 0.05,
                "ci_high": 0.2,
                "p": 0.0004,
                "effect_size_name": "Cramér's V",
                "effect_size": 0.21,
            }
        ],
        methods={
            "nl": f"Kruistabel op {len(frame)} respondenten (testmethode).",
            "en": f"Cross table of {len(frame)} respondents (test method).",
        },
        chart={
            "kind": "bar",
            "categories": [str(c) for c in counts.index],
            "series": [
                {
                    "name": {"nl": "Aantal", "en": "Count"},
                    "values": [float(v) for v in counts.sum(axis=1)],
                }
            ],
            "unit": "",
        },
    )


@pytest.fixture
def fake_research(monkeypatch: Any) -> types.ModuleType:
    module = types.ModuleType("koers.stats.research")
    analysis = Analysis(
        "gender-by-function",
        {"nl": "Gender per functie", "en": "Gender by function"},
        "6.1",
        ("gender", "function_group"),
        _run,
    )
    module.ANALYSES = {"gender-by-function": analysis}  # type: ignore[attr-defined]
    module.run_analysis = lambda key, frame, k=5: module.ANALYSES[key].run(frame, k)  # type: ignore[attr-defined]
    module.syntax = lambda key, language: f"# {language} script for {key}\n"  # type: ignore[attr-defined]
    export = types.ModuleType("koers.stats.research.export")
    export.to_csv = lambda frame: frame.to_csv(index=False).encode()  # type: ignore[attr-defined]
    export.to_sav = lambda frame: b"$FL2" + frame.to_csv(index=False).encode()  # type: ignore[attr-defined]
    export.to_r = lambda frame: b"PK" + frame.to_csv(index=False).encode()  # type: ignore[attr-defined]
    module.export = export  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "koers.stats.research", module)
    monkeypatch.setitem(sys.modules, "koers.stats.research.export", export)
    import koers.stats as stats_package

    monkeypatch.setattr(stats_package, "research", module, raising=False)
    return module


def background(i: int) -> dict[str, Any]:
    """Plain, repetitive background answers: every combination shared by many rows."""
    return {
        "gender": ["woman", "man"][i % 2],
        "age": 30 + 10 * (i % 3),
        "contract_hours": 40,
        "education_level": "wo_master",
        "income_band": "from_3500",
        "job_category": ["engineer", "consultant"][(i // 2) % 2],
        "organisation_type": "technical_industry",
        "sector_self_report": "yes",
        "institution_type": "wo",
        "study_cluster": "cluster_1",
        "future_sector": "technical",
        "gender_ratio": "more_men",
    }


def make_responses(
    organisation: Any,
    n: int,
    *,
    consent: bool = True,
    answers: Any = background,
    version: int = 2,
    finished: bool = True,
) -> list[Any]:
    """``n`` Compass responses of ``organisation`` with answers, scores and a profile."""
    import datetime as dt

    from koers.compass.models import ProfileAssignment, ResponseScores
    from koers.surveys import links
    from koers.surveys.models import Answer, Campaign, Response

    campaign, _ = Campaign.objects.get_or_create(
        organisation=organisation,
        name=f"Kompas v{version}",
        defaults={"instrument_key": "career_compass", "instrument_version": version},
    )
    day = dt.date(2026, 5, 1)
    responses = Response.objects.bulk_create(
        [
            Response(
                campaign=campaign,
                access_hash=links.response_hash(links.new_secret()),
                instrument_version=version,
                started_on=day,
                finished_on=day if finished else None,
                research_consent=consent,
            )
            for _ in range(n)
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(response=r, item_id=item, value=value)
            for i, r in enumerate(responses)
            for item, value in answers(i).items()
        ]
    )
    ResponseScores.objects.bulk_create(
        [
            ResponseScores(
                response=r,
                fingerprint="test",
                values={
                    "identification": 4.5,
                    "career_clarity": float(1 + i % 7),
                    "gender_stigma": None,
                },
            )
            for i, r in enumerate(responses)
        ]
    )
    ProfileAssignment.objects.bulk_create(
        [
            ProfileAssignment(
                response=r,
                model_label="reference",
                posteriors=[1.0],
                names=[{"key": "nerd", "nl": "Nerd", "en": "Nerd"}],
                profile_index=0,
                profile_key="nerd",
            )
            for r in responses
        ]
    )
    return responses


@pytest.fixture
def researcher(db: Any) -> Any:
    from tests.conftest import _user

    return _user("sanne@uni.example")


@pytest.fixture
def project(researcher: Any) -> Any:
    from koers.research.models import ProjectMember, ResearchProject

    found = ResearchProject.objects.create(
        slug="paden",
        title="Carrièrepaden",
        title_en="Career paths",
        description="Test",
        lead=researcher,
        state=ResearchProject.State.APPROVED,
    )
    ProjectMember.objects.create(project=found, user=researcher)
    return found


def take_part(project: Any, organisation: Any) -> Any:
    from django.utils import timezone

    from koers.research.models import Participation

    return Participation.objects.create(
        project=project, organisation=organisation, joined=timezone.now()
    )
