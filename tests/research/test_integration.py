"""The real analyses (koers.stats.research) on the app's data (koers.research): coarsened
for k-anonymity as the pages do, no analysis raises; suppressed and not-applicable cells
differ; labels follow the page language; every analysis page answers in nl and en."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from koers.research.dataset import _anonymise
from koers.research.render import cell, result_context
from koers.stats.research import ANALYSES, Result, run_analysis, simulate
from koers.stats.research.core import NOT_APPLICABLE

PROJECT = "/onderzoek/paden/"
K = 5


def _coarsened(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The frame an analysis page gets: its own columns, k-anonymous over the app's QUASI."""
    coarse, _ = _anonymise(frame.copy(), K, {"respondent", *ANALYSES[key].columns})
    return coarse


def _constant_education(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(education_level=1.0)  # everyone hbo: "wo" is constant (the demo)


def _collinear_hours(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(contract_hours=frame["age"] / 2 + 10)


def _constant_everything(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(age=40.0, contract_hours=36.0, education_level=3.0, gender_ratio=2.0)


VARIANTS = {
    "plain": lambda f: f,
    "constant-education": _constant_education,
    "collinear-hours": _collinear_hours,
    "constant-everything": _constant_everything,
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize(("n", "seed"), [(60, 1), (400, 2), (1300, 3)])
def test_no_analysis_raises_on_coarsened_or_degenerate_data(
    variant: str, n: int, seed: int
) -> None:
    frame = VARIANTS[variant](simulate(n, seed=seed, effects={"share_women": 0.4}))
    for key in ANALYSES:
        for data in (frame, _coarsened(frame, key)):
            result = run_analysis(key, data, K)
            assert isinstance(result, Result)
            assert result.refused or result.tables, (variant, key)
            if result.refused:
                assert set(result.refused) == {"nl", "en"}
                assert all(result.refused.values())


def test_a_constant_covariate_is_left_out_and_named_in_the_methods() -> None:
    frame = _constant_education(simulate(800, seed=4, effects={"share_women": 0.4}))
    result = run_analysis("income-hours-by-gender", frame, K)
    assert result.refused is None
    assert "education (hbo/wo)" in result.methods["en"]
    assert "opleidingsniveau (hbo/wo)" in result.methods["nl"]
    assert "woman" not in [s["name"] for s in result.statistics]  # the gender effect is kept
    assert any("women vs men" in str(s["name"]) for s in result.statistics)


def test_a_singular_design_becomes_a_refusal(monkeypatch: Any) -> None:
    def boom(frame: pd.DataFrame, k: int) -> Result:
        raise np.linalg.LinAlgError("Singular matrix")

    key = "income-hours-by-gender"
    monkeypatch.setitem(ANALYSES, key, replace(ANALYSES[key], run=boom))
    result = run_analysis(key, simulate(200, seed=1), K)
    assert result.refused is not None
    assert "niet worden berekend" in result.refused["nl"]
    assert "cannot be computed" in result.refused["en"]


def test_any_other_exception_of_an_analysis_propagates(monkeypatch: Any) -> None:
    def boom(frame: pd.DataFrame, k: int) -> Result:
        raise ValueError("a bug in the analysis")

    key = "income-hours-by-gender"
    monkeypatch.setitem(ANALYSES, key, replace(ANALYSES[key], run=boom))
    with pytest.raises(ValueError, match="a bug in the analysis"):
        run_analysis(key, simulate(200, seed=1), K)


def test_suppressed_and_not_applicable_cells_differ() -> None:
    assert cell(None, 5) == "<5"
    assert cell(NOT_APPLICABLE, 5) == ""
    assert cell({"nl": "vrouw", "en": "woman"}, 5, "en") == "woman"
    result = run_analysis("profiles-by-background", simulate(863, seed=11), K)
    table = next(t for t in result.tables if t.title["en"] == "Profile × gender")
    columns = [c["en"] for c in table.columns]
    total = table.rows[-1]
    assert total[0] == {"nl": "totaal", "en": "total"}
    residual = columns.index("woman: residual")
    assert total[residual] == NOT_APPLICABLE  # a total row has no residual: not "<5"
    rendered = result_context(result, "en", K)
    shown = next(t for t in rendered["tables"] if t["title"] == "Profile × gender")
    assert shown["rows"][-1][residual] == ""
    assert shown["rows"][-1][0] == "total"


def test_table_labels_follow_the_language() -> None:
    result = run_analysis("function-by-sector", simulate(863, seed=11), K)
    english = result_context(result, "en", K)
    dutch = result_context(result, "nl", K)
    words_en = str(english["tables"]) + str(english["chart"])
    words_nl = str(dutch["tables"]) + str(dutch["chart"])
    assert "non-technical job" in words_en
    assert "niet-technische functie" not in words_en
    assert "niet-technische functie" in words_nl
    assert "non-technical job" not in words_nl
    assert "groep" in dutch["tables"][0]["columns"]
    assert "group" in english["tables"][0]["columns"]


# --- End to end: the real analyses on a test database, through the pages -------------------


@pytest.fixture
def compass_pool(project: Any, org_a: Any, org_b: Any) -> Any:
    """Two opted-in organisations with consenting, generated Compass v2 respondents."""
    from koers.instruments import get_instrument
    from koers.surveys.models import Campaign, Response
    from tests.compass.conftest import add_generated
    from tests.research.conftest import take_part

    compass = get_instrument("career_compass")
    for seed, org in enumerate((org_a, org_b), start=1):
        campaign = Campaign.objects.create(
            organisation=org,
            name="Kompas",
            instrument_key=compass.key,
            instrument_version=compass.version,
            departments=["R&D", "Staf"],
        )
        responses = add_generated(campaign, 90, seed=seed)
        Response.objects.filter(pk__in=[r.pk for r in responses]).update(research_consent=True)
        take_part(project, org)
    return project


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_analysis_page_shows_a_result_or_a_refusal(
    client: Any, compass_pool: Any, researcher: Any, language: str
) -> None:
    client.force_login(researcher)
    client.cookies["django_language"] = language
    shown = 0
    for key in ANALYSES:
        response = client.get(f"{PROJECT}analyse/{key}/")
        assert response.status_code == 200, key
        context = response.context
        assert not context.get("failed"), key
        result = context.get("result")
        assert result is not None, key  # there are enough respondents for a dataset
        if result["refused"]:
            assert result["refused"] in response.content.decode()
        else:
            shown += 1
            assert result["tables"]
            assert result["methods"]
    assert shown  # not everything refused
    assert client.get(PROJECT).status_code == 200


def test_an_analysis_page_in_english_has_english_labels(
    client: Any, compass_pool: Any, researcher: Any
) -> None:
    client.force_login(researcher)
    client.cookies["django_language"] = "en"
    page = client.get(f"{PROJECT}analyse/objective-subjective-sector/")
    body = page.content.decode()
    assert page.context["result"]["refused"] == ""
    table = page.context["result"]["tables"][0]
    assert table["columns"][:2] == ["objective sector", "yes: n"]
    assert table["rows"][0][0] == "technical sector"
    assert table["rows"][-1][0] == "total"
    assert "technische sector" not in body
    assert "totaal" not in body
    assert "ja: n" not in body


# --- The dataset cache -----------------------------------------------------------------------


def test_the_dataset_is_cached_and_every_change_of_its_rows_makes_a_new_one(
    project: Any, org_a: Any, org_b: Any, researcher: Any, monkeypatch: Any
) -> None:
    from django.core.cache import cache

    from koers.research import dataset, services
    from koers.surveys.models import Answer, Response
    from tests.research.conftest import make_responses, take_part

    cache.clear()
    calls: list[int] = []
    real = dataset._anonymise

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(dataset, "_anonymise", counted)
    a = make_responses(org_a, 30)
    make_responses(org_b, 20)
    take_part(project, org_a)
    take_part(project, org_b)

    first = dataset.build_dataset(project)
    again = dataset.build_dataset(project)
    assert (first.n, len(calls)) == (50, 1)  # the second time from the cache
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert again.digest == first.digest
    columns = ANALYSES["function-by-sector"].columns
    assert dataset.build_dataset(project, columns).digest != first.digest  # other columns
    assert len(calls) == 2

    services.withdraw(project, org_b, researcher)  # a withdrawal: org_b's rows are gone
    withdrawn = dataset.build_dataset(project)
    assert (withdrawn.n, len(calls)) == (30, 3)

    Response.objects.filter(pk__in=[r.pk for r in a[:5]]).update(research_consent=False)
    assert (dataset.build_dataset(project).n, len(calls)) == (25, 4)  # consent taken back
    Response.objects.filter(pk=a[0].pk).update(research_consent=True)
    assert (dataset.build_dataset(project).n, len(calls)) == (26, 5)  # and given again

    before = dataset.build_dataset(project)
    assert len(calls) == 5
    assert Answer.objects.filter(response=a[10], item_id="gender").update(value="man") == 1
    changed = dataset.build_dataset(project)
    assert (changed.n, len(calls)) == (26, 6)  # a changed answer is a new dataset as well
    assert changed.digest != before.digest


def test_an_organisation_type_is_not_named_as_a_job() -> None:
    result = run_analysis("objective-subjective-sector", simulate(863, seed=11), K)
    dutch = str(result_context(result, "nl", K)["tables"])
    assert "niet-technische organisatie" in dutch
    assert "niet-technische functie" not in dutch
