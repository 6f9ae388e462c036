from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.dialogue.deck import load_deck
from koers.dialogue.models import Audience
from koers.lib.forms import DescribedFields


def _theme_choices() -> list[tuple[str, str]]:
    from koers.dialogue.services import lang

    deck = load_deck()
    return [(key, deck.theme_label(key, lang())) for key in deck.themes]


class SessionForm(DescribedFields, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=120)
    team = forms.CharField(label=_("Team"), max_length=120)
    audience = forms.ChoiceField(
        label=_("Voor wie"),
        choices=Audience.choices,
        initial=Audience.EMPLOYEES,
        help_text=_(
            "Medewerkers en leidinggevenden praten apart, zodat iedereen vrijuit kan spreken."
        ),
    )
    mixed_on_purpose = forms.BooleanField(
        label=_("Ik wil medewerkers en leidinggevenden bewust samen laten praten"),
        required=False,
    )
    themes = forms.MultipleChoiceField(
        label=_("Thema's"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _theme_choices()
        field = self.fields["themes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        field.initial = [key for key, _label in choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == Audience.MIXED and not data.get("mixed_on_purpose"):
            self.add_error(
                "mixed_on_purpose",
                _("Vink aan dat je medewerkers en leidinggevenden bewust samen laat praten."),
            )
        return data


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Sessiecode"), max_length=20)


class SummaryForm(DescribedFields, forms.Form):
    themes = forms.CharField(
        label=_("Besproken thema's"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    actions = forms.CharField(
        label=_("Afgesproken acties"),
        help_text=_("Eén actie per regel, met wie hem oppakt."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
