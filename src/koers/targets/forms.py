from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.targets.models import Target

HOLDERS = {
    "v": "F", "f": "F", "vrouw": "F", "woman": "F", "female": "F",
    "m": "M", "man": "M", "male": "M",
    "x": "X", "anders": "X", "other": "X",
    "vacature": None, "vacant": None, "leeg": None, "-": None,
}  # fmt: skip


def _parse_date(text: str) -> dt.date:
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def parse_seats(text: str) -> list[dict[str, str | None]]:
    """One seat per line: who holds it (V, M, X or "vacature") and the end of the term
    (dd-mm-jjjj or jjjj-mm-dd, optional). Raises ValidationError naming the line."""
    seats: list[dict[str, str | None]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        holder_word = parts[0].lower()
        if holder_word not in HOLDERS or len(parts) > 2:
            raise forms.ValidationError(
                _(
                    "Regel %(n)s: begin met V, M, X of 'vacature', gevolgd door de einddatum "
                    "van de zittingstermijn (bijvoorbeeld: V 30-06-2027)."
                ),
                params={"n": number},
            )
        term_ends = None
        if len(parts) == 2:
            try:
                term_ends = _parse_date(parts[1]).isoformat()
            except ValueError:
                raise forms.ValidationError(
                    _("Regel %(n)s: %(date)s is geen datum (dd-mm-jjjj)."),
                    params={"n": number, "date": parts[1]},
                ) from None
        seats.append({"holder": HOLDERS[holder_word], "term_ends": term_ends})
    return seats


def format_seats(seats: list[dict[str, Any]]) -> str:
    words = {"F": "V", "M": "M", "X": "X", None: "vacature"}
    lines = []
    for seat in seats:
        end = seat.get("term_ends")
        date = dt.date.fromisoformat(end).strftime("%d-%m-%Y") if end else ""
        lines.append(f"{words[seat.get('holder')]} {date}".strip())
    return "\n".join(lines)


class TargetForm(DescribedFields, forms.ModelForm):  # type: ignore[type-arg]
    subtop_name = forms.ChoiceField(
        label=_("Subtopcategorie"),
        required=False,
        help_text=_("Alleen bij de subtop: welke categorie, zoals de organisatie die definieert."),
    )
    seats_text = forms.CharField(
        label=_("Zetels en zittingstermijnen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Alleen bij raad van bestuur en raad van commissarissen: één regel per zetel, "
            "wie hem bezet (V, M, X of 'vacature') en de einddatum van de termijn, "
            "bijvoorbeeld 'V 30-06-2027'. Zonder deze regels telt Koers de leden uit de "
            "Gender Scan."
        ),
    )

    field_order = ["population", "split", "subtop_name", "job_level", "target_share",
                   "target_year", "seats_text", "note"]  # fmt: skip

    class Meta:
        model = Target
        fields = ["population", "split", "subtop_name", "job_level", "target_share",
                  "target_year", "note"]  # fmt: skip
        help_texts = {
            "population": _("Voor welke groep het streefcijfer geldt."),
            "split": _("Staf- en kernfuncties apart, of alle functies samen."),
            "job_level": _("Alleen bij een functieniveau: het niveau zoals in het HR-bestand."),
            "target_share": _("Het aandeel vrouwen dat u wilt bereiken, in procenten."),
            "target_year": _("Het jaar waarin het streefcijfer gehaald moet zijn."),
            "note": _("Waarom dit streefcijfer passend en ambitieus is, voor het jaarverslag."),
        }

    def __init__(self, *args: Any, subtop_names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subtop_name"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(n, n) for n in subtop_names]
        if self.instance.pk and self.instance.seats:
            self.fields["seats_text"].initial = format_seats(self.instance.seats)

    def clean_target_year(self) -> int:
        year = int(self.cleaned_data["target_year"])
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Geef een jaar tussen 2000 en 2100."))
        return year

    def clean_seats_text(self) -> list[dict[str, str | None]]:
        return parse_seats(self.cleaned_data.get("seats_text") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        population = data.get("population")
        if population == Target.Population.JOB_LEVEL and not data.get("job_level"):
            self.add_error("job_level", _("Kies bij een functieniveau welk niveau."))
        if population == Target.Population.SUBTOP and not data.get("subtop_name"):
            self.add_error(
                "subtop_name",
                _("Kies een subtopcategorie; leg er eerst een vast onder 'Subtop definiëren'."),
            )
        board = population in (Target.Population.BOARD, Target.Population.SUPERVISORY_BOARD)
        if data.get("seats_text") and not board:
            self.add_error(
                "seats_text", _("Zetels horen alleen bij een raad van bestuur of commissarissen.")
            )
        return data

    def save(self, commit: bool = True) -> Target:
        target: Target = super().save(commit=False)
        target.subtop_name = self.cleaned_data.get("subtop_name") or ""
        board = target.population in (
            Target.Population.BOARD,
            Target.Population.SUPERVISORY_BOARD,
        )
        target.seats = (self.cleaned_data.get("seats_text") or []) if board else []
        if target.population != Target.Population.JOB_LEVEL:
            target.job_level = ""
        if target.population != Target.Population.SUBTOP:
            target.subtop_name = ""
        if commit:
            target.save()
        return target


def _words(text: str) -> list[str]:
    return sorted({part.strip() for part in text.split(",") if part.strip()})


class SubTopForm(DescribedFields, forms.Form):
    name = forms.CharField(
        label=_("Naam van de categorie"),
        max_length=120,
        help_text=_("Bijvoorbeeld: leidinggevenden onder de directie."),
    )
    job_levels = forms.CharField(
        label=_("Functieniveaus"),
        required=False,
        help_text=_("Gescheiden door komma's, zoals in het HR-bestand: 11, 12, 13."),
    )
    job_families = forms.CharField(
        label=_("Functies"),
        required=False,
        help_text=_("Gescheiden door komma's, zoals in het HR-bestand: Teamleider, Manager."),
    )

    valid_from = forms.DateField(
        label=_("Geldig vanaf"),
        required=False,
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        help_text=_(
            "De eerste peildatum die met deze definitie wordt geteld (dd-mm-jjjj). Leeg: een "
            "eerste versie telt voor alle jaren, een gewijzigde vanaf vandaag. Eerdere jaren "
            "blijven met de oude definitie geteld; de monitor toont de breuk."
        ),
    )

    def clean_job_levels(self) -> list[str]:
        return _words(self.cleaned_data.get("job_levels") or "")

    def clean_job_families(self) -> list[str]:
        return _words(self.cleaned_data.get("job_families") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "job_levels" in data and not data["job_levels"] and not data.get("job_families"):
            self.add_error("job_levels", _("Noem minstens één functieniveau of één functie."))
        return data


class ReportForm(DescribedFields, forms.Form):
    """The SER report's settings and, per target not met, why not (HR only)."""

    fy_end_month = forms.TypedChoiceField(
        label=_("Laatste maand van het boekjaar"),
        coerce=int,
        choices=[(m, str(m)) for m in range(1, 13)],
        help_text=_("12 bij een boekjaar gelijk aan het kalenderjaar."),
    )
    fy_end_day = forms.IntegerField(
        label=_("Laatste dag van het boekjaar"), min_value=1, max_value=31
    )
    count_other = forms.BooleanField(
        label=_("Non-binaire personen meetellen bij het ondervertegenwoordigde geslacht"),
        required=False,
        help_text=_("De SER staat dit toe; geef het dan ook in het portaal door."),
    )

    def __init__(self, *args: Any, why_not: list[tuple[int, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for target_id, label, text in why_not:
            self.fields[f"why_{target_id}"] = forms.CharField(
                label=_("Waarom is het streefcijfer voor %(body)s niet gehaald?") % {"body": label},
                required=False,
                max_length=4000,
                initial=text,
                help_text=_(
                    "Komt in de rapportage en het bestuursverslag: de reden en wat de "
                    "organisatie eraan doet. Noem geen personen."
                ),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
