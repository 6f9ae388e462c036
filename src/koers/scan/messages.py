"""The Dutch (and through gettext, English) wording of :mod:`koers.hrfile`'s problems.

``koers.hrfile`` is shared with the command line and words its problems in
English (``row 5, column Geslacht: "Q" is not a known gender: ...``). The web
importer stores them as they are and translates each message here at display
time, so the list reads naturally in the user's language. A message that no
pattern knows is shown as it is (still correct, just English): the test
``tests/scan/test_messages.py`` feeds every message ``koers.hrfile`` can make
through :func:`translate_message` to keep the patterns complete.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from koers.scan.labels import column_label
from koers.scan.numbers import format_count

Translator = Callable[[re.Match[str]], str]

_VALUE = r'(?P<value>".*")'


def _dmy(iso: str) -> str:
    """``2019-01-01`` → ``1-1-2019``, as the Dutch spreadsheet shows it."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{int(match[3])}-{int(match[2])}-{match[1]}" if match else iso


def _amount(text: str) -> str:
    """``1e+09`` → ``1.000.000.000``."""
    try:
        number = float(text)
    except ValueError:
        return text
    return format_count(number) if number.is_integer() and abs(number) < 1e18 else text


def _missing_column(m: re.Match[str]) -> str:
    reasons = {
        "it is required": _("het is een verplichte kolom"),
        "the pay gap needs it": _("de loonkloof heeft hem nodig"),
        "flows need it": _("de in- en uitstroom heeft hem nodig"),
        "it names the categories of workers": _("hij benoemt de categorieën werknemers"),
    }
    return _(
        "ontbreekt in het bestand (%(reason)s). Koppel een kolom aan deze gegevens of voeg "
        "de kolom toe aan je bestand, bijvoorbeeld met de kop %(names)s."
    ) % {"reason": reasons.get(m["why"], m["why"]), "names": m["names"].replace(" or ", " / ")}


