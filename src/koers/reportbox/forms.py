from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.reportbox.models import TEXT_LIMIT, AdviserProfile, Report, ReportBox


class ReportForm(DescribedFields, forms.Form):
    category = forms.ChoiceField(
        label=_("Waar gaat het over?"), choices=Report.Category.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Wat is er gebeurd?"),
        help_text=_(
            "Schrijf wat je kwijt wilt. Laat namen en details weg die jou herkenbaar maken, "
            "als je anoniem wilt blijven. Hoogstens 5000 tekens."
        ),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class MessageForm(DescribedFields, forms.Form):
    text = forms.CharField(
        label=_("Je bericht"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5})
    )


class CodeForm(DescribedFields, forms.Form):
    code = forms.CharField(
        label=_("Je meldcode"),
        help_text=_("16 tekens"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class BoxForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ReportBox
        fields = ["is_open", "intro", "intro_en", "answer_days"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "answer_days": forms.NumberInput(attrs={"min": 1, "max": 30, "inputmode": "numeric"}),
        }


class AdviserProfileForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AdviserProfile
        fields = ["name", "role_nl", "role_en"]
        widgets = {"role_en": forms.TextInput(attrs={"lang": "en"})}
