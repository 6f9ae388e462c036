"""The analyses of chapters 6 and 7 of the Compass report, one function each.

Source: "Mind the Gap!" (University of Twente and Saxion, 2016),
``shared/seeds/001_8baae205fba51f5d.txt``, chapter 6 (sub-questions 1, 3, 4, 5 and 6) and
chapter 7 (women in technology). Each function takes the pooled frame (the contract's
columns) and the minimum group size k and returns a :class:`Result`; it raises
:class:`Refusal` when the groups are too small (:func:`run_analysis` turns that into a
refused Result). Counts in tables pass :func:`koers.stats.disclosure.suppress_table`
(rules 1–2 on every row and column); a percentage, mean or residual of a hidden count is
hidden with it. Groups (levels) with fewer than k people are left out of a model and the
table note says so, without their size.

The analyses live in one module per part of the report; this module gathers them under
their old names, and ``koers.stats.research`` registers them in ``ANALYSES``:

- :mod:`koers.stats.research.crosstabs`: function × sector, objective versus subjective
  sector, and profiles by background (χ² tests);
- :mod:`koers.stats.research.regressions`: income and hours by gender and by job × sector;
- :mod:`koers.stats.research.scales`: identification and career scales by profile (ANCOVA);
- :mod:`koers.stats.research.leaving`: intention to leave, and gender stigma;
- :mod:`koers.stats.research.common`: the helpers several of them share.
"""

from __future__ import annotations

from koers.stats.research.common import (
    _DROPPED,
    GROUP4_LABELS,
    GROUPS4,
    _chi_statistic,
    _column_shares,
    _complete,
    _counts,
    _crosstab,
    _crosstab_table,
    _design,
    _fit_linear,
    _fit_logit,
    _fit_ordinal,
    _float,
    _is,
    _left_out_note,
    _odds_statistic,
    _share_table,
    _str,
    _two_levels,
)
from koers.stats.research.core import Result
from koers.stats.research.crosstabs import (
    PROFILE_BY,
    PROFILE_BY_NAMES,
    _org_type,
    function_by_sector,
    objective_subjective,
    profiles_by_background,
)
from koers.stats.research.leaving import gender_stigma, leave_by_profile
from koers.stats.research.regressions import (
    _wo,
    income_hours_by_gender,
    income_hours_by_job_sector,
)
from koers.stats.research.scales import (
    SCALE_LABELS,
    SCALES,
    Ancova,
    _covariates,
    ancova,
    scales_by_profile,
)

__all__ = [
    # the analyses, in the report's order, and what they are built from
    "function_by_sector",
    "objective_subjective",
    "income_hours_by_job_sector",
    "income_hours_by_gender",
    "profiles_by_background",
    "scales_by_profile",
    "leave_by_profile",
    "gender_stigma",
    "Ancova",
    "ancova",
    "Result",
    "GROUP4_LABELS",
    "GROUPS4",
    "PROFILE_BY",
    "PROFILE_BY_NAMES",
    "SCALE_LABELS",
    "SCALES",
    # helpers, under the names they had when this was one module
    "_DROPPED",
    "_chi_statistic",
    "_column_shares",
    "_complete",
    "_counts",
    "_covariates",
    "_crosstab",
    "_crosstab_table",
    "_design",
    "_fit_linear",
    "_fit_logit",
    "_fit_ordinal",
    "_float",
    "_is",
    "_left_out_note",
    "_odds_statistic",
    "_org_type",
    "_share_table",
    "_str",
    "_two_levels",
    "_wo",
]
