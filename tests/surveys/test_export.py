"""Research export: k finished responses needed, no free text, numeric codes, codebook, SPSS."""

from __future__ import annotations

import io
import random
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse

from koers.instruments import visible_items
from koers.organisations.models import Role
from koers.surveys import export, services
from koers.surveys.models import Campaign


def _complete(campaign: Campaign, rng: random.Random, department: str | None = None) -> None:
    instrument = campaign.instrument()
    started = services.start_open_response(campaign, "nl")
    answers: dict[str, Any] = {}
    for section in instrument.sections:
        for item in visible_items(instrument, answers, section.id):
            if item.type == "scale":
                value: Any = rng.randint(1, 7)
            elif item.id == "work_status":
                value = "yes"  # so the work section (with the department question) is shown
            elif item.type == "choice":
                value = (
                    department
                    if item.id == "department" and department
                    else (rng.choice(item.options).value)
                )
            elif item.type == "number":
                value = item.min
            else:
                value = '=HYPERLINK("http://evil")'
            services.save_answer(started.response, instrument, item.id, value, 0)
            answers[item.id] = value
    services.finish_response(started.response, started.secret)


def test_an_export_needs_k_finished_responses(campaign: Campaign) -> None:
    rng = random.Random(1)
    for _ in range(4):
        _complete(campaign, rng)
    with pytest.raises(export.ExportRefused, match="at least 5"):
        export.build_export(campaign)


def test_the_export_has_items_scores_and_a_codebook_but_no_free_text(campaign: Campaign) -> None:
    rng = random.Random(2)
    for i in range(6):
        _complete(campaign, rng, department="R&D" if i < 3 else "Productie")
    built = export.build_export(campaign)
    data = built.data
    assert len(data) == 6
    assert list(data["respondent"]) == [1, 2, 3, 4, 5, 6]
    assert "title_other" not in data.columns  # free text is never exported
    assert "department" not in data.columns  # departments of 3 would be identifiable
    assert "score_extraversion" in data.columns
    instrument = campaign.instrument()
    item_ids = [i.id for i in instrument.scale_items("extraversion")]
    # Independent recomputation of one score: mean with reverse keys (8 − x).
    row = data.iloc[0]
    values = [
        8 - row[i] if instrument.item(i).reverse else row[i] for i in item_ids if pd.notna(row[i])
    ]
    assert row["score_extraversion"] == pytest.approx(sum(values) / len(values))
    assert set(built.codebook["variable"]) >= set(data.columns) - {"respondent"}
    assert all(pd.api.types.is_numeric_dtype(data[c]) for c in data.columns)


def test_a_department_with_k_respondents_each_is_kept(campaign: Campaign) -> None:
    rng = random.Random(3)
    for i in range(10):
        _complete(campaign, rng, department="R&D" if i < 5 else "Productie")
    data = export.build_export(campaign).data
    assert sorted(data["department"].value_counts().tolist()) == [5, 5]


def test_spreadsheet_formulas_are_neutralised() -> None:
    assert export.neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert export.neutralise("+31 6") == "'+31 6"
    assert export.neutralise("R&D") == "R&D"


def test_the_researcher_downloads_spss_with_value_labels(
    client: Any, member_of: Any, campaign: Campaign
) -> None:
    import pyreadstat

    rng = random.Random(4)
    for _ in range(5):
        _complete(campaign, rng)
    client.force_login(member_of(Role.RESEARCHER))
    url = reverse("campaign_export", kwargs={"org": "alpha", "pk": campaign.pk, "fmt": "sav"})
    response = client.get(url)
    assert response.status_code == 200
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".sav") as fh:
        fh.write(response.content)
        fh.flush()
        frame, meta = pyreadstat.read_sav(fh.name)
    assert len(frame) == 5
    assert meta.variable_value_labels["gender"]
    xlsx = client.get(url.replace(".sav", ".xlsx"))
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)
    assert set(sheets) == {"data", "codebook"}


@pytest.mark.parametrize("role", [Role.HR_ANALYST, Role.ADMIN, Role.MANAGER])
def test_only_researchers_export_rows(
    client: Any, member_of: Any, campaign: Campaign, role: str
) -> None:
    client.force_login(member_of(role))
    url = reverse("campaign_export", kwargs={"org": "alpha", "pk": campaign.pk, "fmt": "csv"})
    assert client.get(url).status_code == 403
