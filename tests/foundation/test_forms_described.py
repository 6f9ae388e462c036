"""Every form of Koers links its help and errors to its fields (koers.lib.forms.DescribedFields).

The test imports every module of Koers that defines a form class and walks all subclasses of
Django's ``BaseForm`` defined in Koers: each must use ``DescribedFields`` (WCAG 1.3.1 and
3.3.1: a screen reader reads the error with the field, ``aria-invalid`` marks it).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from django import forms

from koers.lib.forms import DescribedFields

SRC = Path(__file__).resolve().parents[2] / "src" / "koers"
FORM_CLASS = re.compile(r"^class \w+\([^)]*Form\b[^)]*\):", re.M)

# Forms that cannot take the mixin, each with the reason. Empty: every form of Koers does.
ALLOWED_WITHOUT: dict[str, str] = {}


def _form_modules() -> list[str]:
    names = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or not FORM_CLASS.search(path.read_text(encoding="utf-8")):
            continue
        relative = path.relative_to(SRC.parent).with_suffix("")
        names.append(".".join(relative.parts))
    return names


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_every_form_of_koers_uses_described_fields() -> None:
    modules = _form_modules()
    assert "koers.web.audit_views" in modules  # a form outside a forms.py is found too
    for name in modules:
        importlib.import_module(name)
    koers_forms = {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("koers.") and cls is not DescribedFields
    }
    assert len(koers_forms) > 30, sorted(koers_forms)
    missing = sorted(
        name
        for name, cls in koers_forms.items()
        if not issubclass(cls, DescribedFields) and name not in ALLOWED_WITHOUT
    )
    assert missing == [], f"forms without DescribedFields: {missing}"
    assert set(ALLOWED_WITHOUT) <= set(koers_forms), "an allowed form no longer exists"


def test_a_label_set_after_the_mixins_init_is_the_one_shown() -> None:
    from koers.accounts.forms import ThrottledAuthenticationForm

    form = ThrottledAuthenticationForm()
    assert form["username"].label == "E-mailadres"
    assert 'for="id_username"' in form["username"].label_tag()
