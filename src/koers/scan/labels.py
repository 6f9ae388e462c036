"""Dutch (source-language) labels for the canonical HR columns and their codes."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COLUMN_LABELS: dict[str, Promise] = {
    "employee_id": _("Personeelsnummer"),
    "reference_date": _("Peildatum"),
    "gender": _("Geslacht"),
    "birth_year": _("Geboortejaar"),
    "hire_date": _("Datum in dienst"),
    "exit_date": _("Datum uit dienst"),
    "job_family": _("Functie"),
    "job_level": _("Schaal of functieniveau"),
    "category": _("Categorie werknemers"),
    "is_technical": _("Technische functie"),
    "management_layer": _("Managementlaag"),
    "hours_per_week": _("Uren per week"),
    "annual_base_salary": _("Bruto jaarsalaris"),
    "annual_variable_pay": _("Variabele beloning"),
    "education": _("Opleidingsniveau"),
    "department": _("Afdeling"),
    "last_promotion_date": _("Laatste promotie"),
    "training_spend": _("Opleidingskosten"),
    "leave_type": _("Soort verlof"),
    "leave_return_date": _("Datum terugkeer verlof"),
}

COLUMN_HELP: dict[str, Promise] = {
    "employee_id": _("wordt bij het importeren gepseudonimiseerd"),
    "reference_date": _("alleen als het bestand meerdere peildatums bevat"),
    "gender": _("V, M of X (ook vrouw/man/anders)"),
    "birth_year": _("jaartal, bijvoorbeeld 1984"),
    "hire_date": _("eerste werkdag, d-m-jjjj"),
    "exit_date": _("laatste werkdag; leeg als iemand nog in dienst is"),
    "job_family": _("functie of functiefamilie"),
    "job_level": _("schaal of niveau; getallen worden op volgorde gezet"),
    "category": _("gelijk of gelijkwaardig werk (EU-richtlijn art. 4)"),
    "is_technical": _("ja/nee: technische (kern)functie of staffunctie"),
    "management_layer": _("directie, subtop, RvC of leeg"),
    "hours_per_week": _("contracturen, meer dan 0 en hoogstens 60"),
    "annual_base_salary": _("bruto per jaar, voor de contracturen"),
    "annual_variable_pay": _("bonus over de laatste 12 maanden; leeg is 0"),
    "education": _("mbo, hbo, wo of phd"),
    "department": _("voor teamoverzichten"),
    "last_promotion_date": _("datum van de laatste promotie"),
    "training_spend": _("opleidingskosten over de laatste 12 maanden"),
    "leave_type": _("zwangerschaps-, geboorte-, ouderschaps- of zorgverlof (het laatste)"),
    "leave_return_date": _("eerste werkdag na dat verlof, d-m-jjjj"),
}

GENDER_LABELS: dict[str, Promise] = {
    "female": _("Vrouwen"),
    "male": _("Mannen"),
    "other": _("Anders/onbekend"),
}

LAYER_LABELS: dict[str, Promise] = {
    "supervisory_board": _("Raad van commissarissen"),
    "board": _("Directie/bestuur"),
    "subtop": _("Subtop"),
    "none": _("Overige medewerkers"),
}

TECHNICAL_LABELS: dict[str, Promise] = {
    "True": _("Technische functies"),
    "False": _("Niet-technische functies"),
}


def column_label(name: str | None) -> str:
    if name is None:
        return ""
    return str(COLUMN_LABELS.get(name, name))
