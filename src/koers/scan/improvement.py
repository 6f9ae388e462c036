"""Improvement areas ("Verbeterpunten"): rules as data, evaluated on the scan's metrics.

The rules live in ``data/improvement_rules.yaml``: conditions on the metrics
(is the difference *material*), the evidence to weigh (a test or an interval:
could the difference be chance), the reasons women leave tech it points to
(the four of the VHTO whitepaper in ``shared/seeds/000_…``), the measures that
address them, and the source. A rule whose conditions hold reports a
**finding** when its evidence is strong (p < 0.05 one-sided, or the interval
excludes no difference) and a **signal worth watching** when it is not: at 25
women and 75 men a promotion rate 2 points lower is chance about a third of
the time (issue 13; ``tests/scan/test_false_alarms.py``). This module loads and
checks that file and evaluates it; it is pure (no Django).
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
from koers.scan.evidence import EVIDENCE_METRICS
from koers.stats import significance

RULES_FILE = Path(__file__).resolve().parent / "data" / "improvement_rules.yaml"
OPERATORS = ("above", "below", "at_least", "at_most")
ALPHA = 0.05  # one-sided level of the tests: a finding is reported when p < ALPHA
LEVELS = ("finding", "signal", "too_small")
# The group (or, for a rate, the events) whose size decides whether a test can judge:
# its n is shown with a "too small" verdict.
GROUP_OPERAND = {"proportion_lower": "n_a", "subset_lower": "n", "rate_higher": "events"}
# Each test and the operands it takes (a metric name, or a list of metric names to add).
TESTS: dict[str, tuple[str, ...]] = {
    # Fisher's exact test, one-sided: x_a / n_a lower than x_b / n_b.
    "proportion_lower": ("x_a", "n_a", "x_b", "n_b"),
    # Exact conditional test of two Poisson rates, one-sided: events_a / exposure_a higher.
    "rate_higher": ("events_a", "exposure_a", "events_b", "exposure_b"),
    # Hypergeometric: x of n fewer than a blind draw from successes of population gives.
    "subset_lower": ("x", "n", "successes", "population"),
    # An interval (low, high) of a gap that lies entirely above 0.
    "interval_above_zero": ("low", "high"),
    # A count of tested items (e.g. categories that survive a test) of at least 1.
    "count_positive": ("count",),
}

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
    **EVIDENCE_METRICS,  # the counts and intervals behind the figures (koers.scan.evidence)
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


Operand = str | tuple[str, ...]


def _value(metrics: Mapping[str, float | None], operand: Operand) -> float | None:
    names = (operand,) if isinstance(operand, str) else operand
    values = [metrics.get(name) for name in names]
    if any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))


@dataclass(frozen=True)
class Evidence:
    """How a rule weighs its evidence: a test from :data:`TESTS` on metric operands."""

    test: str
    operands: dict[str, Operand]
    texts: dict[str, dict[str, str]]  # level -> {nl, en}

    def group_n(self, metrics: Mapping[str, float | None]) -> int | None:
        """The size that decides whether the test can judge (see :data:`GROUP_OPERAND`)."""
        if self.test == "rate_higher":
            a, b = (
                _value(metrics, self.operands["events_a"]),
                _value(metrics, self.operands["events_b"]),
            )
            return None if a is None or b is None else round(a + b)
        name = GROUP_OPERAND.get(self.test)
        value = None if name is None else _value(metrics, self.operands[name])
        return None if value is None else round(value)

    def too_small(self, x: Mapping[str, float]) -> bool:
        """Even the most extreme outcome would not be a finding: the group cannot be judged.

        With the test's margins fixed, the most extreme outcome is no woman in
        the group (Fisher, hypergeometric) or every event in group a (rates).
        If even that has ``p ≥ ALPHA``, a difference in this group says nothing:
        "0 of 1 women in management" is what chance gives 3 times in 4.
        """
        p: float | None
        if self.test == "proportion_lower":
            total = round(x["x_a"] + x["x_b"])
            n_b = round(x["n_b"])
            p = significance.proportion_lower_p(0, round(x["n_a"]), min(total, n_b), n_b)
        elif self.test == "subset_lower":
            p = significance.subset_lower_p(
                0, round(x["n"]), round(x["successes"]), round(x["population"])
            )
        elif self.test == "rate_higher":
            events = round(x["events_a"] + x["events_b"])
            p = significance.rate_higher_p(events, x["exposure_a"], 0, x["exposure_b"])
        else:
            return False
        return p is None or p >= ALPHA

    def weigh(self, metrics: Mapping[str, float | None]) -> tuple[str, float | None]:
        """``(level, p)``: "finding" when the evidence is strong, "too_small" when the
        group is too small for any outcome to be strong evidence, else "signal".

        Evidence that cannot be weighed (a count suppressed for the viewer) is
        never strong: the rule then reports a signal.
        """
        v = {name: _value(metrics, operand) for name, operand in self.operands.items()}
        if any(x is None for x in v.values()):
            return "signal", None
        x = {name: float(value or 0.0) for name, value in v.items()}
        p: float | None
        if self.too_small(x):
            return "too_small", None
        if self.test == "interval_above_zero":
            return ("finding" if x["low"] > 0 else "signal"), None
        if self.test == "count_positive":
            return ("finding" if x["count"] >= 1 else "signal"), None
        if self.test == "proportion_lower":
            p = significance.proportion_lower_p(
                round(x["x_a"]), round(x["n_a"]), round(x["x_b"]), round(x["n_b"])
            )
        elif self.test == "rate_higher":
            p = significance.rate_higher_p(
                round(x["events_a"]), x["exposure_a"], round(x["events_b"]), x["exposure_b"]
            )
        else:
            p = significance.subset_lower_p(
                round(x["x"]), round(x["n"]), round(x["successes"]), round(x["population"])
            )
        if p is None:
            return "signal", None
        return ("finding" if p < ALPHA else "signal"), p


@dataclass(frozen=True)
class Rule:
    id: str
    conditions: tuple[Condition, ...]
    title: dict[str, str]
    finding: dict[str, str]
    reasons: tuple[str, ...]
    measures: tuple[str, ...]
    source: dict[str, str]
    evidence: Evidence | None = None
    # Sentences added to the finding text only when their condition holds.
    notes: tuple[tuple[Condition, dict[str, str]], ...] = ()

    def fires(self, metrics: Mapping[str, float | None]) -> bool:
        """The difference is past its materiality threshold (a finding or a signal)."""
        return all(c.holds(metrics) for c in self.conditions)

    def level(self, metrics: Mapping[str, float | None]) -> tuple[str, float | None]:
        """``(level, p)`` of a rule that fires; a rule without evidence is a signal."""
        if self.evidence is None:
            return "signal", None
        return self.evidence.weigh(metrics)


@dataclass(frozen=True)
class Catalogue:
    seed: str
    reasons: dict[str, dict[str, str]]
    measures: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]


def _check_placeholders(text: str, where: str, extra: tuple[str, ...] = ()) -> None:
    unknown = set(_PLACEHOLDER.findall(text)) - set(METRICS) - set(extra)
    if unknown:
        raise RuleError(f"{where}: unknown placeholders {sorted(unknown)}")


def _operand(raw: Any, where: str) -> Operand:
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not names or any(n not in METRICS for n in names):
        raise RuleError(f"{where}: an operand is a known metric or a list of them, got {raw!r}")
    return str(names[0]) if isinstance(raw, str) else tuple(str(n) for n in names)


def _note(raw: Any, where: str) -> tuple[Condition, dict[str, str]]:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: a note is {{when: condition, nl: text, en: text}}")
    text = _text(raw, where)
    for value in text.values():
        _check_placeholders(value, where)
    return _condition(raw.get("when"), where), text


def _evidence(raw: Any, where: str, defaults: Mapping[str, Any]) -> Evidence:
    if not isinstance(raw, dict) or raw.get("test") not in TESTS:
        raise RuleError(f"{where}: evidence needs a test, one of {', '.join(TESTS)}")
    test = str(raw["test"])
    needed = TESTS[test]
    missing = [name for name in needed if name not in raw]
    if missing:
        raise RuleError(f"{where}: test {test} needs {', '.join(missing)}")
    operands = {name: _operand(raw[name], f"{where} {name}") for name in needed}
    texts: dict[str, dict[str, str]] = {}
    for level in LEVELS:
        entry = raw.get(level) or (defaults.get(test) or {}).get(level)
        if level == "too_small" and test not in GROUP_OPERAND:
            continue  # an interval or a count is never "too small": it is None then
        texts[level] = _text(entry, f"{where} evidence {level} text")
        for text in texts[level].values():
            _check_placeholders(text, where, ("p", "n"))
    return Evidence(test, operands, texts)


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
            _check_placeholders(text, where)
        # An empty list says on purpose that the source links the rule to no reason.
        rule_reasons = tuple(raw.get("reasons") or [])
        rule_measures = tuple(raw.get("measures") or [])
        if raw.get("reasons") is None or set(rule_reasons) - set(reasons):
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
                evidence=None
                if raw.get("evidence") is None
                else _evidence(raw["evidence"], where, data.get("evidence_texts") or {}),
                notes=tuple(_note(n, f"{where} note") for n in raw.get("notes") or []),
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


def format_p(p: float | None, lang: str) -> str:
    """A p-value as a plain chance: "11 %", "0,4 %", "minder dan 0,1 %"."""
    if p is None:
        return "?"
    if p < 0.001:
        return ("less than " if lang == "en" else "minder dan ") + numbers.format_share(0.001, lang)
    places = 0 if p >= 0.095 else 1
    return numbers.format_share(p, lang, places=places)


def _fill(
    text: str,
    metrics: Mapping[str, float | None],
    lang: str,
    p: float | None,
    n: int | None = None,
) -> str:
    def one(name: str) -> str:
        if name == "p":
            return format_p(p, lang)
        if name == "n":
            return format_metric("n", n, lang)
        return format_metric(name, metrics.get(name), lang)

    return _PLACEHOLDER.sub(lambda m: one(m[1]), text)


def evaluate(
    catalogue: Catalogue, metrics: Mapping[str, float | None], lang: str = "nl"
) -> list[dict[str, Any]]:
    """Every rule that fires, in the file's order, texts in ``lang``.

    Each item has ``level`` ("finding": the evidence is strong; "signal": the
    difference is past the threshold but could well be chance; "too_small": the
    group is so small that no outcome could be strong evidence), ``n`` (the
    size of that group, or of the events for a rate), ``p`` (the
    test's one-sided p-value, None for an interval or a count) and
    ``evidence`` (a sentence that says how sure the figure is).
    """
    lang = "en" if (lang or "nl").startswith("en") else "nl"
    findings = []
    for rule in catalogue.rules:
        if not rule.fires(metrics):
            continue
        level, p = rule.level(metrics)
        text = " ".join(
            [rule.finding[lang]]
            + [note[lang] for condition, note in rule.notes if condition.holds(metrics)]
        )
        text = _fill(text, metrics, lang, p)
        evidence = ""
        n = None
        if rule.evidence is not None:
            n = rule.evidence.group_n(metrics)
            evidence = _fill(rule.evidence.texts[level][lang], metrics, lang, p, n)
        findings.append(
            {
                "id": rule.id,
                "level": level,
                "p": p,
                "n": n,
                "evidence": evidence,
                "title": rule.title[lang],
                "text": text,
                "reasons": [{"id": r, "label": catalogue.reasons[r][lang]} for r in rule.reasons],
                "measures": [
                    {"id": m, "title": catalogue.measures[m][lang]} for m in rule.measures
                ],
                "source": rule.source,
                # The whitepaper is Dutch: the original stays, an English page adds this.
                "quote_translation": rule.source.get("quote_en", "") if lang == "en" else "",
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
