"""Forms of the Gender Scan: upload, column mapping, and the flows period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.hrfile.columns import EMPLOYEE_COLUMNS
from koers.lib.forms import DescribedFields
from koers.scan.labels import COLUMN_LABELS, column_label
from koers.scan.services import MAX_UPLOAD_BYTES, REQUIRED_COLUMNS, UploadRefused, sniff_format

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_reference_date(today: dt.date | None = None) -> dt.date:
    """The last day of the previous month: HR exports are usually made per month end."""
    today = today or timezone.localdate()
    return today.replace(day=1) - dt.timedelta(days=1)


class UploadForm(DescribedFields, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HR-bestand (CSV of Excel .xlsx)"),
        help_text=gettext_lazy(
            "Eén rij per medewerker, met een kopregel. Puntkomma's, decimale komma's, "
            "datums als 30-6-2026 en bedragen als € 45.123,50 zijn prima. Hoogstens 25 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    reference_date = forms.DateField(
        label=gettext_lazy("Peildatum"),
        help_text=gettext_lazy(
            "De datum waarop het bestand de stand weergeeft; wie dan in dienst is, telt mee."
        ),
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_widget(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference_date"].initial = default_reference_date()
        self.file_bytes = b""
        self.file_format = ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "Het bestand is %(size)s MB; Koers neemt bestanden tot 25 MB aan. Exporteer "
                    "alleen de kolommen die de scan gebruikt en probeer het opnieuw."
                )
                % {"size": f"{upload.size / 1024 / 1024:.0f}"}
            )
        data = upload.read()
        try:
            self.file_format = sniff_format(data, upload.name or "")
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        self.file_bytes = data
        return upload

    def clean_reference_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["reference_date"]
        if not dt.date(1990, 1, 1) <= day <= timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError(_("Kies een peildatum tussen 1990 en volgend jaar."))
        return day


class MappingForm(DescribedFields, forms.Form):
    """One choice per header of the file: which canonical column it holds (or none)."""

    def __init__(
        self, *args: Any, headers: Sequence[str], initial_mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        choices = [("", _("— niet gebruiken —"))] + [
            (spec.name, f"{COLUMN_LABELS[spec.name]}{' *' if spec.required else ''}")
            for spec in EMPLOYEE_COLUMNS
        ]
        for i, header in enumerate(self.headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=header or _("(kolom %(n)s zonder naam)") % {"n": i + 1},
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(h, self[f"col_{i}"]) for i, h in enumerate(self.headers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for i, header in enumerate(self.headers):
            name = data.get(f"col_{i}") or ""
            if not name:
                continue
            if name in seen:
                self.add_error(
                    f"col_{i}",
                    _(
                        "‘%(label)s’ is al gekoppeld aan kolom %(other)s. Kies voor elk gegeven "
                        "één kolom, of ‘niet gebruiken’."
                    )
                    % {"label": column_label(name), "other": seen[name]},
                )
            else:
                seen[name] = header
        for name in REQUIRED_COLUMNS:
            if name not in seen:
                self.add_error(
                    None,
                    _(
                        "Kies een kolom voor ‘%(label)s’ (verplicht). Staat die niet in je "
                        "bestand, voeg hem dan toe en upload het bestand opnieuw."
                    )
                    % {"label": column_label(name)},
                )
        return data

    def mapping(self) -> dict[str, str]:
        """``{header: canonical or ""}`` from the cleaned data."""
        return {h: self.cleaned_data.get(f"col_{i}") or "" for i, h in enumerate(self.headers)}


class PeriodForm(DescribedFields, forms.Form):
    """The period of the flows (GET form on the dashboard)."""

    start = forms.DateField(
        label=gettext_lazy("Van"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )
    end = forms.DateField(
        label=gettext_lazy("Tot en met"), input_formats=DATE_INPUT_FORMATS, widget=_date_widget()
    )

    def __init__(self, *args: Any, reference_date: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference_date = reference_date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start >= end:
                raise forms.ValidationError(_("De begindatum moet vóór de einddatum liggen."))
            if end > self.reference_date:
                raise forms.ValidationError(
                    _(
                        "De periode kan niet na de peildatum (%(date)s) eindigen: later weet het "
                        "bestand niets over in- en uitstroom."
                    )
                    % {"date": self.reference_date.strftime("%d-%m-%Y")}
                )
        return data


class FixedPeriodForm(DescribedFields, forms.Form):
    """The flows period for viewers outside HR: a calendar year or quarter, no free dates."""

    periode = forms.ChoiceField(label=gettext_lazy("Periode"))

    def __init__(self, *args: Any, periods: Sequence[Any], lang: str = "nl", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["periode"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p.code, p.label(lang)) for p in periods]
