"""The extension points (koers.lib.hooks): every app plugs in through its extensions.py."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from koers.lib import hooks

SRC = Path(__file__).resolve().parents[2] / "src" / "koers"


def test_the_built_in_apps_register_their_jobs_retention_rules_and_demos() -> None:
    kinds = {kind for kind, _ in hooks.job_handlers.items()}
    assert {
        "email",
        "selfcheck",
        "surveys.send_invitations",
        "scan.read",
        "scan.import",
        "compass.fit_model",
        "download",
    } <= kinds
    builders = {name for name, _ in hooks.download_builders.items()}
    assert {
        "scan.report",
        "compass.teamscan",
        "surveys.export.csv",
        "surveys.export.xlsx",
        "surveys.export.sav",
    } == builders
    rules = dict(hooks.retention_rules.items())
    assert set(rules) == {
        "audit_log",
        "member_invitations",
        "survey_answers",
        "hr_snapshots",
        "hr_replaced_snapshots",
        "reports",
        "applicants",
        "appraisals",
        "pay_information_requests",
        "dialogue_sessions",
        "dialogue_flexibility",
        "research_access_log",
        "generated_pdfs",
    }
    assert rules["hr_snapshots"].setting == "KOERS_RETAIN_HR_MONTHS"
    assert rules["hr_replaced_snapshots"].unit == "days"
    # Demo loaders run in INSTALLED_APPS order: the compass demo answers the campaign
    # that the surveys demo creates.
    modules = [loader.__module__ for loader in hooks.demo_loaders.implementations()]
    assert modules == [
        "koers.surveys.demo",
        "koers.scan.demo",
        "koers.compass.demo",  # the generated respondents
        "koers.compass.demo",  # a partial report shared with HR
        "koers.reportbox.demo",
        "koers.recruitment.demo",
        "koers.recruitment.appraisal_demo",
        "koers.paytransparency.demo",  # after the scan's demo: it reads the snapshot
        "koers.plan.demo",
        "koers.targets.demo",
        "koers.inclusion.demo",  # two closed rounds of the inclusion survey
        "koers.dialogue.demo",
        "koers.dialogue.demo",  # a fair-flexibility register with requests
        "koers.research.demo",  # after the compass demo: its respondents consent
        "koers.programme.demo",  # after scan, plan and targets: the demo org shares them
    ]


def test_a_name_taken_by_another_implementation_is_refused() -> None:
    hook: hooks.NamedHook[Any] = hooks.NamedHook("example")
    first, second = (lambda job: {}), (lambda job: {})
    hook.register("kind", first)
    hook.register("kind", first)  # the same twice: harmless
    with pytest.raises(ValueError, match="'kind' is registered twice"):
        hook.register("kind", second)
    assert hook.get("kind") is first
    with pytest.raises(LookupError, match="nothing registered for 'other'"):
        hook.get("other")


def test_a_list_hook_keeps_order_and_ignores_a_repeat() -> None:
    hook: hooks.Hook[Any] = hooks.Hook("example")
    a, b = object(), object()
    for item in (a, b, a):
        hook.register(item)
    assert hook.implementations() == (a, b)
    with hook.replaced(b):
        assert hook.implementations() == (b,)
    assert hook.implementations() == (a, b)


def test_without_a_personal_report_a_respondent_finishes_on_the_thank_you_page() -> None:
    from koers.surveys.models import Campaign, Response
    from koers.surveys.respond_views import _after_finish

    slot = "0123456789abcdef"
    compass = Response(campaign=Campaign(instrument_key="career_compass", instrument_version=2))
    inclusion = Response(campaign=Campaign(instrument_key="inclusion", instrument_version=1))
    assert _after_finish(compass, slot) == reverse("compass_report", kwargs={"slot": slot})
    assert _after_finish(inclusion, slot) == reverse("respond_done", kwargs={"slot": slot})
    with hooks.respondent_report.replaced():
        assert _after_finish(compass, slot) == reverse("respond_done", kwargs={"slot": slot})


def _module_level_calls(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call):
            names.append(ast.unparse(call.func))
    return names


def test_only_extensions_modules_register_anything_at_import() -> None:
    """A new app copies what it finds: no list appended to, no decorator registering."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "extensions.py":
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for call in _module_level_calls(tree):
            if call.startswith("hooks.") or call.endswith(".append"):
                offenders.append(f"{path.relative_to(SRC)}: {call}")
        if "hooks." in text and ".register(" in text and path.name != "hooks.py":
            offenders.append(f"{path.relative_to(SRC)}: registers outside extensions.py")
    assert offenders == []