_PATTERNS: list[tuple[re.Pattern[str], Translator]] = [
    # koers.hrfile.cells
    (
        re.compile(rf"{_VALUE}: year (?P<year>-?\d+) is out of range \((?P<lo>\d+)-(?P<hi>\d+)\)"),
        lambda m: (
            _("%(value)s: het jaar %(year)s kan niet (tussen %(lo)s en %(hi)s)") % m.groupdict()
        ),
    ),
    (
        re.compile(
            rf"{_VALUE} is not a valid date: month (?P<month>\d+) does not exist "
            r"\(dates are read day first: d-m-yyyy\)"
        ),
        lambda m: (
            _(
                "%(value)s is geen geldige datum: maand %(month)s bestaat niet (Koers leest "
                "datums als dag-maand-jaar: d-m-jjjj)"
            )
            % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not a valid date: day (?P<day>\d+) does not exist"),
        lambda m: (
            _("%(value)s is geen geldige datum: dag %(day)s bestaat niet in die maand")
            % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not a date: expected d-m-yyyy or yyyy-mm-dd"),
        lambda m: (
            _("%(value)s is geen datum: schrijf d-m-jjjj (30-6-2026) of jjjj-mm-dd") % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE}: write the year with four digits \(d-m-yyyy\)"),
        lambda m: _("%(value)s: schrijf het jaar met vier cijfers (d-m-jjjj)") % m.groupdict(),
    ),
    (
        re.compile(rf"{_VALUE} is not a number \(mixed separators\)"),
        lambda m: (
            _("%(value)s is geen getal: punten en komma's staan door elkaar (schrijf 45.123,50)")
            % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not a whole number"),
        lambda m: _("%(value)s is geen geheel getal") % m.groupdict(),
    ),
    (
        re.compile(rf"{_VALUE} is not a number"),
        lambda m: _("%(value)s is geen getal") % m.groupdict(),
    ),
    (
        re.compile(rf"{_VALUE} is not yes or no: .*"),
        lambda m: (
            _("%(value)s is geen ja of nee: gebruik ja/nee, yes/no, true/false of 1/0")
            % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not a known gender: .*"),
        lambda m: (
            _("%(value)s is geen bekend geslacht: gebruik V (vrouw), M (man) of X (anders)")
            % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not an education level: .*"),
        lambda m: (
            _("%(value)s is geen opleidingsniveau: gebruik mbo, hbo, wo of phd") % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not a leave type: .*"),
        lambda m: (
            _(
                "%(value)s is geen soort verlof: gebruik zwangerschapsverlof of "
                "bevallingsverlof, geboorteverlof of partnerverlof, ouderschapsverlof of "
                "zorgverlof"
            )
            % m.groupdict()
        ),
    ),
    (
        re.compile(rf"{_VALUE} is not a management layer: .*"),
        lambda m: (
            _("%(value)s is geen managementlaag: gebruik directie, subtop, RvC of laat de cel leeg")
            % m.groupdict()
        ),
    ),
    (
        re.compile(r"is (?P<n>\d+) characters long \(at most (?P<max>\d+)\)"),
        lambda m: _("is %(n)s tekens lang (hoogstens %(max)s)") % m.groupdict(),
    ),
    (
        re.compile(rf"{_VALUE} contains control characters"),
        lambda m: (
            _("%(value)s bevat onzichtbare stuurtekens; typ de waarde opnieuw") % m.groupdict()
        ),
    ),
    # koers.hrfile.employees (range checks)
    (
        re.compile(r"(?P<value>\S+) hours per week is not possible: more than 0, at most 60"),
        lambda m: _("%(value)s uur per week kan niet: meer dan 0 en hoogstens 60") % m.groupdict(),
    ),
    (
        re.compile(r"(?P<value>\S+): the annual base salary must be more than 0"),
        lambda m: _("%(value)s: het bruto jaarsalaris moet meer dan 0 zijn") % m.groupdict(),
    ),
    (
        re.compile(r"(?P<value>\S+) is not a plausible annual amount \(at most (?P<max>\S+)\)"),
        lambda m: (
            _("%(value)s is geen aannemelijk jaarbedrag (hoogstens %(max)s)")
            % {"value": _amount(m["value"]), "max": _amount(m["max"])}
        ),
    ),
    (
        re.compile(r"(?P<value>\S+) is negative: an amount of 0 or more is expected"),
        lambda m: _("%(value)s is negatief: een bedrag van 0 of meer is nodig") % m.groupdict(),
    ),
    # koers.hrfile.validation
    (
        re.compile(r"is missing from the file \((?P<why>[^)]*)\); name a column (?P<names>.*)"),
        _missing_column,
    ),
    (
        re.compile(r"is empty; the file holds several snapshots, each row needs its date"),
        lambda m: _("is leeg; het bestand bevat meerdere peildatums, dus elke rij heeft er een"),
    ),
    (
        re.compile(r"is empty; a value is required(?: (?P<why>.*))?"),
        lambda m: _("is leeg; deze waarde is verplicht"),
    ),
    (
        re.compile(r"is empty; a return date from leave needs the type of leave .*"),
        lambda m: _(
            "is leeg; bij een datum van terugkeer uit verlof hoort de soort verlof "
            "(zwangerschaps-, geboorte-, ouderschaps- of zorgverlof)"
        ),
    ),
    (
        re.compile(r"is empty; a type of leave needs the date of return from it"),
        lambda m: _("is leeg; bij een soort verlof hoort de datum van terugkeer uit dat verlof"),
    ),
    (
        re.compile(
            r"(?P<back>\S+) is after the reference date (?P<day>\S+): give the latest return "
            r"on or before it"
        ),
        lambda m: (
            _(
                "%(back)s ligt na de peildatum %(day)s; geef de laatste terugkeer uit verlof "
                "op of vóór de peildatum"
            )
            % {"back": _dmy(m["back"]), "day": _dmy(m["day"])}
        ),
    ),
    (
        re.compile(
            r"is in the file without (?P<other>\w+): the two leave columns go together; "
            r"name a column (?P<names>.*) or leave this one out"
        ),
        lambda m: (
            _(
                "staat in het bestand zonder ‘%(other)s’: de twee verlofkolommen horen bij "
                "elkaar. Koppel ook een kolom %(names)s, of laat deze kolom weg."
            )
            % {"other": column_label(m["other"]), "names": m["names"].replace(" or ", " / ")}
        ),
    ),
    (
        re.compile(r"(?P<exit>\S+) is before the hire date (?P<hire>\S+)"),
        lambda m: (
            _("%(exit)s ligt vóór de datum in dienst %(hire)s")
            % {"exit": _dmy(m["exit"]), "hire": _dmy(m["hire"])}
        ),
    ),
    (
        re.compile(
            r"(?P<year>-?\d+) is not a plausible birth year: between (?P<lo>\d+) and "
            r"(?P<hi>\d+) expected"
        ),
        lambda m: (
            _("%(year)s is geen aannemelijk geboortejaar: tussen %(lo)s en %(hi)s") % m.groupdict()
        ),
    ),
    (
        re.compile(r"employee (?P<id>.*) appears more than once \(also in row (?P<row>\d+)\)"),
        lambda m: _("personeelsnummer %(id)s komt vaker voor (ook in rij %(row)s)") % m.groupdict(),
    ),
    # koers.scan.services (a file with a reference-date column)
    (
        re.compile(r"has no row dated (?P<day>\S+) \(the file holds (?P<found>.*)\)"),
        lambda m: (
            _(
                "heeft geen rij met peildatum %(day)s (het bestand bevat %(found)s). Kies bij het "
                "uploaden een peildatum die in het bestand staat."
            )
            % m.groupdict()
        ),
    ),
    # koers.hrfile.columns
    (
        re.compile(r"is not in the file \(check the column mapping\)"),
        lambda m: _("staat niet in het bestand (controleer de kolomkoppeling)"),
    ),
    (
        re.compile(r"appears (?P<n>\d+) times in the header"),
        lambda m: (
            _("staat %(n)s keer in de kopregel; geef elke kolom een eigen naam") % m.groupdict()
        ),
    ),
    (
        re.compile(r"and column (?P<other>.*) are both mapped to (?P<name>\w+)"),
        lambda m: (
            _("en kolom %(other)s zijn allebei gekoppeld aan ‘%(label)s’")
            % {"other": m["other"], "label": column_label(m["name"])}
        ),
    ),
    # koers.hrfile.reader (the file as a whole)
    (
        re.compile(r"this is an old Excel \(\.xls\) file.*"),
        lambda m: _(
            "Dit is een oud Excel-bestand (.xls), dat Koers niet kan lezen. Sla het in Excel "
            "op als .xlsx (Excel-werkmap) of als CSV en upload het opnieuw."
        ),
    ),
    (
        re.compile(r"this is not a valid \.xlsx file.*"),
        lambda m: _(
            "Dit is geen geldig .xlsx-bestand. Sla het in Excel opnieuw op als Excel-werkmap "
            "(.xlsx) of als CSV."
        ),
    ),
    (
        re.compile(r"the file is empty"),
        lambda m: _("Het bestand is leeg."),
    ),
    (
        re.compile(r"the file (?:starts like UTF-16|says it is UTF-8).*"),
        lambda m: _(
            "De tekens in het bestand zijn beschadigd. Sla het in Excel opnieuw op als "
            "‘CSV UTF-8 (door komma's gescheiden)’."
        ),
    ),
    (
        re.compile(r"the file does not look like a CSV or \.xlsx file.*"),
        lambda m: _(
            "Dit bestand is geen CSV- of Excel-bestand (het bevat binaire gegevens). Exporteer "
            "de gegevens uit je HR-systeem als CSV of .xlsx."
        ),
    ),
    (
        re.compile(r"a cell is longer than (?P<n>\d+) characters.*"),
        lambda m: (
            _(
                'Een cel is langer dan %(n)s tekens. Waarschijnlijk mist een aanhalingsteken (") '
                "zijn partner; controleer de rij."
            )
            % m.groupdict()
        ),
    ),
    (
        re.compile(r"this row cannot be read as CSV.*"),
        lambda m: _("Deze rij is geen geldige CSV (controleer aanhalingstekens)."),
    ),
    (
        re.compile(r"the file holds no table.*"),
        lambda m: _("Het bestand bevat geen tabel: Koers vindt geen kopregel met kolomnamen."),
    ),
    (
        re.compile(r"the header row is empty"),
        lambda m: _("De kopregel is leeg."),
    ),
    (
        re.compile(
            r"has (?P<n>\d+) cells but the header has (?P<width>\d+) columns.*",
        ),
        lambda m: (
            _(
                "heeft %(n)s cellen maar de kopregel %(width)s kolommen (staat er een "
                "scheidingsteken in een waarde zonder aanhalingstekens?)"
            )
            % m.groupdict()
        ),
    ),
    (
        re.compile(r"this \.xlsx file cannot be read.*|the first sheet of this \.xlsx file.*"),
        lambda m: _(
            "Dit .xlsx-bestand kan niet worden gelezen. Open het in Excel, sla het opnieuw op "
            "en upload het nog eens, of exporteer als CSV."
        ),
    ),
    (
        re.compile(r"the \.xlsx file has no worksheet|the first sheet of the \.xlsx file is empty"),
        lambda m: _("Het eerste werkblad van dit .xlsx-bestand is leeg."),
    ),
]


def translate_message(message: str) -> str:
    """``message`` from ``koers.hrfile`` in the active language (unknown ones unchanged)."""
    for pattern, translate in _PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return translate(match)
    return message


def is_known(message: str) -> bool:
    return any(pattern.fullmatch(message) for pattern, _t in _PATTERNS)
