"""The annual diversity report (SER diversity portal); pure, no Django.

The Act on a more balanced ratio of men and women on boards and supervisory boards ("Wet
ingroeiquotum en streefcijfers", in force 1 January 2022) asks about 5,000 large companies
to set targets for the board, the supervisory board and their own sub-top, make a plan, and
report every year to the SER. The legal facts this module relies on are kept as data in
:data:`LEGAL_FACTS`, each with its source and the date it was last checked.

* :func:`financial_year_end` and :func:`deadline`: the report is due within ten months after
  the end of the financial year (31 October for a calendar year). A year ending on the last
  day of a month is due on the last day of the tenth month after it (30 June → 30 April,
  30 April → end of February); otherwise on the same day, or the month's last day if the
  month is shorter.
* :func:`apply_other` : the SER lets a company count people who are neither man nor woman
  with the under-represented sex; an organisation setting chooses it.
* :func:`csv_rows`: the report in the portal's order (financial year, company profile with
  the number of employees, then per body the men and women at year end with target, target
  year, met and why not, then the plan of action).
* :func:`draft_paragraph`: a draft of the management report's paragraph (nl and en).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from koers.lib.hooks import PlanLine


@dataclass(frozen=True)
class LegalFact:
    key: str
    nl: str
    en: str
    source: str
    as_of: dt.date  # when the source was last checked against this text


LEGAL_FACTS: tuple[LegalFact, ...] = (
    LegalFact(
        "deadline",
        "Grote vennootschappen rapporteren binnen tien maanden na afloop van het boekjaar in "
        "het SER Diversiteitsportaal (31 oktober bij een boekjaar gelijk aan het kalenderjaar).",
        "Large companies report to the SER diversity portal within ten months after the end "
        "of the financial year (31 October when the financial year is the calendar year).",
        "SER, 'Welke informatie heb je nodig om te rapporteren in het diversiteitsportaal?' "
        "(checklist, ser.nl/diversiteitsportaal); Wet ingroeiquotum en streefcijfers, "
        "Stb. 2021, 495",
        dt.date(2026, 12, 7),
    ),
    LegalFact(
        "subtop",
        "De subtop bestaat uit de 'categorieën werknemers in leidinggevende functies' die de "
        "vennootschap zelf omschrijft.",
        "The sub-top is the 'categories of employees in leading positions' that the company "
        "defines itself.",
        "Besluit inhoud bestuursverslag, art. 3d",
        dt.date(2026, 12, 7),
    ),
    LegalFact(
        "other",
        "Personen die zich niet thuis voelen in het hokje man of vrouw mag de vennootschap "
        "meetellen bij het ondervertegenwoordigde geslacht; zij geeft dat door aan de SER.",
        "People who do not identify as man or woman may be counted with the under-represented "
        "sex; the company tells the SER it does so.",
        "SER, checklist for the diversity portal, part 2 'Bedrijfsprofiel'",
        dt.date(2026, 12, 7),
    ),
    LegalFact(
        "report",
        "Het bestuursverslag beschrijft de streefcijfers, het plan van aanpak en, als een "
        "streefcijfer niet is gehaald, waarom niet.",
        "The management report describes the targets, the plan of action and, where a target "
        "was not met, why not.",
        "Besluit inhoud bestuursverslag, art. 3d; SER checklist, part 3 'Streefcijfers'",
        dt.date(2026, 12, 7),
    ),
)
REPORT_MONTHS = 10


def fact(key: str) -> LegalFact:
    return next(f for f in LEGAL_FACTS if f.key == key)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def financial_year_end(year: int, month: int = 12, day: int = 31) -> dt.date:
    """The end of financial year ``year`` (the year it ends in); a day past the month's end
    (31 in a 30-day month, 29 February in a common year) is the month's last day."""
    return dt.date(year, month, min(day, _last_day(year, month)))


def deadline(fy_end: dt.date, months: int = REPORT_MONTHS) -> dt.date:
    """``months`` after ``fy_end`` (module docstring has the month-end rule)."""
    index = fy_end.year * 12 + fy_end.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if fy_end.day == _last_day(fy_end.year, fy_end.month):
        return dt.date(year, month, _last_day(year, month))
    return dt.date(year, month, min(fy_end.day, _last_day(year, month)))


