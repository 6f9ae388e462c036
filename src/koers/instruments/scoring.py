"""Build the scoring key that ``koers.stats.scales`` uses from an instrument.

``koers.stats`` never imports the instruments module; this is the one place
where a definition becomes plain :class:`~koers.stats.scales.ScaleKey` data.
The import of ``koers.stats.scales`` (numpy, pandas, scipy) is deferred to the
call, so rendering a questionnaire does not load the statistics stack.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from koers.instruments.definition import Instrument, Scale

if TYPE_CHECKING:
    from koers.stats.scales import ScaleKey

__all__ = ["scoring_key", "unscored_scales"]


def scoring_key(
    instrument: Instrument,
    *,
    kind: str | None = None,
    min_answered_share: float | None = None,
) -> dict[str, ScaleKey]:
    """Scale id -> :class:`ScaleKey` for every scale (or only ``kind`` "facet"/"scale").

    ``min_answered_share`` defaults to ``koers.stats.scales.MIN_ANSWERED_SHARE``
    (0.5). Example: ``score_scales(responses, scoring_key(compass, kind="facet"))``
    gives the facet scores that are the profile model's inputs.
    """
    from koers.stats.scales import MIN_ANSWERED_SHARE, ScaleKey

    share = MIN_ANSWERED_SHARE if min_answered_share is None else min_answered_share
    key: dict[str, ScaleKey] = {}
    for scale in instrument.scales:
        if kind is not None and scale.kind != kind:
            continue
        items = instrument.scale_items(scale.id)
        response_scale = items[0].response_scale
        # The loader guarantees every scale has items on one response scale.
        assert response_scale is not None
        key[scale.id] = ScaleKey(
            items=tuple(item.id for item in items),
            reverse_items=frozenset(item.id for item in items if item.reverse),
            response_min=float(response_scale.min),
            response_max=float(response_scale.max),
            min_answered_share=share,
        )
    return key


def unscored_scales(
    instrument: Instrument, answers: Mapping[str, Any], *, min_answered_share: float | None = None
) -> list[Scale]:
    """The scales that would get no score from ``answers`` (item id -> value) now.

    A scale is scored when at least ``ceil(share * k)`` of its ``k`` items are answered
    (never fewer than one), the rule of ``koers.stats.scales.score_scales``; the review
    page says before finishing which scales the report will lack.
    """
    from koers.stats.scales import MIN_ANSWERED_SHARE

    share = MIN_ANSWERED_SHARE if min_answered_share is None else min_answered_share
    out = []
    for scale in instrument.scales:
        items = instrument.scale_items(scale.id)
        answered = sum(answers.get(item.id) not in (None, "") for item in items)
        if answered < max(1, math.ceil(share * len(items) - 1e-9)):
            out.append(scale)
    return out
