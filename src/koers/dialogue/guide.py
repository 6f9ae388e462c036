"""The parent guide (Ouderwijzer): rules, checklists per role and a conversation guide,
kept as data (``data/parent_guide.yaml``) with a source and a "last checked" date per rule.

Pure Python (no Django). A rule's ``status`` is ``ok`` (the reviewer is confident of it as
written) or ``check`` (a figure or article must be confirmed at the source first); the page
marks the second kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

GUIDE_FILE = Path(__file__).parent / "data" / "parent_guide.yaml"
LANGUAGES = ("nl", "en")
STATUSES = ("ok", "check")


class GuideError(ValueError):
    """The guide file is incomplete; the message names the rule and what is missing."""


@dataclass(frozen=True)
class Rule:
    key: str
    topic: str
    title: dict[str, str]
    rule: dict[str, str]
    good_practice: dict[str, str]
    source_title: str
    source_url: str
    checked: dt.date
    status: str


@dataclass(frozen=True)
class Guide:
    topics: dict[str, dict[str, str]]
    rules: tuple[Rule, ...]
    checklists: dict[str, dict[str, Any]]
    phases: dict[str, dict[str, str]]
    conversation: tuple[dict[str, str], ...]


def _texts(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(str(raw.get(lang) or "").strip() for lang in LANGUAGES):
        raise GuideError(f"{where}: needs a text in {' and '.join(LANGUAGES)}")
    return {lang: str(raw[lang]).strip() for lang in LANGUAGES}


def parse_guide(data: dict[str, Any]) -> Guide:
    topics = {key: _texts(value, f"topic {key}") for key, value in data["topics"].items()}
    phases = {key: _texts(value, f"phase {key}") for key, value in data["phases"].items()}
    rules = []
    for raw in data["rules"]:
        key = str(raw.get("key") or "")
        where = f"rule {key!r}"
        if raw.get("topic") not in topics:
            raise GuideError(f"{where}: unknown topic {raw.get('topic')!r}")
        source = raw.get("source") or {}
        if not str(source.get("title") or "").strip():
            raise GuideError(f"{where}: no source")
        url = str(source.get("url") or "")
        if url and not url.startswith("https://"):
            raise GuideError(f"{where}: the source address must start with https://")
        checked = raw.get("checked")
        if not isinstance(checked, dt.date):
            raise GuideError(f"{where}: no 'checked' date (YYYY-MM-DD)")
        if raw.get("status") not in STATUSES:
            raise GuideError(f"{where}: status must be one of {', '.join(STATUSES)}")
        rules.append(
            Rule(
                key=key,
                topic=raw["topic"],
                title=_texts(raw.get("title"), where),
                rule=_texts(raw.get("rule"), where),
                good_practice=_texts(raw.get("good_practice"), where),
                source_title=str(source["title"]).strip(),
                source_url=url,
                checked=checked,
                status=raw["status"],
            )
        )
    checklists = {}
    for role, raw in data["checklists"].items():
        items = []
        for item in raw["items"]:
            if item.get("phase") not in phases:
                raise GuideError(f"checklist {role}: unknown phase {item.get('phase')!r}")
            items.append({"phase": item["phase"], **_texts(item, f"checklist {role}")})
        checklists[role] = {"label": _texts(raw["label"], f"checklist {role}"), "items": items}
    conversation = tuple(_texts(q, "conversation") for q in data["conversation"])
    return Guide(topics, tuple(rules), checklists, phases, conversation)


@cache
def load_guide(path: Path = GUIDE_FILE) -> Guide:
    with path.open(encoding="utf-8") as handle:
        return parse_guide(yaml.safe_load(handle))


def guide_context(lang: str) -> dict[str, Any]:
    """The page's content in ``lang``: topics with their rules, checklists by phase."""
    guide = load_guide()
    topics = [
        {
            "label": labels[lang],
            "rules": [
                {
                    "key": r.key,
                    "title": r.title[lang],
                    "rule": r.rule[lang],
                    "good_practice": r.good_practice[lang],
                    "source_title": r.source_title,
                    "source_url": r.source_url,
                    "checked": r.checked,
                    "to_check": r.status == "check",
                }
                for r in guide.rules
                if r.topic == topic
            ],
        }
        for topic, labels in guide.topics.items()
    ]
    checklists = [
        {
            "label": checklist["label"][lang],
            "phases": [
                {
                    "label": phase_labels[lang],
                    "items": [i[lang] for i in checklist["items"] if i["phase"] == phase],
                }
                for phase, phase_labels in guide.phases.items()
            ],
        }
        for checklist in guide.checklists.values()
    ]
    return {
        "topics": topics,
        "checklists": checklists,
        "conversation": [q[lang] for q in guide.conversation],
        "last_checked": max(r.checked for r in guide.rules),
    }
