from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.dialogue.costs import Assumptions, Choice
from koers.dialogue.deck import load_deck
from koers.dialogue.models import Audience, FlexGender, FlexKind, FlexOutcome, FlexReason, Format
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
    format = forms.ChoiceField(
        label=_("Werkvorm"), choices=Format.choices, initial=Format.ROUND_TABLE
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


class JoinForm(DescribedFields, forms.Form):
    code = forms.CharField(
        label=_("Sessiecode"),
        help_text=_("6 tekens"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


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


class CostsForm(DescribedFields, forms.Form):
    """The cost-of-choices calculator: every assumption editable, its source beside it."""

    full_time_salary = forms.DecimalField(
        label=_("Bruto jaarsalaris bij een volledige werkweek (euro)"),
        help_text=_("Met vakantiegeld. Staat op je loonstrook of in je arbeidsvoorwaarden."),
        min_value=0,
        max_value=10_000_000,
        decimal_places=2,
        initial=50000,
    )
    full_time_hours = forms.DecimalField(
        label=_("Uren van een volledige werkweek"), min_value=1, max_value=60, initial=40
    )
    current_hours = forms.DecimalField(
        label=_("Uren die je nu werkt"), min_value=0, max_value=60, initial=40
    )
    new_hours = forms.DecimalField(
        label=_("Uren die je zou gaan werken"), min_value=0, max_value=60, initial=32
    )
    years_fewer_hours = forms.IntegerField(
        label=_("Hoeveel jaar minder uren"), min_value=0, max_value=45, initial=5
    )
    unpaid_leave_months = forms.IntegerField(
        label=_("Maanden onbetaald verlof (vanaf het begin)"),
        min_value=0,
        max_value=60,
        initial=0,
    )
    horizon_years = forms.IntegerField(
        label=_("Over hoeveel jaar rekenen"), min_value=1, max_value=45, initial=10
    )
    franchise = forms.DecimalField(
        label=_("Franchise (euro)"),
        help_text=_(
            "Bron: Wet op de loonbelasting 1964, art. 18a: de laagste franchise die mag bij "
            "een middelloonregeling met 1,875 procent opbouw, elk jaar geïndexeerd (bedrag voor "
            "2025). Controleer het bedrag van dit jaar en de franchise van je eigen regeling "
            "in het pensioenreglement."
        ),
        min_value=0,
        max_value=100_000,
        initial=18475,
    )
    accrual_rate = forms.DecimalField(
        label=_("Opbouwpercentage per jaar (procent)"),
        help_text=_(
            "Bron: Wet op de loonbelasting 1964, art. 18a: hoogstens 1,875 procent per jaar "
            "bij een middelloonregeling; veel fondsen bouwen minder op. 1,75 procent is een "
            "voorbeeld: kijk in je pensioenreglement."
        ),
        min_value=0,
        max_value=3,
        initial=Decimal("1.75"),
    )
    real_growth = forms.DecimalField(
        label=_("Loonstijging per jaar boven de inflatie (procent)"),
        help_text=_("Een aanname, geen bron. Vul in wat bij jou past."),
        min_value=-10,
        max_value=20,
        initial=1,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        full = data.get("full_time_hours")
        for name in ("current_hours", "new_hours"):
            if full is not None and data.get(name) is not None and data[name] > full:
                self.add_error(name, _("Meer uren dan een volledige werkweek kan niet."))
        return data

    def choice(self) -> Choice:
        data = self.cleaned_data
        full = data["full_time_hours"]
        return Choice(
            full_time_salary=data["full_time_salary"],
            current_fraction=data["current_hours"] / full,
            new_fraction=data["new_hours"] / full,
            years_fewer_hours=data["years_fewer_hours"],
            unpaid_leave_months=data["unpaid_leave_months"],
            horizon_years=data["horizon_years"],
            assumptions=Assumptions(
                franchise=data["franchise"],
                accrual_rate=data["accrual_rate"] / 100,
                real_growth=data["real_growth"] / 100,
            ),
        )


class FlexRequestForm(DescribedFields, forms.Form):
    """One decided request for the fair-flexibility register (no name, no number)."""

    team = forms.CharField(label=_("Team"), max_length=120)
    kind = forms.ChoiceField(label=_("Soort flexibiliteit"), choices=FlexKind.choices)
    outcome = forms.ChoiceField(
        label=_("Besluit"), choices=FlexOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=FlexReason.choices,
        help_text=_(
            "Bij toekennen: waarom het past. Bij afwijzen: de zakelijke reden. "
            "Het overzicht telt alleen de redenen van afwijzingen."
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender van wie het vroeg"),
        choices=FlexGender.choices,
        initial=FlexGender.OTHER,
        help_text=_(
            "Alleen voor de vergelijking vrouwen en mannen, die pas verschijnt bij genoeg "
            "verzoeken per groep."
        ),
    )
    decided_on = forms.DateField(
        label=_("Datum van het besluit"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Toelichting (optioneel)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Alleen voor jezelf, niemand anders ziet dit. Schrijf geen naam en niets "
            "waaraan iemand te herkennen is."
        ),
    )

    def clean_decided_on(self) -> Any:
        from django.utils import timezone

        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Leg een besluit vast als het genomen is, niet ervoor."))
        return day

    def clean(self) -> dict[str, Any]:
        from koers.dialogue.flexibility import GRANT_REASONS, REFUSAL_REASONS

        data = super().clean() or {}
        outcome, reason = data.get("outcome"), data.get("reason")
        if outcome and reason:
            allowed = GRANT_REASONS if outcome == FlexOutcome.GRANTED else REFUSAL_REASONS
            if reason not in allowed:
                self.add_error("reason", _("Kies een reden die bij dit besluit past."))
        return data
