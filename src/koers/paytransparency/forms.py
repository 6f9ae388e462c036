"""Forms of the pay transparency desk: the category builder, the council's agreement, a request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.paytransparency.models import (
    CRITERIA,
    JUSTIFICATION_FACTORS,
    CategoryScheme,
    DeskSettings,
    InformationRequest,
    PayAssessment,
    PayRange,
)

FACTOR_LABELS = {
    "job_level": _("Functieniveau (schaal)"),
    "age": _("Leeftijd"),
    "tenure": _("Diensttijd"),
    "hours": _("Uren per week"),
    "education": _("Opleidingsniveau"),
}

CRITERION_LABELS = {
    "skills": _("Vaardigheden"),
    "effort": _("Inspanning"),
    "responsibility": _("Verantwoordelijkheid"),
    "conditions": _("Arbeidsomstandigheden"),
}


class CategoryBuilderForm(DescribedFields, forms.Form):
    """Weights of the four Art. 4(4) criteria, and per job its scores (1-5) and category."""

    weights_note = forms.CharField(
        label=_("Waarom deze wegingen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Hoe de organisatie tot de wegingen kwam, bijv. het functiewaarderingssysteem."
        ),
    )

    def __init__(
        self, *args: Any, jobs: Sequence[str], scheme: CategoryScheme | None, **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {}
        weights = scheme.weights if scheme else {c: 25 for c in CRITERIA}
        for c in CRITERIA:
            initial[f"weight_{c}"] = weights.get(c, 25)
        if scheme:
            initial["weights_note"] = scheme.weights_note
        self.jobs = list(jobs)
        for i, job in enumerate(self.jobs):
            saved = scheme.jobs.get(job, {}) if scheme else {}
            for c in CRITERIA:
                initial[f"job{i}_{c}"] = saved.get("scores", {}).get(c, 3)
            initial[f"job{i}_category"] = saved.get("category", "")
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for c in CRITERIA:
            self.fields[f"weight_{c}"] = forms.IntegerField(
                label=CRITERION_LABELS[c], min_value=0, max_value=100
            )
        for i, job in enumerate(self.jobs):
            for c in CRITERIA:
                self.fields[f"job{i}_{c}"] = forms.IntegerField(
                    label=f"{job}: {CRITERION_LABELS[c]}", min_value=1, max_value=5
                )
            self.fields[f"job{i}_category"] = forms.CharField(
                label=f"{job}: {_('categorie')}", max_length=120, required=False
            )
        self._describe()

    def weight_fields(self) -> list[Any]:
        return [self[f"weight_{c}"] for c in CRITERIA]

    def job_rows(self) -> list[tuple[str, list[Any], Any]]:
        return [
            (job, [self[f"job{i}_{c}"] for c in CRITERIA], self[f"job{i}_category"])
            for i, job in enumerate(self.jobs)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = [data.get(f"weight_{c}") for c in CRITERIA]
        if None not in weights and sum(int(w or 0) for w in weights) != 100:
            self.add_error("weight_skills", _("De wegingen tellen samen op tot 100."))
        return data

    def weights(self) -> dict[str, int]:
        return {c: int(self.cleaned_data[f"weight_{c}"]) for c in CRITERIA}

    def job_values(self) -> dict[str, dict[str, Any]]:
        return {
            job: {
                "scores": {c: int(self.cleaned_data[f"job{i}_{c}"]) for c in CRITERIA},
                "category": self.cleaned_data[f"job{i}_category"],
            }
            for i, job in enumerate(self.jobs)
        }


class AgreementForm(DescribedFields, forms.Form):
    agreed_on = forms.DateField(
        label=_("Datum van instemming door de ondernemingsraad"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Kenmerk of toelichting"), max_length=300, required=False)


class RequestForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    worker = forms.CharField(
        label=_("Personeelsnummer of pseudoniem"),
        max_length=64,
        help_text=_(
            "Koers bewaart alleen het pseudoniem uit de nulmeting, nooit het personeelsnummer."
        ),
    )

    class Meta:
        model = InformationRequest
        fields = ["worker", "received_on", "language"]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"})}


class OpenAssessmentForm(DescribedFields, forms.Form):
    category = forms.CharField(label=_("Categorie"), max_length=200, widget=forms.HiddenInput)
    report_date = forms.DateField(
        label=_("Datum van het verslag"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("De zes maanden van artikel 10 lopen vanaf deze datum."),
    )


class AssessmentForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PayAssessment
        fields = ["justification", "factors", "agreed_on", "measures"]
        widgets = {
            "agreed_on": forms.DateInput(attrs={"type": "date"}),
            "justification": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 4}),
        }

    factors = forms.MultipleChoiceField(
        label=_("Factoren die de kloof rechtvaardigen"),
        help_text=_(
            "Objectieve, sekseneutrale factoren waarop het loon binnen deze categorie "
            "verschilt. Koers laat per factor zien hoeveel van de kloof die verklaart."
        ),
        choices=[(f, FACTOR_LABELS[f]) for f in JUSTIFICATION_FACTORS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ChargesForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DeskSettings
        fields = ["employer_charges_pct"]

    def clean_employer_charges_pct(self) -> Any:
        value = self.cleaned_data["employer_charges_pct"]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Kies een percentage van 0 tot en met 100."))
        return value


class OwnRequestForm(DescribedFields, forms.Form):
    """A worker's own request through the desk link: no account, no name."""

    employee_number = forms.CharField(
        label=_("Je personeelsnummer"),
        max_length=64,
        help_text=_(
            "Zo kan HR je eigen loon en je categorie opzoeken. Koers bewaart het nummer niet, "
            "alleen een pseudoniem."
        ),
    )
    language = forms.ChoiceField(
        label=_("Taal van de brief"), choices=InformationRequest.Language.choices
    )


class PersonalRequestForm(DescribedFields, forms.Form):
    """A worker's own request through a personal link: the link says who files it."""

    language = forms.ChoiceField(
        label=_("Taal van de brief"), choices=InformationRequest.Language.choices
    )


class PersonalLinksForm(DescribedFields, forms.Form):
    """The employee numbers to make personal links for (the snapshot keeps pseudonyms only)."""

    numbers = forms.CharField(
        label=_("Personeelsnummers"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Eén personeelsnummer per regel (of gescheiden door komma's), bijvoorbeeld de "
            "kolom uit het HR-bestand van de nulmeting. Koers bewaart de nummers niet."
        ),
    )

    def numbers_list(self) -> list[str]:
        text = self.cleaned_data["numbers"].replace(",", "\n").replace(";", "\n")
        return [n.strip() for n in text.splitlines() if n.strip()]


class ReceiptCodeForm(DescribedFields, forms.Form):
    code = forms.CharField(label=_("Je ontvangstcode"), max_length=40)


class PayRangeForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PayRange
        fields = ["category", "vacancy", "minimum", "maximum", "period", "hours_per_week"]

    def __init__(self, *args: Any, categories: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if categories:
            self.fields["category"] = forms.ChoiceField(
                label=_("categorie"), choices=[(c, c) for c in categories]
            )
            self._describe()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and not 0 < low <= high:
            self.add_error(
                "maximum",
                _("Het bedrag 'tot' is minstens het bedrag 'van', en beide zijn positief."),
            )
        return data
