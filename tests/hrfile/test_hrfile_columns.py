"""Mapping file headers onto canonical columns: exact (CLI) and suggested (web importer)."""

from __future__ import annotations

import pytest

from koers.hrfile.columns import EMPLOYEE_COLUMNS, exact_mapping, resolve_mapping, suggest_mapping


def test_exact_mapping_accepts_canonical_names_and_spec_aliases_in_any_case() -> None:
    headers = ["PERSONEELSNUMMER", " geslacht ", "hire_date", "Bruto jaarsalaris", "Notes"]
    assert exact_mapping(headers) == {
        "PERSONEELSNUMMER": "employee_id",
        " geslacht ": "gender",
        "hire_date": "hire_date",
        "Bruto jaarsalaris": "annual_base_salary",
    }


def test_exact_mapping_does_not_guess() -> None:
    assert exact_mapping(["Bruto jaarsalaris (€)", "Sex", "Employee ID"]) == {}


def test_every_spec_alias_is_recognised() -> None:
    for spec in EMPLOYEE_COLUMNS:
        for alias in (spec.name, *spec.aliases):
            assert exact_mapping([alias.title()]) == {alias.title(): spec.name}


def test_suggestions_know_english_names_units_and_punctuation() -> None:
    suggested = suggest_mapping(
        ["Employee ID", "Sex", "Date of hire", "Bruto jaarsalaris (€)", "Uren/week", "Grade",
         "Job_Title", "Bonus", "Opleiding", "Team", "Favourite colour"]
    )  # fmt: skip
    assert suggested == {
        "Employee ID": "employee_id",
        "Sex": "gender",
        "Date of hire": "hire_date",
        "Bruto jaarsalaris (€)": "annual_base_salary",
        "Uren/week": "hours_per_week",
        "Grade": "job_level",
        "Job_Title": "job_family",
        "Bonus": "annual_variable_pay",
        "Opleiding": "education",
        "Team": "department",
    }


def test_suggestions_tolerate_a_small_typo_and_prefer_exact_matches() -> None:
    suggested = suggest_mapping(["Geboortejar", "Schaal", "Level"])
    assert suggested["Geboortejar"] == "birth_year"
    assert suggested["Schaal"] == "job_level"
    assert "Level" not in suggested  # job_level is already taken by the exact match


def test_resolve_reports_mapping_problems_as_file_level_problems() -> None:
    headers = ["Nr", "Geslacht", "Geslacht", "Salaris", "Loon"]
    positions, sources, problems = resolve_mapping(
        headers,
        {"Nr": "employee_id", "Geslacht": "gender", "Salaris": "annual_base_salary",
         "Loon": "annual_base_salary", "Afdeling": "department"},
    )  # fmt: skip
    assert positions == {"employee_id": 0, "annual_base_salary": 3}
    assert sources["employee_id"] == "Nr"
    messages = sorted(str(p) for p in problems)
    assert messages == [
        "column Afdeling: is not in the file (check the column mapping)",
        "column Geslacht: appears 2 times in the header",
        "column Loon: and column Salaris are both mapped to annual_base_salary",
    ]
    assert all(p.row is None for p in problems)


def test_resolve_refuses_an_unknown_canonical_name() -> None:
    with pytest.raises(ValueError, match="unknown canonical column"):
        resolve_mapping(["a"], {"a": "salary"})
