"""The forms of the research workspace: proposing a project, adding a member."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.research.models import ProjectMember


class ProposalForm(DescribedFields, forms.Form):
    title = forms.CharField(label=_("Titel van het project"), max_length=200)
    research_question = forms.CharField(
        label=_("Onderzoeksvraag"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat wil je weten, en waarom zijn daar gepoolde Kompas-gegevens voor nodig?"),
    )
    institution = forms.CharField(
        label=_("Instelling"),
        max_length=200,
        help_text=_("De universiteit, hogeschool of het instituut waar het onderzoek valt."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    planned_end = forms.DateField(
        label=_("Geplande einddatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tot wanneer je de gegevens nodig hebt (jjjj-mm-dd)."),
    )
    data_needed = forms.CharField(
        label=_("Welke gegevens je nodig hebt"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kort: welke vragen, schalen of achtergrondgegevens, en waarvoor."),
    )
    ethics_reference = forms.CharField(
        label=_("Kenmerk van de ethische goedkeuring"),
        max_length=200,
        help_text=_(
            "Het kenmerk dat de ethische commissie van je instelling gaf, "
            "bijvoorbeeld ETC-2026-041."
        ),
    )

    def clean_planned_end(self) -> Any:
        day = self.cleaned_data["planned_end"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Kies een einddatum in de toekomst."), code="past")
        return day


class MemberForm(DescribedFields, forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Het e-mailadres van een bestaand Koers-account."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=ProjectMember.Role.choices,
        initial=ProjectMember.Role.RESEARCHER,
        help_text=_("Een projectleider kan zelf ook leden toevoegen en weghalen."),
    )
