"""Pure analyses of the research workspace (issue 21): the Compass report's chapters 6 and 7
reproduced on pooled Compass data. No Django; the app ``koers.research`` renders the
results. The interface is the contract in ``docs/research.md`` ("Analyses").

>>> from koers.stats.research import ANALYSES, run_analysis, simulate
>>> result = run_analysis("function-by-sector", simulate(400, seed=3), k=5)
>>> result.refused is None and result.n > 0
True
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np
import pandas as pd

from koers.stats.disclosure import check_k
from koers.stats.research import analyses as _a
from koers.stats.research.analyses import _DROPPED
from koers.stats.research.core import (
    COLUMNS,
    LEVELS,
    Analysis,
    Refusal,
    Result,
    Table,
    column_label,
    refused,
)
from koers.stats.research.simulate import DEFAULT_EFFECTS, NO_EFFECTS, simulate
from koers.stats.research.syntax import syntax

_log = logging.getLogger(__name__)

__all__ = [
    "ANALYSES",
    "COLUMNS",
    "DEFAULT_EFFECTS",
    "LEVELS",
    "NO_EFFECTS",
    "Analysis",
    "Result",
    "Table",
    "run_analysis",
    "simulate",
    "syntax",
]

_ALL = (
    Analysis(
        key="function-by-sector",
        title={
            "nl": "Technische functie × technische sector",
            "en": "Technical job × technical sector",
        },
        chapter="6.1",
        columns=("function_group", "sector_objective", "gender", "organisation"),
        run=_a.function_by_sector,
        summary={
            "nl": "De vier groepen (rapport: 37/31/12/20 %), χ²-toets en φ, en naar gender.",
            "en": "The four groups (report: 37/31/12/20 %), χ² test and φ, and by gender.",
        },
    ),
    Analysis(
        key="objective-subjective-sector",
        title={
            "nl": "Objectieve tegenover subjectieve sector",
            "en": "Objective versus subjective sector",
        },
        chapter="6.1",
        columns=("sector_objective", "sector_subjective", "organisation_type", "organisation"),
        run=_a.objective_subjective,
        summary={
            "nl": "Overeenstemming tussen landelijke indeling en eigen oordeel (Cohens κ).",
            "en": "Agreement of the national classification and one's own view (Cohen's κ).",
        },
    ),
    Analysis(
        key="income-hours-by-job-sector",
        title={
            "nl": "Inkomen en contracturen naar functie × sector",
            "en": "Income and hours by job × sector",
        },
        chapter="6.1",
        columns=(
            "function_group",
            "sector_objective",
            "gender",
            "age",
            "contract_hours",
            "education_level",
            "income_band",
            "organisation",
        ),
        run=_a.income_hours_by_job_sector,
        summary={
            "nl": "Ordinale regressie (inkomen) en OLS (uren) met de interactie functie × sector.",
            "en": "Ordinal regression (income) and OLS (hours) with the job × sector interaction.",
        },
    ),
    Analysis(
        key="income-hours-by-gender",
        title={"nl": "Inkomen en contracturen naar gender", "en": "Income and hours by gender"},
        chapter="7",
        columns=(
            "gender",
            "age",
            "contract_hours",
            "education_level",
            "income_band",
            "organisation",
        ),
        run=_a.income_hours_by_gender,
        summary={
            "nl": "Ordinale regressie voor inkomen, OLS voor uren, gecontroleerd.",
            "en": "Ordinal regression for income, OLS for hours, controlled.",
        },
    ),
    Analysis(
        key="profiles-by-background",
        title={
            "nl": "Profielen naar opleiding, cluster, functie, sector en gender",
            "en": "Profiles by institution, cluster, job, sector and gender",
        },
        chapter="6.3",
        columns=(
            "profile",
            "institution_type",
            "study_cluster",
            "function_group",
            "sector_objective",
            "gender",
            "organisation",
        ),
        run=_a.profiles_by_background,
        summary={
            "nl": "χ²-toetsen, Cramérs V en gestandaardiseerde residuen.",
            "en": "χ² tests, Cramér's V and standardised residuals.",
        },
    ),
    Analysis(
        key="scales-by-profile",
        title={
            "nl": "Verbondenheid en carrièreschalen naar profiel",
            "en": "Identification and career scales by profile",
        },
        chapter="6.4–6.5",
        columns=(
            "profile",
            "identification",
            "career_clarity",
            "career_commitment",
            "career_exploration",
            "age",
            "contract_hours",
            "function_group",
            "gender",
            "institution_type",
            "study_cluster",
            "organisation",
        ),
        run=_a.scales_by_profile,
        summary={
            "nl": "ANCOVA, gecorrigeerde gemiddelden en lettergroepen (Holm).",
            "en": "ANCOVA, adjusted means and letter groupings (Holm).",
        },
    ),
    Analysis(
        key="leave-by-profile",
        title={"nl": "Uitstroomneiging naar profiel", "en": "Intention to leave by profile"},
        chapter="6.6",
        columns=(
            "future_sector",
            "sector_objective",
            "profile",
            "study_cluster",
            "function_group",
            "gender",
            "organisation",
        ),
        run=_a.leave_by_profile,
        summary={
            "nl": "Logistische regressie: oddsratio's voor cluster en functie.",
            "en": "Logistic regression: odds ratios for cluster and job.",
        },
    ),
    Analysis(
        key="gender-stigma",
        title={
            "nl": "Genderstigma naar sector en man/vrouw-verhouding",
            "en": "Gender stigma by sector and gender ratio",
        },
        chapter="7",
        columns=(
            "gender",
            "gender_stigma",
            "sector_objective",
            "gender_ratio",
            "career_clarity",
            "age",
            "contract_hours",
            "organisation",
        ),
        run=_a.gender_stigma,
        summary={
            "nl": "Regressie met interacties, en de samenhang met carrière-duidelijkheid.",
            "en": "Regression with interactions, and the relation to career clarity.",
        },
    ),
)

ANALYSES: dict[str, Analysis] = {a.key: a for a in _ALL}


def run_analysis(key: str, frame: pd.DataFrame, k: int = 5) -> Result:
    """Run one analysis on the pooled frame; a Result with ``refused`` set (nl/en) when the
    data do not allow it: a :class:`Refusal` the analysis raises on purpose (too few people,
    a group empty after coarsening, a model that does not converge), a singular design
    (``np.linalg.LinAlgError``), or a failure after the design had to leave out constant or
    collinear columns (named in the reason). Any other exception is a fault of the analysis
    and propagates (the page logs it and answers 500). Unknown keys raise KeyError; a frame
    missing a needed column raises ValueError (the dataset builder's bug)."""
    analysis = ANALYSES[key]
    k = check_k(k)
    missing = [c for c in analysis.columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the pooled frame lacks column(s) {missing} needed by {key!r}")
    dropped: list[str] = []
    token = _DROPPED.set(dropped)
    try:
        result = analysis.run(frame, k)
    except Refusal as refusal:  # too few people, a group empty after coarsening, ...
        return refused(key, len(frame), refusal.reason)
    except np.linalg.LinAlgError as error:
        # A singular design or information matrix (models.fit_linear raises it on purpose):
        # the (coarsened) data cannot identify the model. Refuse, say why.
        _log.warning("research analysis %s: singular design on its data: %r", key, error)
        return refused(key, len(frame), _failure_reason(dropped))
    except Exception as error:
        if not dropped:
            raise  # a fault of the analysis, not of the data: the caller logs and says so
        # The design left out constant or collinear columns (the effect of interest among
        # them, say) and the analysis could not go on without them: a refusal naming them.
        # Kept with its traceback: it may also be an analysis that mishandles a left-out
        # column.
        _log.warning(
            "research analysis %s failed after leaving out %s: %r",
            key,
            dropped,
            error,
            exc_info=True,
        )
        return refused(key, len(frame), _failure_reason(dropped))
    finally:
        _DROPPED.reset(token)
    result = replace(
        result,
        tables=[
            replace(t, columns=[column_label(c) if isinstance(c, str) else c for c in t.columns])
            for t in result.tables
        ],
    )
    if dropped and not result.refused:
        note = _dropped_note(dropped)
        result = replace(
            result,
            methods={
                lang: f"{result.methods.get(lang, '')} {note[lang]}".strip()
                for lang in ("nl", "en")
            },
        )
    return result


# Words for the design columns the models may leave out (common._design).
_TERMS: dict[str, dict[str, str]] = {
    "age": {"nl": "leeftijd", "en": "age"},
    "contract_hours": {"nl": "contracturen", "en": "contract hours"},
    "income_band": {"nl": "inkomensklasse", "en": "income band"},
    "wo": {"nl": "opleidingsniveau (hbo/wo)", "en": "education (hbo/wo)"},
    "woman": {"nl": "gender", "en": "gender"},
    "non_technical_job": {"nl": "functie (technisch of niet)", "en": "job (technical or not)"},
    "f": {"nl": "functie (technisch of niet)", "en": "job (technical or not)"},
    "technical_sector": {"nl": "sector", "en": "sector"},
    "cluster_2": {"nl": "studiecluster", "en": "study cluster"},
    "c": {"nl": "studiecluster", "en": "study cluster"},
    "gender_ratio": {"nl": "genderverhouding", "en": "gender ratio"},
    "gender_stigma": {"nl": "genderstigma", "en": "gender stigma"},
}


def _term(name: str, language: str) -> str:
    if name in _TERMS:
        return _TERMS[name][language]
    if name.startswith("profile["):
        return ("profiel " if language == "nl" else "profile ") + name[8:-1]
    if ":" in name:
        return " × ".join(_term(part, language) for part in name.split(":"))
    return name


def _names(dropped: list[str], language: str) -> str:
    return ", ".join(dict.fromkeys(_term(d, language) for d in dropped))


def _dropped_note(dropped: list[str]) -> dict[str, str]:
    return {
        "nl": "Weggelaten uit het model omdat ze in deze (voor anonimiteit grover gemaakte) "
        f"gegevens constant zijn of samenvallen met andere variabelen: {_names(dropped, 'nl')}.",
        "en": "Left out of the model because they are constant or collinear with other "
        f"variables in these data (coarsened for anonymity): {_names(dropped, 'en')}.",
    }


def _failure_reason(dropped: list[str]) -> dict[str, str]:
    if dropped:
        return {
            "nl": "Deze analyse kan op deze gegevens niet worden berekend: in de (voor "
            "anonimiteit grover gemaakte) gegevens zijn deze variabelen constant of vallen ze "
            f"samen met andere: {_names(dropped, 'nl')}.",
            "en": "This analysis cannot be computed on these data: in the data (coarsened for "
            "anonymity) these variables are constant or collinear with others: "
            f"{_names(dropped, 'en')}.",
        }
    return {
        "nl": "Deze analyse kan op deze gegevens niet worden berekend: het model is niet te "
        "schatten (bijvoorbeeld doordat de gegevens voor anonimiteit grover zijn gemaakt).",
        "en": "This analysis cannot be computed on these data: the model cannot be estimated "
        "(for example because the data were coarsened for anonymity).",
    }
