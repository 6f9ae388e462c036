"""The inclusion summary for the works council and all employees, and its public link.

The summary says per scale, in plain words, how women and men differ, and what the
organisation will do about it (the action plan, through the ``plan_actions`` hook). It shows
a subset of what the HR page shows (:func:`koers.inclusion.services.results_context`, the
same stored release plan of each round): gaps of the whole organisation, changes between
rounds, and breakdown groups only where that plan shows them. Never item shares,
reliability, open answers or their themes (DESIGN.md: free text is not shown beyond HR).

A gap is "clear" when its 95 % interval excludes 0 (as on the HR page) *and* it holds when
the round's scales are tested together (Holm 1979, ``koers.stats.significance.holm``):
twelve scales at 5 % each would otherwise name a chance gap in about half of the rounds
without any real difference. Its size in words follows Hedges' g with Cohen's (1988)
conventions (0.2 small, 0.5 medium, 0.8 large).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers.inclusion import services
from koers.inclusion.models import SummaryLink
from koers.lib import codes, hooks
from koers.organisations.models import Organisation
from koers.stats.significance import holm

DOMAIN = "inclusion-summary"


# --- the public link --------------------------------------------------------------------


def link_of(organisation: Organisation) -> SummaryLink:
    link: SummaryLink = SummaryLink.objects.get_or_create(organisation=organisation)[0]
    return link


def link_secret(link: SummaryLink) -> str | None:
    """The secret of an enabled link (for showing the link again), else None."""
    if not link.enabled or not link.secret_encrypted:
        return None
    return codes.decrypt_secret(link.secret_encrypted)


def enable_link(organisation: Organisation) -> str:
    """Switch the link on with a fresh secret (any earlier link stays dead); the secret."""
    secret = codes.new_secret()
    with transaction.atomic():
        link = link_of(organisation)
        link.secret_hash = codes.keyed_hash(DOMAIN, secret)
        link.secret_encrypted = codes.encrypt_secret(secret)
        link.enabled, link.changed = True, timezone.now()
        link.save()
    return secret


def disable_link(organisation: Organisation) -> None:
    """Switch the link off: its secret is forgotten, so it can never open the page again."""
    link = link_of(organisation)
    link.secret_hash, link.secret_encrypted = "", ""
    link.enabled, link.changed = False, timezone.now()
    link.save()


def find_link(secret: str) -> SummaryLink | None:
    """The enabled link with this secret (also one made under a former link key)."""
    if not secret:
        return None
    query = SummaryLink.objects.select_related("organisation").filter(enabled=True)
    found = query.filter(secret_hash=codes.keyed_hash(DOMAIN, secret)).first()
    if found is None and codes.adopt_former_hash(SummaryLink, "secret_hash", DOMAIN, secret):
        found = query.filter(secret_hash=codes.keyed_hash(DOMAIN, secret)).first()
    return found


# --- the summary ------------------------------------------------------------------------


def size_word(g: float | None) -> str:
    """Hedges' g in words (Cohen 1988: 0.2 small, 0.5 medium, 0.8 large)."""
    if g is None:
        return ""
    size = abs(g)
    if size < 0.2:
        return _("een heel klein verschil")
    if size < 0.5:
        return _("een klein verschil")
    if size < 0.8:
        return _("een middelgroot verschil")
    return _("een groot verschil")


def gap_sentence(row: dict[str, Any]) -> str:
    """One shown scale row of the HR page in plain words."""
    label = str(row["label"]).lower()
    if row.get("worse_for_women") is None:
        return _("Op %(scale)s is er geen duidelijk verschil tussen vrouwen en mannen.") % {
            "scale": label
        }
    lower = row["gap"]["difference"] < 0
    sentence = (
        _("Vrouwen scoren duidelijk lager dan mannen op %(scale)s")
        if lower
        else _("Vrouwen scoren duidelijk hoger dan mannen op %(scale)s")
    ) % {"scale": label}
    size = size_word((row.get("effect") or {}).get("g"))
    whom = _("ongunstiger voor vrouwen") if row["worse_for_women"] else _("ongunstiger voor mannen")
    if size:
        return _("%(sentence)s (%(size)s): %(whom)s.") % {
            "sentence": sentence,
            "size": size,
            "whom": whom,
        }
    return _("%(sentence)s: %(whom)s.") % {"sentence": sentence, "whom": whom}


