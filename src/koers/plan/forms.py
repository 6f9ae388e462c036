from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.plan.catalogue import load_catalogue
from koers.plan.models import Action, ActionComment, WorksCouncilAdvice


def _measure_choices() -> list[tuple[str, str]]:
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    return [("", str(_("Geen: een eigen actie")))] + [
        (m.id, m.text("title", lang)) for m in load_catalogue().measures
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    measure = forms.ChoiceField(
        label=_("Maatregel uit de catalogus"),
        required=False,
        help_text=_("Kies een maatregel, of geef hieronder een eigen titel."),
    )

    class Meta:
        model = Action
        fields = (
            "measure",
            "title",
            "owner",
            "start",
            "due",
            "status",
            "budget",
            "indicator",
            "notes",
        )
        widgets = {
            "start": DateInput(),
            "due": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": _("Alleen nodig voor een actie die niet in de catalogus staat."),
            "owner": _("Wie de actie uitvoert, bijvoorbeeld: hoofd HR."),
            "due": _("Na deze datum telt een actie die niet klaar of gestopt is als te laat."),
            "budget": _("In euro, zonder punten; bijvoorbeeld 2500."),
            "indicator": _(
                "Het cijfer dat door deze actie moet veranderen, bijvoorbeeld: "
                "aandeel vrouwen bij promoties."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["measure"]).choices = _measure_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("measure") and not (data.get("title") or "").strip():
            self.add_error("title", _("Kies een maatregel of geef de actie een eigen titel."))
        start, due = data.get("start"), data.get("due")
        if start and due and due < start:
            self.add_error("due", _("De einddatum ligt voor de startdatum."))
        budget = data.get("budget")
        if budget is not None and budget < 0:
            self.add_error("budget", _("Een budget is 0 of meer."))
        return data


class CommentForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActionComment
        fields = ("text",)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class AdviceForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = WorksCouncilAdvice
        fields = ("given_on", "given_by", "text")
        widgets = {"given_on": DateInput(), "text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "given_by": _(
                "Bijvoorbeeld: de ondernemingsraad, of de commissie gelijke behandeling."
            ),
            "text": _(
                "Het advies van de ondernemingsraad over het plan (WOR art. 28 lid 3: de OR "
                "bevordert gelijke behandeling)."
            ),
        }