def financial_year_start(fy_end: dt.date) -> dt.date:
    """The day after the previous year's end (a financial year of twelve months)."""
    year, month = fy_end.year - 1, fy_end.month
    if fy_end.day == _last_day(fy_end.year, month):
        previous = dt.date(year, month, _last_day(year, month))
    else:
        previous = dt.date(year, month, min(fy_end.day, _last_day(year, month)))
    return previous + dt.timedelta(days=1)


def apply_other(women: int, men: int, other: int, count_other: bool) -> tuple[int, int, int]:
    """``(women, men, not counted)``: with ``count_other`` the people of another gender join
    the under-represented sex of this body (the smaller of women and men; women on a tie)."""
    if not count_other or other == 0:
        return women, men, other
    if women <= men:
        return women + other, men, 0
    return women, men + other, 0


@dataclass(frozen=True)
class Body:
    """One line of the report: the employees, the board, the supervisory board or a sub-top
    category, with its target when there is one. Counts None: hidden for this viewer."""

    key: str  # employees, board, supervisory_board, subtop
    label_nl: str
    label_en: str
    women: int | None
    men: int | None
    not_counted: int | None
    target_share: float | None = None  # a fraction
    target_year: int | None = None
    target_id: int | None = None
    why_not: str = ""

    @property
    def hidden(self) -> bool:
        return self.women is None

    @property
    def total(self) -> int | None:
        return None if self.women is None or self.men is None else self.women + self.men

    @property
    def share(self) -> float | None:
        total = self.total
        return None if not total or self.women is None else self.women / total

    @property
    def met(self) -> bool | None:
        if self.target_share is None or self.share is None:
            return None
        return self.share >= self.target_share - 1e-12


@dataclass(frozen=True)
class Measure:
    title: str
    status: str  # planned, in_progress, done, stopped
    status_label: str
    owner: str
    due: dt.date | None


@dataclass(frozen=True)
class SerReport:
    organisation: str
    year: int
    fy_start: dt.date
    fy_end: dt.date
    deadline: dt.date
    count_other: bool
    source_date: dt.date | None  # the snapshot the year-end numbers come from
    bodies: tuple[Body, ...]
    measures: tuple[Measure, ...] = field(default=())

    @property
    def count_date(self) -> dt.date:
        """The day the numbers hold: the year's end, or an earlier snapshot's own date."""
        if self.source_date is None:
            return self.fy_end
        return min(self.fy_end, self.source_date)

    @property
    def employees(self) -> Body:
        return self.bodies[0]

    @property
    def boards(self) -> tuple[Body, ...]:
        return self.bodies[1:]


CSV_HEADER = (
    "volgorde",
    "onderdeel",
    "omschrijving",
    "vrouwen",
    "mannen",
    "niet_meegeteld",
    "totaal",
    "aandeel_vrouwen_pct",
    "streefcijfer_pct",
    "streefjaar",
    "gehaald",
    "toelichting",
)


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _pct(value: float | None) -> str:
    """A percentage with a decimal comma, as Dutch Excel reads it next to ``;`` (the other
    Dutch CSVs of Koers do the same); a dot would be read as a thousands separator."""
    return "" if value is None else f"{value * 100:.1f}".replace(".", ",")


