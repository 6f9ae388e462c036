"""Exports of the pooled dataset (CSV, SPSS, R) and the R/SPSS syntax per analysis."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from koers.stats.research import ANALYSES, COLUMNS, LEVELS, simulate, syntax
from koers.stats.research.export import coded, to_csv, to_r, to_sav
from koers.stats.research.syntax import code


@pytest.fixture
def frame() -> pd.DataFrame:
    data = simulate(120, seed=1)
    data.loc[0, "respondent"] = "=HYPERLINK(1)"
    return data


def test_the_csv_holds_every_column_and_value(frame: pd.DataFrame) -> None:
    back = pd.read_csv(io.BytesIO(to_csv(frame)), encoding="utf-8-sig")
    assert list(back.columns) == list(COLUMNS)
    assert back.loc[0, "respondent"] == "'=HYPERLINK(1)"
    assert back.gender.tolist() == frame.gender.astype(str).tolist()
    np.testing.assert_allclose(back.identification, frame.identification)
    assert back.income_band.isna().sum() == frame.income_band.isna().sum()
    assert back.profile.isna().sum() == frame.profile.isna().sum()


def test_the_sav_file_has_codes_value_labels_and_variable_labels(frame: pd.DataFrame) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "r.sav")
        with open(path, "wb") as fh:
            fh.write(to_sav(frame))
        data, meta = pyreadstat.read_sav(path)
    assert list(data.columns) == list(COLUMNS)
    assert meta.variable_value_labels["gender"][1.0] == "woman"
    expected = frame.gender.astype(str).map(lambda v: LEVELS["gender"].index(v) + 1)
    assert data.gender.tolist() == expected.astype(float).tolist()
    assert "Gender stigma" in meta.column_names_to_labels["gender_stigma"]
    assert data.respondent[1] == frame.respondent[1]


def test_the_r_export_is_a_zip_with_data_and_a_loader_naming_the_levels(
    frame: pd.DataFrame,
) -> None:
    with zipfile.ZipFile(io.BytesIO(to_r(frame))) as archive:
        assert sorted(archive.namelist()) == ["data.csv", "load.R"]
        load = archive.read("load.R").decode()
    assert 'd$gender <- factor(d$gender, levels = c("woman", "man", "other"))' in load
    assert "d$profile <- factor(d$profile" in load
    assert "respondent <- factor" not in load


def test_a_value_outside_the_known_levels_gets_the_next_code() -> None:
    data = simulate(50, seed=2)
    data["job_category"] = data.job_category.astype(object)
    data.loc[0, "job_category"] = "astronaut"
    _, labels = coded(data)
    assert labels["job_category"][float(len(LEVELS["job_category"]) + 1)] == "astronaut"


@pytest.mark.parametrize("key", list(ANALYSES))
def test_every_analysis_has_r_and_spss_syntax(key: str) -> None:
    r = syntax(key, "r")
    spss = syntax(key, "spss")
    assert r.startswith('source("load.R")')
    assert "GET FILE='research.sav'." in spss
    # every SPSS command ends with a period
    commands = [c for c in spss.split(".\n") if c.strip() and not c.startswith("*")]
    assert commands


def test_the_spss_codes_are_the_sav_exports(frame: pd.DataFrame) -> None:
    data, labels = coded(frame)
    for column, values in LEVELS.items():
        for value in values:
            assert labels[column][float(code(column, value))] == value
    assert f"future_sector = {code('future_sector', 'non_technical')}" in syntax(
        "leave-by-profile", "spss"
    )


def test_an_unknown_language_is_an_error() -> None:
    with pytest.raises(ValueError, match="'r' or 'spss'"):
        syntax("function-by-sector", "stata")
