"""Which measures to suggest for an organisation, from its findings, and why. Pure.

The rules (``docs/action-plan.md`` explains them to users):

1. A measure is suggested only when a finding it lists (``findings`` in
   ``data/measures.yaml``) is present with a strength above 0. Nothing else makes a
   measure urgent: an organisation without findings gets no suggestions, and the page
   says so instead of inventing priorities.
2. Its score is the sum of the strengths of those findings (a Gender Scan finding
   counts 1, a signal worth watching ½; :data:`STRENGTH`), so a
   measure that answers two findings ranks above one that answers one.
3. Ties go to the measure that addresses more of the leaving reasons the findings
   point to, then to the lower effort, then to the catalogue's order.
4. Measures already in the plan stay in the ranking, marked ``in_plan``: the plan never
   changes the order, only the mark.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from koers.plan.catalogue import EFFORTS, Catalogue, Measure, known_findings, load_catalogue

# The strength of a Gender Scan improvement area by its level (koers.scan.improvement):
# a group too small to judge ("too_small") is no finding at all.
STRENGTH = {"finding": 1.0, "signal": 0.5}


def scan_strengths(scan_findings: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """``{rule id: strength}`` from the Gender Scan's evaluated improvement areas."""
    return {
        str(f["id"]): STRENGTH[str(f["level"])] for f in scan_findings if f["level"] in STRENGTH
    }


@dataclass(frozen=True)
class Because:
    """One finding that makes a measure relevant."""

    finding: str  # the finding code
    strength: float
    reasons: tuple[str, ...]  # the leaving reasons the finding and the measure share


@dataclass(frozen=True)
class Recommendation:
    measure: Measure
    score: float
    because: tuple[Because, ...]  # strongest first
    reasons: tuple[str, ...]  # the leaving reasons it addresses that the findings point to
    in_plan: bool


@dataclass(frozen=True)
class Recommendations:
    items: tuple[Recommendation, ...]
    findings: Mapping[str, float]  # the findings it was computed from (strength > 0)
    unmatched: tuple[str, ...]  # findings no measure in the catalogue lists

    @property
    def no_findings(self) -> bool:
        return not self.findings


def _as_strengths(findings: Mapping[str, float] | Iterable[str]) -> dict[str, float]:
    pairs: Iterable[tuple[Any, Any]]
    if isinstance(findings, Mapping):
        pairs = findings.items()
    else:
        pairs = ((code, 1.0) for code in findings)
    strengths: dict[str, float] = {}
    for code, strength in pairs:
        value = float(strength)
        if value != value or value < 0:  # NaN or negative
            raise ValueError(f"finding {code!r}: strength must be 0 or more, got {strength!r}")
        if value > 0:
            strengths[str(code)] = value
    return strengths


def recommend(
    findings: Mapping[str, float] | Iterable[str],
    *,
    planned: Iterable[str] = (),
    catalogue: Catalogue | None = None,
    finding_reasons: Mapping[str, tuple[str, ...]] | None = None,
) -> Recommendations:
    """Rank the catalogue's measures for these findings (codes, or code → strength).

    ``planned`` are the measure ids already in the organisation's plan.
    """
    catalogue = catalogue or load_catalogue()
    finding_reasons = known_findings() if finding_reasons is None else finding_reasons
    strengths = _as_strengths(findings)
    planned_ids = frozenset(planned)
    order = {m.id: i for i, m in enumerate(catalogue.measures)}

    ranked: list[tuple[tuple[float, int, int, int], Recommendation]] = []
    for measure in catalogue.measures:
        present = [code for code in measure.findings if code in strengths]
        if not present:
            continue
        because = tuple(
            sorted(
                (
                    Because(
                        code,
                        strengths[code],
                        tuple(r for r in measure.reasons if r in finding_reasons.get(code, ())),
                    )
                    for code in present
                ),
                key=lambda b: (-b.strength, measure.findings.index(b.finding)),
            )
        )
        reasons = tuple(r for r in measure.reasons if any(r in b.reasons for b in because))
        score = sum(b.strength for b in because)
        item = Recommendation(measure, score, because, reasons, measure.id in planned_ids)
        key = (-score, -len(reasons), EFFORTS.index(measure.effort), order[measure.id])
        ranked.append((key, item))
    ranked.sort(key=lambda pair: pair[0])
    listed = {code for m in catalogue.measures for code in m.findings}
    return Recommendations(
        items=tuple(item for _, item in ranked),
        findings=dict(sorted(strengths.items())),
        unmatched=tuple(sorted(set(strengths) - listed)),
    )