def _yes(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nee")


def csv_rows(report: SerReport) -> list[list[str]]:
    """The report as rows under :data:`CSV_HEADER`, in the portal's order (Dutch values, the
    portal's language); hidden counts are empty."""
    rows: list[list[str]] = []

    def add(section: str, item: str, *rest: str) -> None:
        values = list(rest) + [""] * (len(CSV_HEADER) - 3 - len(rest))
        rows.append([str(len(rows) + 1), section, item, *values])

    add("boekjaar", "begin", "", "", "", "", "", "", "", "", report.fy_start.isoformat())
    add("boekjaar", "einde", "", "", "", "", "", "", "", "", report.fy_end.isoformat())
    add("boekjaar", "uiterste rapportagedatum", *[""] * 8, report.deadline.isoformat())
    add(
        "bedrijfsprofiel",
        "non-binaire personen meegeteld bij het ondervertegenwoordigde geslacht",
        *[""] * 8,
        "ja" if report.count_other else "nee",
    )
    for body in report.bodies:
        section = "bedrijfsprofiel" if body.key == "employees" else "man-vrouwverhouding"
        add(
            section,
            body.label_nl,
            _num(body.women),
            _num(body.men),
            _num(body.not_counted),
            _num(body.total),
            _pct(body.share),
            _pct(body.target_share),
            _num(body.target_year),
            _yes(body.met),
            body.why_not,
        )
    for measure in report.measures:
        due = measure.due.isoformat() if measure.due else ""
        note = "; ".join(part for part in (measure.status_label, measure.owner, due) if part)
        add("plan van aanpak", measure.title, *[""] * 8, note)
    return rows


def _share_words(share: float, lang: str) -> str:
    return f"{share * 100:.0f} %"


def _body_sentence(body: Body, year_end: str, lang: str) -> str:
    label = body.label_nl if lang == "nl" else body.label_en
    if body.hidden or body.total is None:
        return ""
    if body.total == 0:
        return (
            f"Op {year_end} had {label} geen leden."
            if lang == "nl"
            else f"On {year_end}, {label} had no members."
        )
    share = _share_words(body.share or 0.0, lang)
    if lang == "nl":
        text = (
            f"Op {year_end} bestond {label} uit {body.women} "
            f"{'vrouw' if body.women == 1 else 'vrouwen'} en {body.men} "
            f"{'man' if body.men == 1 else 'mannen'} ({share} vrouwen)."
        )
        if body.target_share is not None:
            target = _share_words(body.target_share, lang)
            text += f" Het streefcijfer is {target} vrouwen in {body.target_year}; "
            text += "dat is gehaald." if body.met else "dat is nog niet gehaald."
            if not body.met and body.why_not:
                text += f" {body.why_not.strip()}"
        return text
    text = (
        f"On {year_end}, {label} had {body.women} {'woman' if body.women == 1 else 'women'} "
        f"and {body.men} {'man' if body.men == 1 else 'men'} ({share} women)."
    )
    if body.target_share is not None:
        target = _share_words(body.target_share, lang)
        text += f" The target is {target} women by {body.target_year}; "
        text += "it has been met." if body.met else "it has not been met yet."
        if not body.met and body.why_not:
            text += f" {body.why_not.strip()}"
    return text


def _date_words(day: dt.date, lang: str) -> str:
    nl = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
    if lang == "nl":
        return f"{day.day} {nl[day.month - 1]} {day.year}"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def draft_paragraph(report: SerReport, lang: str) -> str:
    """A draft of the management report's paragraph on the ratio of men and women, from the
    figures (``lang`` nl or en); a hidden body is left out."""
    year_end = _date_words(report.count_date, lang)
    sentences = [s for s in (_body_sentence(b, year_end, lang) for b in report.boards) if s]
    done = sum(1 for m in report.measures if m.status == "done")
    running = sum(1 for m in report.measures if m.status == "in_progress")
    planned = sum(1 for m in report.measures if m.status == "planned")
    employees = report.employees
    if lang == "nl":
        intro = (
            f"{report.organisation} streeft naar een evenwichtige verhouding tussen mannen en "
            "vrouwen in het bestuur, de raad van commissarissen en de subtop."
        )
        plan = (
            f"Het plan van aanpak telt {len(report.measures)} maatregelen: {done} afgerond, "
            f"{running} in uitvoering en {planned} gepland."
        )
        staff = (
            f" Op {year_end} had de organisatie {employees.total} werknemers: "
            f"{employees.women} vrouwen en {employees.men} mannen."
            if employees.total is not None
            else ""
        )
    else:
        intro = (
            f"{report.organisation} aims for a balanced ratio of men and women on the board, "
            "the supervisory board and in the sub-top."
        )
        plan = (
            f"The plan of action has {len(report.measures)} measures: {done} completed, "
            f"{running} in progress and {planned} planned."
        )
        staff = (
            f" On {year_end}, the organisation had {employees.total} employees: "
            f"{employees.women} women and {employees.men} men."
            if employees.total is not None
            else ""
        )
    return " ".join([intro, *sentences, plan]) + staff


def measures_of(lines: Sequence[PlanLine]) -> tuple[Measure, ...]:
    """Plan lines as the report lists them; stopped actions are left out."""
    return tuple(
        Measure(line.measure, line.status, line.status_label, line.owner, line.due)
        for line in lines
        if line.status != "stopped"
    )
