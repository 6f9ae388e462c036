"""The programme-day view as CSV: the same figures the page shows the same role.

Built from :func:`koers.targets.monitor.programme_day`'s context only, so whatever the page
hides for a viewer (a cell under k, a year that differs from another by a few people) is
hidden here too: such a cell says "niet getoond" instead of a number.

The file follows the project's Dutch spreadsheet CSVs (``scan.services.problems_csv``,
the SER report, the audit log): ``;`` between fields, a UTF-8 byte order mark so Excel
reads the accents, CRLF line ends, a text that a spreadsheet would run as a formula gets a
leading apostrophe (text cells only: ``-3,2`` stays a number). Numbers have no thousands
separator and a decimal comma (the separator Dutch Excel expects next to ``;``);
percentages and percentage points are plain numbers whose unit is in the "unit" column.
Headers and labels are in the viewer's language.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from koers.organisations.audit_log import neutralise

TEXT_COLUMNS = (0, 1, 8)  # the others are numbers and dates Koers writes itself


def PERCENT() -> str:  # noqa: N802 - a constant in the active language
    return _("procent (verandering: procentpunten)")


def _number(value: float | None, places: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def _figure(value: float | None, kind: str) -> str:
    """An indicator's value: a count as a whole number, a share (0..1) in %, a pct as is."""
    if value is None:
        return ""
    if kind == "share":
        return _number(value * 100)
    if kind == "pct":
        return _number(value)
    return str(int(value))


def _cell(cell: Any) -> str:
    """A target's actual share (0..1) in %, or why it is not shown."""
    if cell is None:
        return ""
    if cell.hidden:
        return _("niet getoond")
    return "" if cell.share is None else _number(cell.share * 100)


def header() -> list[str]:
    return [
        _("Onderdeel"),
        _("Cijfer"),
        _("Streefcijfer (procent)"),
        _("Streefjaar"),
        _("Nulmeting"),
        _("Nu"),
        _("Verandering"),
        _("Eenheid"),
        _("Toelichting"),
    ]


def csv_rows(day: dict[str, Any]) -> list[list[str]]:
    """The rows under :func:`header`: the dates, the indicators, the targets, the plan."""
    rows: list[list[str]] = []
    baseline, latest = day["baseline"], day["latest"]
    if baseline is None:
        return rows
    section = _("Metingen")
    rows.append(
        [
            section,
            _("Peildatum"),
            "",
            "",
            baseline.reference_date.isoformat(),
            "" if latest is None else latest.reference_date.isoformat(),
            "",
            "",
            "",
        ]
    )
    section = _("Kerncijfers")
    for f in day["indicators"]:
        unit = PERCENT() if f["kind"] in ("share", "pct") else _("aantal")
        rows.append(
            [
                section,
                f["label"],
                "",
                "",
                _figure(f["first"], f["kind"]),
                "" if latest is None else _figure(f["last"], f["kind"]),
                "" if latest is None else _figure_change(f["change"], f["kind"]),
                unit,
                "",
            ]
        )
    section = _("Streefcijfers")
    for t in day["targets"]:
        target = t["target"]
        notes = []
        if t["last"] is not None and t["last"].met:
            notes.append(_("gehaald"))
        if t.get("break"):
            notes.append(_("over een breuk: de definitie is gewijzigd"))
            if t.get("recount_change") is not None:
                change = t["recount_change"]
                signed = ("+" if change > 0 else "") + _number(change)
                notes.append(_("herteld met de huidige definitie: %(c)s") % {"c": f"{signed} pp"})
        rows.append(
            [
                section,
                target.label(),
                _number(float(target.target_share)),
                str(target.target_year),
                _cell(t["first"]),
                "" if latest is None else _cell(t["last"]),
                "" if latest is None else _number(t["change"]),
                PERCENT(),
                "; ".join(notes),
            ]
        )
    section = _("Plan van aanpak")
    for line in day["plan"]["lines"]:
        parts = [line.status_label]
        if line.owner:
            parts.append(_("eigenaar: %(owner)s") % {"owner": line.owner})
        if line.due:
            parts.append(_("klaar op: %(due)s") % {"due": line.due.isoformat()})
        if line.indicator:
            parts.append(_("indicator: %(indicator)s") % {"indicator": line.indicator})
        if line.late:
            parts.append(_("te laat"))
        rows.append([section, line.measure, "", "", "", "", "", "", "; ".join(parts)])
    return rows


def _figure_change(value: float | None, kind: str) -> str:
    """A change: in percentage points for shares and percentages, else a count."""
    if value is None:
        return ""
    return _number(value) if kind in ("share", "pct") else str(int(value))


def to_csv(day: dict[str, Any]) -> str:
    """The file's text, byte order mark first (the module docstring has the format)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header())
    for row in csv_rows(day):
        # Only text can start like a formula; a negative number must stay a number.
        writer.writerow(
            [neutralise(cell) if i in TEXT_COLUMNS else cell for i, cell in enumerate(row)]
        )
    return out.getvalue()