def trend_sentence(row: dict[str, Any]) -> str | None:
    """A change between rounds in words, only when it is larger than its uncertainty."""
    if not row.get("shown") or not row.get("marked"):
        return None
    words = {"scale": str(row["label"]).lower(), "before": row["before"], "after": row["after"]}
    if row.get("narrowed"):
        return (
            _("Het verschil op %(scale)s is duidelijk kleiner geworden (%(before)s → %(after)s).")
            % words
        )
    return (
        _("Het verschil op %(scale)s is duidelijk groter geworden (%(before)s → %(after)s).")
        % words
    )


def _actions(organisation: Organisation) -> list[hooks.PlanLine]:
    lines: list[hooks.PlanLine] = []
    for implementation in hooks.plan_actions.implementations():
        lines += implementation(organisation)
    return [line for line in lines if line.status != "stopped"]


def build_summary(organisation: Organisation) -> dict[str, Any]:
    """The summary's context: the latest closed round in words, and the plan's actions.

    Reads :func:`services.results_context` (the release plan stored per round) and keeps
    only what the page may show beyond HR.
    """
    context = services.results_context(organisation)
    summary: dict[str, Any] = {"actions": _actions(organisation), "latest": None, "trend": []}
    if context["latest"] is not None:
        summary.update(in_words(context, context["instrument"], (get_language() or "nl")[:2]))
    return summary


def in_words(context: dict[str, Any], instrument: Any, language: str) -> dict[str, Any]:
    """The HR page's context (:func:`koers.inclusion.results.build_context`) in plain words:
    only shown whole-organisation gaps, marked changes and shown groups."""
    latest = context["latest"]
    scale_label = {s.id: s.label.get(language) for s in instrument.scales}
    function_type = {
        o.value: o.label.get(language) for o in instrument.item("function_type").options
    }

    def labelled(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "label": scale_label.get(row["scale"], row["scale"])}

    gaps = [labelled(row) for row in latest["scales"]]
    # Holm over the round's shown scales: a gap the family does not hold is not "clear".
    tested = [r for r in gaps if r["shown"] and r["gap"].get("p_value") is not None]
    held = {
        r["scale"]
        for r, ok in zip(tested, holm([r["gap"]["p_value"] for r in tested]), strict=True)
        if ok
    }
    gaps = [
        r
        if r["scale"] in held or r.get("worse_for_women") is None
        else {**r, "worse_for_women": None}
        for r in gaps
    ]
    # Per group only the scales that differ clearly in the whole organisation: twelve scales
    # times every group would otherwise name a few chance differences (the demo's 2026 round
    # shows one), and a summary for everyone should not.
    clear_overall = {r["scale"] for r in gaps if r["shown"] and r["worse_for_women"] is not None}
    groups = []
    for column, cells in latest["breakdowns"].items():
        for cell in cells:
            # A group whose gaps are all withheld (one gender under k) is left out: "no
            # clear difference" would be a claim the figures cannot make.
            if not cell["shown"] or not any(row["shown"] for row in cell["scales"]):
                continue
            clear = [
                gap_sentence(labelled(row))
                for row in cell["scales"]
                if row["shown"]
                and row["scale"] in clear_overall
                and row.get("worse_for_women") is not None
            ]
            name = function_type.get(cell["value"], cell["value"])
            groups.append(
                {"column": column, "value": cell["value"], "name": name, "sentences": clear}
            )
    words: dict[str, Any] = {}
    words["latest"] = {
        "label": latest["label"],
        "n_all": latest["n_all"],
        "n_women": latest["n_women"],
        "n_men": latest["n_men"],
        "clear": [gap_sentence(r) for r in gaps if r["shown"] and r["worse_for_women"]],
        "clear_men": [
            gap_sentence(r) for r in gaps if r["shown"] and r["worse_for_women"] is False
        ],
        "no_difference": [r["label"] for r in gaps if r["shown"] and r["worse_for_women"] is None],
        "not_shown": [r["label"] for r in gaps if not r["shown"]],
        "groups": groups,
    }
    words["trend"] = [s for s in (trend_sentence(labelled(row)) for row in context["trend"]) if s]
    return words
