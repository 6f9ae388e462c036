"""The pooled dataset: who is in, the contract's columns, pseudonyms, k-anonymity, cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from koers.research import dataset, services
from koers.research.dataset import COLUMNS, QUASI, TooFewRows, build_dataset
from koers.research.models import ResearchProject
from koers.stats.anonymity import is_k_anonymous
from tests.research.conftest import background, make_responses, take_part


def test_only_consenting_respondents_of_organisations_taking_part_are_pooled(
    project: Any, org_a: Any, org_b: Any
) -> None:
    make_responses(org_a, 20, consent=True)
    make_responses(org_a, 7, consent=False)
    make_responses(org_b, 30, consent=True)  # org B does not take part
    make_responses(org_a, 9, consent=True, finished=False)  # unfinished: never
    take_part(project, org_a)
    found = build_dataset(project)
    assert found.n == 20
    assert found.n_by_organisation == {org_a.pk: 20}
    assert [o.slug for o in found.organisations] == ["alpha"]


def test_a_withdrawn_organisation_leaves_the_pool(
    project: Any, org_a: Any, org_b: Any, alice: Any
) -> None:
    make_responses(org_a, 20)
    make_responses(org_b, 10)
    take_part(project, org_a)
    take_part(project, org_b)
    assert build_dataset(project).n == 30
    services.withdraw(project, org_b, alice)
    assert build_dataset(project).n == 20
    services.join(project, org_b, alice)  # back in
    assert build_dataset(project).n == 30


def test_a_project_not_approved_has_no_data(project: Any, org_a: Any) -> None:
    make_responses(org_a, 20)
    take_part(project, org_a)
    project.state = ResearchProject.State.PENDING
    project.save()
    with pytest.raises(TooFewRows):
        build_dataset(project)


def test_fewer_than_k_rows_show_nothing(project: Any, org_a: Any, settings: Any) -> None:
    make_responses(org_a, settings.KOERS_MIN_GROUP_SIZE - 1)
    take_part(project, org_a)
    with pytest.raises(TooFewRows):
        build_dataset(project)


def test_only_compass_v2_responses_are_pooled(project: Any, org_a: Any) -> None:
    make_responses(org_a, 10, version=2)
    make_responses(org_a, 10, version=1)
    take_part(project, org_a)
    assert build_dataset(project).n == 10


def test_the_columns_are_the_contracts_with_the_instruments_values(
    project: Any, org_a: Any
) -> None:
    def answers(i: int) -> dict[str, Any]:
        out = {**background(i), "age": 40}
        if i < 20:
            out.update(gender="non_binary", income_band="rather_not_say")
        return out

    make_responses(org_a, 60, answers=answers)
    take_part(project, org_a)
    frame = build_dataset(project).frame
    assert tuple(frame.columns) == COLUMNS
    assert set(frame["gender"]) == {"woman", "man", "other"}
    assert frame.loc[frame["gender"] == "other", "income_band"].isna().all()
    assert set(frame["income_band"].dropna()) == {3.0}  # from_3500: the third option
    assert set(frame["education_level"]) == {4.0}  # wo_master's yaml code
    assert set(frame["function_group"]) == {"technical", "non_technical"}
    assert set(frame["sector_objective"]) == {"technical_sector"}
    assert set(frame["gender_ratio"]) == {2.0}
    assert set(frame["profile"]) == {"nerd"}
    assert frame["identification"].eq(4.5).all()
    assert frame["gender_stigma"].isna().all()
    assert set(frame["job_category"]) == {"engineer", "consultant"}


def test_pseudonyms_differ_between_projects_and_hide_database_ids(
    project: Any, org_a: Any, researcher: Any
) -> None:
    responses = make_responses(org_a, 12)
    take_part(project, org_a)
    other = ResearchProject.objects.create(
        slug="ander", title="Ander", description="x", state="approved"
    )
    take_part(other, org_a)
    first, second = build_dataset(project).frame, build_dataset(other).frame
    assert first["respondent"].is_unique
    assert not set(first["respondent"]) & set(second["respondent"])
    ids = {str(r.pk) for r in responses} | {str(org_a.pk)}
    assert not ids & set(first["respondent"])
    assert first["respondent"].is_monotonic_increasing  # ordered by pseudonym, not by id
    assert first["organisation"].nunique() == 1
    assert first["organisation"].iloc[0] != second["organisation"].iloc[0]


def test_the_file_is_k_anonymous_over_the_quasi_identifiers(
    project: Any, org_a: Any, org_b: Any, settings: Any
) -> None:
    rng = np.random.default_rng(4)
    options = {
        "gender": ["woman", "man", "non_binary", "rather_not_say"],
        "job_category": ["engineer", "researcher", "consultant", "teacher", "other"],
        "organisation_type": ["technical_industry", "non_technical", "other"],
        "education_level": ["hbo_bachelor", "wo_master", "phd"],
        "income_band": ["under_2500", "from_4500", "from_7500", "rather_not_say"],
        "institution_type": ["hbo", "wo", "both"],
        "study_cluster": ["cluster_1", "cluster_2", "other"],
    }

    def answers(i: int) -> dict[str, Any]:
        out = background(i)
        out.update({item: str(rng.choice(values)) for item, values in options.items()})
        out["age"] = int(rng.integers(21, 66))
        out["contract_hours"] = int(rng.integers(8, 41))
        return out

    make_responses(org_a, 150, answers=answers)
    make_responses(org_b, 6, answers=answers)  # a small organisation
    take_part(project, org_a)
    take_part(project, org_b)
    found = build_dataset(project)
    quasi = found.frame[[column for column, _kind, _w in QUASI]]
    assert is_k_anonymous(quasi, settings.KOERS_MIN_GROUP_SIZE)
    assert found.coarsened  # and it says what it did
    described = {c.column for c in found.coarsened}
    for column, _kind, _w in QUASI:
        exact = quasi[column]
        if column not in described:
            continue
        assert exact.nunique(dropna=False) < 30  # e.g. ages are no longer exact years
    assert {c.column for c in found.coarsened if c.dropped} <= set(quasi.columns)
    assert all(c.description["nl"] and c.description["en"] for c in found.coarsened)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    project: Any, org_a: Any, org_b: Any, django_assert_max_num_queries: Any
) -> None:
    take_part(project, org_a)
    take_part(project, org_b)
    make_responses(org_a, 10)
    make_responses(org_b, 10)
    with django_assert_max_num_queries(5):
        small = build_dataset(project)
    make_responses(org_a, 200)
    with django_assert_max_num_queries(5):
        large = build_dataset(project)
    assert (small.n, large.n) == (20, 220)


def test_numbers_coarsened_become_a_value_the_group_shares(project: Any, org_a: Any) -> None:
    def answers(i: int) -> dict[str, Any]:
        out = background(0)
        out["age"] = 20 + i  # every age once: exact ages single people out
        return out

    make_responses(org_a, 30, answers=answers)
    take_part(project, org_a)
    frame = build_dataset(project).frame
    assert frame["age"].value_counts().min() >= 5
    assert isinstance(frame["age"].dtype, np.dtype)
    assert frame["age"].dtype.kind == "f"
    assert pd.api.types.is_float_dtype(frame["age"])


def test_the_pseudonym_domain_is_the_apps_own() -> None:
    assert dataset.PSEUDONYM_DOMAIN == "research-pseudonym"
