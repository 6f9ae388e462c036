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


def _complete(
    campaign: Campaign,
    rng: random.Random,
    department: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> None:
    instrument = campaign.instrument()
    overrides = overrides or {}
    started = services.start_open_response(campaign, "nl")
    answers: dict[str, Any] = {}
    for section in instrument.sections:
        for item in visible_items(instrument, answers, section.id):
            if item.id in overrides:
                value: Any = overrides[item.id]
            elif item.type == "scale":
                value = rng.randint(1, 7)
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
    # Every other background answer the same for all ten, so nothing but the department
    # itself decides whether it can be kept (random answers there made the outcome depend
    # on how many random numbers the scale items drew before them).
    same = {
        item.id: item.options[0].value
        for item in campaign.instrument().items
        if item.type == "choice" and item.id not in ("department", "work_status")
    }
    for i in range(10):
        _complete(campaign, rng, department="R&D" if i < 5 else "Productie", overrides=same)
    data = export.build_export(campaign).data
    assert sorted(data["department"].value_counts().tolist()) == [5, 5]


def _quasi_identifiers(campaign: Campaign) -> list[str]:
    """Background questions, decided here independently of export.py: every choice or number
    item outside the scales (the department question included)."""
    return [
        item.id
        for item in campaign.instrument().items
        if item.type in {"choice", "number"} and not item.scale
    ]


def test_no_respondent_is_unique_on_department_gender_and_age_or_any_background(
    org_a: Any, compass: Any
) -> None:
    """The review's attack: 30 people, exact age, gender and department made 25 rows unique."""
    campaign = Campaign.objects.create(
        organisation=org_a,
        name="Dertig",
        instrument_key=compass.key,
        instrument_version=compass.version,
        departments=["R&D", "Productie", "Service"],
    )
    rng = random.Random(30)
    for i in range(30):
        _complete(
            campaign,
            rng,
            department=["R&D", "Productie", "Service"][i % 3],
            overrides={"age": rng.randint(22, 63), "gender": rng.choice(["woman", "man", "man"])},
        )
    data = export.build_export(campaign).data
    attack = [c for c in ("department", "gender", "age") if c in data.columns]
    if attack:
        assert data.groupby(attack, dropna=False).size().min() >= 5
    quasi = [c for c in _quasi_identifiers(campaign) if c in data.columns]
    assert quasi  # something of the background is kept (gender at least, here)
    assert data.groupby(quasi, dropna=False).size().min() >= 5
    assert "score_extraversion" in data.columns  # content is untouched


def test_the_codebook_and_a_note_say_how_the_background_was_coarsened(
    org_a: Any, compass: Any
) -> None:
    campaign = Campaign.objects.create(
        organisation=org_a, name="Tien", instrument_key=compass.key, instrument_version=1
    )
    rng = random.Random(10)
    ages = [24, 26, 27, 28, 29, 41, 43, 44, 46, 48]
    for age in ages:
        _complete(campaign, rng, overrides={"age": age, "gender": "man"})
    built = export.build_export(campaign)
    book = built.codebook.set_index("variable")
    assert "age" in built.data.columns
    assert sorted(built.data["age"].value_counts().tolist()) == [5, 5]
    assert book.loc["age", "anonymisation"] == "in klassen van 5"
    assert built.value_labels["age"] == {20: "20–29", 40: "40–49"}
    dropped = [v for v in _quasi_identifiers(campaign) if v not in built.data.columns]
    assert dropped  # ten people with random backgrounds: most background questions go
    for variable in dropped:
        assert book.loc[variable, "anonymisation"].startswith("weggelaten")
    assert "5-anoniem" in built.note
    assert dropped[0] in built.note
    assert book.loc["score_extraversion", "anonymisation"] == ""


def test_spreadsheet_formulas_are_neutralised() -> None:
    assert export.neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert export.neutralise("+31 6") == "'+31 6"
    assert export.neutralise("R&D") == "R&D"


def test_the_researcher_downloads_spss_with_value_labels(
    client: Any, member_of: Any, campaign: Campaign, django_capture_on_commit_callbacks: Any
) -> None:
    import pyreadstat

    from tests.pdftext import fetch_pdf

    rng = random.Random(4)
    instrument = campaign.instrument()
    alike = {  # the same background for everyone, so the gender column can stay exact
        item.id: item.options[0].value if item.type == "choice" else item.min
        for item in instrument.items
        if item.type in {"choice", "number"} and not item.scale and item.id != "work_status"
    }
    for i in range(10):
        _complete(campaign, rng, overrides={**alike, "gender": "woman" if i < 5 else "man"})
    client.force_login(member_of(Role.RESEARCHER))
    url = reverse("campaign_export", kwargs={"org": "alpha", "pk": campaign.pk, "fmt": "sav"})
    # A background download (koers.jobs.downloads): start, then fetch from the job's page.
    response = fetch_pdf(client, url, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".sav") as fh:
        fh.write(response.content)
        fh.flush()
        frame, meta = pyreadstat.read_sav(fh.name)
    assert len(frame) == 10
    assert {1.0: "Vrouw", 2.0: "Man"}.items() <= meta.variable_value_labels["gender"].items()
    assert "5-anoniem" in " ".join(meta.notes)
    xlsx = fetch_pdf(client, url.replace(".sav", ".xlsx"), django_capture_on_commit_callbacks)
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)
    assert set(sheets) == {"data", "codebook", "note"}


@pytest.mark.parametrize("role", [Role.HR_ANALYST, Role.ADMIN, Role.MANAGER])
def test_only_researchers_export_rows(
    client: Any, member_of: Any, campaign: Campaign, role: str
) -> None:
    client.force_login(member_of(role))
    url = reverse("campaign_export", kwargs={"org": "alpha", "pk": campaign.pk, "fmt": "csv"})
    assert client.post(url).status_code == 403
