from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.recruitment.documents import UnreadableDocument, text_of
from koers.stats.funnel import DEFAULT_STAGES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _within_size(upload: Any) -> Any:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("Het bestand is groter dan 20 MB; splits het op."))
    return upload


class ApplicantUploadForm(DescribedFields, forms.Form):
    file = forms.FileField(
        label=_("Sollicitantenbestand"),
        help_text=_(
            "CSV of Excel (.xlsx), één regel per kandidaat: kandidaatnummer, functiefamilie, "
            "geslacht, sollicitatiedatum en de hoogste fase die de kandidaat bereikte."
        ),
    )
    stages = forms.CharField(
        label=_("Fasen, op volgorde"),
        required=False,
        initial=", ".join(DEFAULT_STAGES),
        help_text=_(
            "Gescheiden door komma's. Standaard: applied, screened, interviewed, offered, "
            "hired; de Nederlandse namen gesolliciteerd, geselecteerd, gesprek, aanbod en "
            "aangenomen worden hierop gelegd."
        ),
    )
    labour_market_share = forms.DecimalField(
        label=_("Aandeel vrouwen op de relevante arbeidsmarkt (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Tussen 0 en 100. Hiermee vergelijkt Koers het aandeel vrouwen onder de sollicitanten."
        ),
    )
    labour_market_source = forms.CharField(
        label=_("Bron van dat aandeel"),
        required=False,
        max_length=300,
        help_text=_("Bijvoorbeeld: CBS, afgestudeerden elektrotechniek 2025."),
    )

    def clean_file(self) -> Any:
        return _within_size(self.cleaned_data["file"])

    def clean_stages(self) -> tuple[str, ...]:
        text = (self.cleaned_data.get("stages") or "").strip()
        if not text:
            return DEFAULT_STAGES
        stages = tuple(s.strip() for s in text.split(","))
        if len(stages) < 2 or any(not s for s in stages):
            raise forms.ValidationError(_("Geef minstens twee fasen, gescheiden door komma's."))
        if len({s.lower() for s in stages}) != len(stages):
            raise forms.ValidationError(_("Een fase staat er twee keer in."))
        return stages

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("labour_market_share") is not None and not data.get("labour_market_source"):
            self.add_error(
                "labour_market_source",
                _(
                    "Noem de bron van het aandeel op de arbeidsmarkt, "
                    "zodat lezers het kunnen nagaan."
                ),
            )
        return data


MAX_VACANCY_CHARS = 30_000
MAX_VACANCY_BYTES = 5 * 1024 * 1024


class VacancyForm(DescribedFields, forms.Form):
    title = forms.CharField(
        label=_("Functietitel"),
        required=False,
        max_length=200,
        help_text=_("Zoals in de vacature. Leeg: Koers neemt de eerste regel van de tekst."),
    )
    text = forms.CharField(
        label=_("Vacaturetekst"),
        required=False,
        max_length=MAX_VACANCY_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Plak de hele tekst, of kies hieronder een bestand. De tekst wordt alleen "
            "bewaard als je op Bewaren drukt."
        ),
    )
    file = forms.FileField(
        label=_("Of een bestand"),
        required=False,
        help_text=_("Een Word-bestand (.docx) of platte tekst (.txt)."),
    )
    lang = forms.ChoiceField(
        label=_("Taal van de tekst"),
        choices=[("", _("Herken zelf")), ("nl", _("Nederlands")), ("en", _("Engels"))],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > MAX_VACANCY_BYTES:
                self.add_error("file", _("Het bestand is groter dan 5 MB; plak de tekst."))
                return data
            try:
                data["text"] = text_of(upload.name, upload.read())
            except UnreadableDocument as error:
                self.add_error("file", str(error))
                return data
            if len(data["text"]) > MAX_VACANCY_CHARS:
                self.add_error(
                    "file",
                    _("De tekst in het bestand is langer dan %(n)s tekens.")
                    % {"n": MAX_VACANCY_CHARS},
                )
        if not (data.get("text") or "").strip() and "file" not in self.errors:
            self.add_error("text", _("Plak de vacaturetekst of kies een bestand."))
        return data


class AppraisalUploadForm(DescribedFields, forms.Form):
    name = forms.CharField(
        label=_("Naam van de ronde"),
        max_length=120,
        help_text=_("Bijvoorbeeld: Beoordelingen 2026."),
    )
    file = forms.FileField(
        label=_("Beoordelingsbestand"),
        help_text=_(
            "CSV of Excel (.xlsx), één regel per medewerker: personeelsnummer, beoordelaar, "
            "geslacht, functieniveau, beoordeling (een getal) en, als je die hebt, de "
            "beoordelingstekst."
        ),
    )
    keep_texts = forms.BooleanField(
        label=_("Teksten bewaren"),
        required=False,
        help_text=_(
            "Uit: Koers meet de teksten bij het inlezen en bewaart alleen de uitkomsten. "
            "Aan: de teksten worden ook bewaard."
        ),
    )

    def clean_file(self) -> Any:
        return _within_size(self.cleaned_data["file"])
