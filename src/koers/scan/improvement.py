"""Improvement areas ("Verbeterpunten"): rules as data, evaluated on the scan's metrics.

The rules live in ``data/improvement_rules.yaml``: a condition on the metrics,
the reasons women leave tech it points to (the four of the VHTO whitepaper in
``shared/seeds/000_…``), the measures that address them, and the source. This
module loads and checks that file and evaluates it; it is pure (no Django).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from koers.scan import numbers

RULES_FILE = Path(__file__).resolve().parent / "data" / "improvement_rules.yaml"
OPERATORS = ("above", "below", "at_least", "at_most")

# Every metric build_context() provides, with its unit (for formatting in texts):
# share = fraction 0..1 shown as %, points = difference of fractions, pct = percent,
# count = whole number, euro = amount.
METRICS: dict[str, str] = {
    "n_staff": "count",
    "n_female": "count",
    "n_male": "count",
    "female_share": "share",
    "pipeline_lower_share": "share",
    "pipeline_upper_share": "share",
    "pipeline_drop": "points",
    "management_female_share": "share",
    "management_n": "count",
    "management_n_female": "count",
    "headcount_start_female": "count",
    "headcount_start_male": "count",
    "hires_female": "count",
    "hires_total": "count",
    "hires_female_share": "share",
    "leavers_female": "count",
    "leavers_male": "count",
    "outflow_rate_female": "share",
    "outflow_rate_male": "share",
    "promotions_female": "count",
    "promotions_male": "count",
    "promotion_rate_female": "share",
    "promotion_rate_male": "share",
    "part_time_share_female": "share",
    "part_time_share_male": "share",
    "leavers_part_time": "count",
    "leavers_full_time": "count",
    "outflow_rate_part_time": "share",
    "outflow_rate_full_time": "share",
    "training_per_fte_female": "euro",
    "training_per_fte_male": "euro",
    "training_gap_pct": "pct",
    "variable_share_female": "share",
    "variable_share_male": "share",
    "mean_gap_pct": "pct",
    "median_gap_pct": "pct",
    "adjusted_gap_pct": "pct",
    "adjusted_ci_low": "pct",
    "adjusted_ci_high": "pct",
    "n_categories": "count",
    "n_flagged_categories": "count",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class RuleError(ValueError):
    """The rules file is malformed; the message names the rule and what is wrong."""


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    other: str | float
    by: float = 0.0

    def holds(self, metrics: Mapping[str, float | None]) -> bool:
        left = metrics.get(self.metric)
        right = metrics.get(self.other) if isinstance(self.other, str) else self.other
        if left is None or right is None:
            return False
        if self.op == "above":
            return float(left) > float(right) + self.by
        if self.op == "below":
            return float(left) < float(right) - self.by
        if self.op == "at_least":
            return float(left) >= float(right) + self.by
        return float(left) <= float(right) - self.by


@dataclass(frozen=True)
class Rule:
    id: str
    conditions: tuple[Condition, ...]
    title: dict[str, str]
    finding: dict[str, str]
    reasons: tuple[str, ...]
    measures: tuple[str, ...]
    source: dict[str, str]

    def fires(self, metrics: Mapping[str, float | None]) -> bool:
        return all(c.holds(metrics) for c in self.conditions)


@dataclass(frozen=True)
class Catalogue:
    seed: str
    reasons: dict[str, dict[str, str]]
    measures: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]


def _text(entry: Any, where: str) -> dict[str, str]:
    if not isinstance(entry, dict) or not entry.get("nl") or not entry.get("en"):
        raise RuleError(f"{where}: needs a Dutch (nl) and an English (en) text")
    return {"nl": str(entry["nl"]), "en": str(entry["en"])}


def _condition(raw: Any, where: str) -> Condition:
    if not isinstance(raw, dict) or raw.get("metric") not in METRICS:
        raise RuleError(f"{where}: condition needs a known metric, got {raw!r}")
    ops = [op for op in OPERATORS if op in raw]
    if len(ops) != 1:
        raise RuleError(f"{where}: condition needs exactly one of {', '.join(OPERATORS)}")
    other = raw[ops[0]]
    if isinstance(other, str) and other not in METRICS:
        raise RuleError(f"{where}: unknown metric {other!r}")
    if not isinstance(other, str | int | float):
        raise RuleError(f"{where}: compare with a number or a metric, got {other!r}")
    value: str | float = other if isinstance(other, str) else float(other)
    return Condition(str(raw["metric"]), ops[0], value, float(raw.get("by", 0.0)))


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Check and build the catalogue from the YAML's data (every error names its rule)."""
    reasons = {
        k: {**_text(v, f"reason {k}"), "section": str(v.get("section", ""))}
        for k, v in dict(data.get("reasons") or {}).items()
    }
    measures = {
        k: {**_text(v, f"measure {k}"), "section": str(v.get("section", ""))}
        for k, v in dict(data.get("measures") or {}).items()
    }
    rules = []
    seen: set[str] = set()
    for raw in data.get("rules") or []:
        rule_id = str(raw.get("id", ""))
        where = f"rule {rule_id or '?'}"
        if not rule_id or rule_id in seen:
            raise RuleError(f"{where}: every rule needs a unique id")
        seen.add(rule_id)
        conditions = tuple(_condition(c, where) for c in raw.get("when") or [])
        if not conditions:
            raise RuleError(f"{where}: needs at least one condition under 'when'")
        finding = _text(raw.get("finding"), f"{where} finding")
        for text in finding.values():
            unknown = set(_PLACEHOLDER.findall(text)) - set(METRICS)
            if unknown:
                raise RuleError(f"{where}: unknown placeholders {sorted(unknown)}")
        rule_reasons = tuple(raw.get("reasons") or [])
        rule_measures = tuple(raw.get("measures") or [])
        if not rule_reasons or set(rule_reasons) - set(reasons):
            raise RuleError(f"{where}: reasons must be some of {sorted(reasons)}")
        if not rule_measures or set(rule_measures) - set(measures):
            raise RuleError(f"{where}: measures must be some of {sorted(measures)}")
        source = dict(raw.get("source") or {})
        if not source.get("quote") or not source.get("section"):
            raise RuleError(f"{where}: source needs a section and a quote from the seed")
        source.setdefault("file", str(data.get("seed", "")))
        rules.append(
            Rule(
                id=rule_id,
                conditions=conditions,
                title=_text(raw.get("title"), f"{where} title"),
                finding=finding,
                reasons=rule_reasons,
                measures=rule_measures,
                source={k: str(v) for k, v in source.items()},
            )
        )
    return Catalogue(str(data.get("seed", "")), reasons, measures, tuple(rules))


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Catalogue:
    with path.open(encoding="utf-8") as fh:
        return parse_catalogue(yaml.safe_load(fh))


