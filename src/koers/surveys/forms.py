from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from koers.instruments import load_shipped_instruments
from koers.lib.forms import DescribedFields
from koers.surveys.models import Campaign


def _instrument_choices() -> list[tuple[str, str]]:
    shipped = load_shipped_instruments()
    return [
        (f"{inst.key}:{inst.version}", f"{inst.title.get('nl')} (v{inst.version})")
        for inst in sorted(shipped.values(), key=lambda i: (i.key, i.version))
        if inst.published
    ]


class CampaignForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    instrument = forms.ChoiceField(label=_("Vragenlijst"))
    departments_text = forms.CharField(
        label=_("Afdelingen (optioneel, één per regel)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Respondenten kiezen zelf hun afdeling (niet verplicht). Alleen zo ontstaan "
            "teamoverzichten; uitnodigingen dragen nooit een afdeling."
        ),
    )

    class Meta:
        model = Campaign
        fields = ["name", "name_en", "intro", "intro_en", "mode", "opens_on", "closes_on"]
        widgets = {
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "intro": forms.Textarea(attrs={"rows": 3}),
            "intro_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        assert isinstance(instrument, forms.ChoiceField)
        instrument.choices = _instrument_choices()

    def clean_departments_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["departments_text"].splitlines()]
        departments = list(dict.fromkeys(line for line in lines if line))
        if len(departments) == 1:
            raise ValidationError(_("Geef minstens twee afdelingen, of laat het veld leeg."))
        return departments

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("De sluitdatum ligt vóór de openingsdatum."))
        return data

    def save(self, commit: bool = True) -> Campaign:
        campaign: Campaign = super().save(commit=False)
        key, _sep, version = self.cleaned_data["instrument"].partition(":")
        campaign.instrument_key, campaign.instrument_version = key, int(version)
        campaign.departments = self.cleaned_data["departments_text"]
        if commit:
            campaign.save()
        return campaign


class InviteForm(DescribedFields, forms.Form):
    """Addresses, one per line. Bad lines do not block the good ones: the view shows them
    (line number and why) and sends the good addresses after a confirmation."""

    emails = forms.CharField(
        label=_("E-mailadressen (één per regel)"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n").splitlines()
        emails: list[str] = []
        seen: dict[str, int] = {}
        self.bad_lines: list[tuple[int, str, str]] = []
        for number, line in enumerate(raw, start=1):
            line = line.strip()
            if not line:
                continue
            key = line.lower()
            if key in seen:
                self.bad_lines.append(
                    (number, line, str(_("staat al op regel %(n)d")) % {"n": seen[key]})
                )
                continue
            try:
                validate_email(line)
            except ValidationError:
                reason = (
                    _("er ontbreekt een @")
                    if "@" not in line
                    else _("geen geldig e-mailadres (controleer spaties en de punt na het domein)")
                )
                self.bad_lines.append((number, line, str(reason)))
                continue
            seen[key] = number
            emails.append(line)
        if not emails:
            raise ValidationError(
                _("Geen enkele regel is een geldig e-mailadres. Vul minstens één adres in.")
            )
        return emails
