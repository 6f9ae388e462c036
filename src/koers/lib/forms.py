"""Form fields that say what is wrong where a screen reader looks for it.

A form using :class:`DescribedFields` links each field to its help text and, after a failed
submit, to its error message (``aria-describedby``) and marks it ``aria-invalid``, so the
message is read with the field (WCAG 3.3.1 and 1.3.1). The template gives the texts those ids:
``<p id="{{ field.auto_id }}-help">`` and ``<p id="{{ field.auto_id }}-error">``
(``templates/_field.html`` does both); the error summary above the form
(``templates/_error_summary.html``) links to each field.
"""

from __future__ import annotations

from typing import Any

from django import forms


class DescribedFields(forms.BaseForm):
    """Mixin for a Form or ModelForm: help and error ids on each field's widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def add_error(self, field: str | None, error: Any) -> None:
        # A view may add an error after validation (a code that matches no report): the
        # field is then described again, so that error is linked too.
        super().add_error(field, error)
        self._describe()

    def _auto_id(self, name: str) -> str:
        # As BoundField.auto_id, without creating (and caching) the bound field: a form may
        # still change a field's label after this mixin's __init__.
        html_name = self.add_prefix(name)
        if self.auto_id and "%s" in str(self.auto_id):
            return str(self.auto_id) % html_name
        return html_name if self.auto_id else ""

    def _describe(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            auto_id = self._auto_id(name)
            ids = [f"{auto_id}-help"] if field.help_text else []
            attrs = field.widget.attrs
            if name in errors:
                ids.append(f"{auto_id}-error")
                attrs["aria-invalid"] = "true"
            else:
                attrs.pop("aria-invalid", None)
            if ids:
                attrs["aria-describedby"] = " ".join(ids)
            else:
                attrs.pop("aria-describedby", None)
