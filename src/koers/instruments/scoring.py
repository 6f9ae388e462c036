"""Build the scoring key that ``koers.stats.scales`` uses from an instrument.

``koers.stats`` never imports the instruments module; this is the one place
where a definition becomes plain :class:`~koers.stats.scales.ScaleKey` data.
The import of ``koers.stats.scales`` (numpy, pandas, scipy) is deferred to the
call, so rendering a questionnaire does not load the statistics stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from koers.instruments.definition import Instrument

if TYPE_CHECKING:
    from koers.stats.scales import ScaleKey

__all__ = ["scoring_key"]


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