def format_metric(name: str, value: float | None, lang: str) -> str:
    kind = METRICS.get(name, "count")
    if value is None:
        return "?"
    if kind == "share":
        return numbers.format_share(value, lang)
    if kind == "points":
        return numbers.format_points(value, lang)
    if kind == "pct":
        return numbers.format_percent(value, lang)
    if kind == "euro":
        return numbers.format_euro(value, lang, places=0)
    return numbers.format_count(value, lang)


def evaluate(
    catalogue: Catalogue, metrics: Mapping[str, float | None], lang: str = "nl"
) -> list[dict[str, Any]]:
    """The findings of every rule that fires, in the file's order, texts in ``lang``."""
    lang = "en" if (lang or "nl").startswith("en") else "nl"
    findings = []
    for rule in catalogue.rules:
        if not rule.fires(metrics):
            continue
        text = _PLACEHOLDER.sub(
            lambda m: format_metric(m[1], metrics.get(m[1]), lang), rule.finding[lang]
        )
        findings.append(
            {
                "id": rule.id,
                "title": rule.title[lang],
                "text": text,
                "reasons": [{"id": r, "label": catalogue.reasons[r][lang]} for r in rule.reasons],
                "measures": [
                    {"id": m, "title": catalogue.measures[m][lang]} for m in rule.measures
                ],
                "source": rule.source,
            }
        )
    return findings


def seed_quotes(catalogue: Catalogue) -> Sequence[tuple[str, str, str]]:
    """``(rule or entry, seed file, text that must occur in it)`` for the source test."""
    items: list[tuple[str, str, str]] = []
    for rule in catalogue.rules:
        items.append((rule.id, rule.source["file"], rule.source["quote"]))
        items.append((rule.id, rule.source["file"], rule.source["section"]))
    for key, entry in {**catalogue.reasons, **catalogue.measures}.items():
        if entry.get("section"):
            items.append((key, catalogue.seed, entry["section"]))
    return items
