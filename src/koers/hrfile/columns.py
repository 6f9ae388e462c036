"""The canonical employee columns, their aliases, and mapping file headers onto them.

Two ways to map a file's headers:

* :func:`exact_mapping` is what the command-line tools use: a header matches a
  canonical name or one of the aliases in ``spec/hr-data.md`` exactly, after
  lower-casing and trimming (the contract of ``koers paygap``).
* :func:`suggest_mapping` is what the web importer proposes to the user before
  they confirm or correct it: it also knows English names and tolerates
  punctuation, units and small typos.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from koers.hrfile.problems import Problem


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column.

    ``aliases`` are the names from ``spec/hr-data.md`` (accepted by the CLI);
    ``suggest_aliases`` are extra names the importer only suggests.
    """

    name: str
    kind: str
    required: bool
    aliases: tuple[str, ...] = ()
    suggest_aliases: tuple[str, ...] = ()
    description: str = ""


EMPLOYEE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "employee_id",
        "id",
        True,
        ("personeelsnummer", "medewerkernummer"),
        (
            "employee id",
            "employee number",
            "personnel number",
            "werknemernummer",
            "personeelsnr",
            "persnr",
            "pers nr",
            "medewerker id",
            "werknemer id",
            "id",
        ),
        "pseudonymous key, unique per reference date",
    ),
    ColumnSpec(
        "reference_date",
        "date",
        False,
        ("peildatum",),
        ("reference date", "snapshot date", "report date", "rapportagedatum"),
        "only in files holding several snapshots",
    ),
    ColumnSpec(
        "gender", "gender", True, ("geslacht",), ("sex", "gender code"), "V/M/X and synonyms"
    ),
    ColumnSpec(
        "birth_year",
        "birth_year",
        True,
        ("geboortejaar",),
        ("birth year", "year of birth", "jaar van geboorte"),
        "1900 to reference year - 14",
    ),
    ColumnSpec(
        "hire_date",
        "date",
        True,
        ("datum in dienst",),
        (
            "hire date",
            "date of hire",
            "start date",
            "in dienst",
            "indienstdatum",
            "datum indiensttreding",
            "startdatum",
            "in dienst per",
        ),
        "first day of employment",
    ),
    ColumnSpec(
        "exit_date",
        "date",
        False,
        ("datum uit dienst",),
        (
            "exit date",
            "end date",
            "termination date",
            "leaving date",
            "uit dienst",
            "uitdienstdatum",
            "datum uitdiensttreding",
            "einddatum",
            "uit dienst per",
        ),
        "last day of employment; empty while employed",
    ),
    ColumnSpec(
        "job_family",
        "text",
        True,
        ("functie", "functiegroep", "functiefamilie"),
        ("job family", "job title", "job", "function", "role", "functienaam", "functietitel"),
        "job family or title",
    ),
    ColumnSpec(
        "job_level",
        "level",
        True,
        ("schaal", "salarisschaal", "functieniveau"),
        (
            "job level",
            "level",
            "grade",
            "pay grade",
            "salary scale",
            "scale",
            "niveau",
            "salarisgroep",
            "functieschaal",
            "loonschaal",
        ),
        "numeric levels are ordered",
    ),
    ColumnSpec(
        "category",
        "text",
        False,
        ("categorie",),
        ("category", "worker category", "categorie werknemers", "functiecategorie"),
        'equal-work category; default "{job_family} / {job_level}"',
    ),
    ColumnSpec(
        "is_technical",
        "bool",
        True,
        ("technische functie",),
        (
            "is technical",
            "technical",
            "technical role",
            "technical function",
            "technisch",
            "techniek",
            "core function",
        ),
        "core (technical) vs staff function",
    ),
    ColumnSpec(
        "management_layer",
        "management_layer",
        False,
        ("managementlaag",),
        ("management layer", "management level", "managementniveau", "leidinggevende laag"),
        "board, supervisory_board, subtop, none",
    ),
    ColumnSpec(
        "hours_per_week",
        "hours",
        True,
        ("uren per week",),
        (
            "hours per week",
            "hours",
            "weekly hours",
            "contract hours",
            "contractual hours",
            "uren",
            "contracturen",
            "arbeidsduur",
            "uren week",
            "aantal uren",
        ),
        "contractual hours, > 0 and <= 60",
    ),
    ColumnSpec(
        "annual_base_salary",
        "salary",
        True,
        ("bruto jaarsalaris",),
        (
            "annual base salary",
            "base salary",
            "annual salary",
            "gross annual salary",
            "salary",
            "jaarsalaris",
            "bruto salaris",
            "brutojaarsalaris",
            "salaris",
            "bruto jaarloon",
        ),
        "gross, for the contractual hours",
    ),
    ColumnSpec(
        "annual_variable_pay",
        "variable_pay",
        False,
        ("variabele beloning",),
        (
            "annual variable pay",
            "variable pay",
            "bonus",
            "annual bonus",
            "variabel",
            "variabele beloning jaar",
            "bonus jaar",
        ),
        "gross variable pay over the last 12 months; empty = 0",
    ),
    ColumnSpec(
        "education",
        "education",
        False,
        ("opleidingsniveau",),
        ("education", "education level", "opleiding", "level of education"),
        "mbo, hbo, wo, phd; empty = unknown",
    ),
    ColumnSpec("department", "text", False, ("afdeling",), ("department", "team", "unit")),
    ColumnSpec(
        "last_promotion_date",
        "date",
        False,
        ("laatste promotie",),
        (
            "last promotion date",
            "last promotion",
            "promotion date",
            "promotiedatum",
            "datum laatste promotie",
        ),
    ),
    ColumnSpec(
        "training_spend",
        "money",
        False,
        ("opleidingskosten",),
        (
            "training spend",
            "training costs",
            "training cost",
            "training budget",
            "opleidingsbudget",
            "scholingskosten",
            "opleidingsuitgaven",
        ),
        "last 12 months",
    ),
    # Koers' optional leave columns (not in spec/hr-data.md's table; docs/hr-data.md):
    # the pay rise after return from leave in the Art. 10 workbook.
    ColumnSpec(
        "leave_type",
        "leave_type",
        False,
        ("soort verlof", "verlofsoort"),
        ("leave type", "type of leave", "type verlof", "verloftype", "soort laatste verlof"),
        "maternity, paternity, parental or carer; with leave_return_date",
    ),
    ColumnSpec(
        "leave_return_date",
        "date",
        False,
        ("datum terugkeer verlof", "terugkeer uit verlof"),
        (
            "leave return date",
            "return from leave",
            "date of return from leave",
            "einddatum verlof",
            "einde verlof",
            "datum einde verlof",
            "terugkeerdatum",
        ),
        "first working day after the latest such leave; with leave_type",
    ),
)

COLUMNS_BY_NAME: dict[str, ColumnSpec] = {c.name: c for c in EMPLOYEE_COLUMNS}

_UNIT_RE = re.compile(r"\((?:€|eur|euro|in €|in euro|jaar|per jaar|p\.?j\.?)\)")
_PUNCT_RE = re.compile(r"[_\-./()\[\]:#€*]+")
_SPACE_RE = re.compile(r"\s+")


def normalise_header(header: str) -> str:
    """Lower-case and trim, as the CLI's exact matching does."""
    return _SPACE_RE.sub(" ", header.replace("\ufeff", "").replace("\xa0", " ")).strip().lower()


def _loose(header: str) -> str:
    text = _UNIT_RE.sub(" ", normalise_header(header))
    return _SPACE_RE.sub(" ", _PUNCT_RE.sub(" ", text)).strip()


def _exact_names(spec: ColumnSpec) -> tuple[str, ...]:
    return (spec.name, *spec.aliases)


def exact_mapping(
    headers: Iterable[str], columns: Sequence[ColumnSpec] = EMPLOYEE_COLUMNS
) -> dict[str, str]:
    """Map headers that are a canonical name or a spec alias (lower-cased, trimmed).

    Returns ``{source header: canonical name}``; when two headers name the same
    column only the first is mapped (:func:`resolve_mapping` reports the other).
    """
    lookup = {alias: spec.name for spec in columns for alias in _exact_names(spec)}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        name = lookup.get(normalise_header(header))
        if name is not None and name not in taken and header not in mapping:
            mapping[header] = name
            taken.add(name)
    return mapping


def suggest_mapping(
    headers: Iterable[str], columns: Sequence[ColumnSpec] = EMPLOYEE_COLUMNS
) -> dict[str, str]:
    """Suggest ``{source header: canonical name}`` from Dutch and English names.

    Tries, in order: exact canonical name or alias; the same ignoring punctuation,
    units such as ``(€)`` and underscores; the English/extra names; finally a close
    spelling match (``difflib`` ratio ≥ 0.88). Each canonical column is suggested
    for at most one header; headers that match nothing are left out.

    >>> suggest_mapping(["Personeelsnummer", "Bruto jaarsalaris (€)", "Sex", "Notes"])
    {'Personeelsnummer': 'employee_id', 'Bruto jaarsalaris (€)': 'annual_base_salary', \
'Sex': 'gender'}
    """
    headers = [h for h in headers if isinstance(h, str) and h.strip()]
    mapping = exact_mapping(headers, columns)
    taken = set(mapping.values())
    loose: dict[str, str] = {}
    for spec in columns:
        for alias in (*_exact_names(spec), *spec.suggest_aliases):
            loose.setdefault(_loose(alias), spec.name)
    for header in headers:
        if header in mapping:
            continue
        name = loose.get(_loose(header))
        if name is not None and name not in taken:
            mapping[header] = name
            taken.add(name)
    for header in headers:
        if header in mapping:
            continue
        close = difflib.get_close_matches(_loose(header), list(loose), n=1, cutoff=0.88)
        if close and loose[close[0]] not in taken:
            mapping[header] = loose[close[0]]
            taken.add(loose[close[0]])
    return {h: mapping[h] for h in headers if h in mapping}


def known_header_names(columns: Sequence[ColumnSpec] = EMPLOYEE_COLUMNS) -> frozenset[str]:
    """Every lower-cased name the header-row detection looks for."""
    names = {normalise_header(a) for spec in columns for a in _exact_names(spec)}
    names |= {normalise_header(a) for spec in columns for a in spec.suggest_aliases}
    return frozenset(names)


def resolve_mapping(
    headers: Sequence[str],
    mapping: Mapping[str, str],
    columns: Sequence[ColumnSpec] = EMPLOYEE_COLUMNS,
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Turn ``{source header: canonical}`` into column positions.

    Returns ``(position by canonical name, source header by canonical name,
    problems)``. Source headers are compared after trimming and lower-casing, so a
    mapping saved for one export still applies when the next one differs only in
    case. A canonical name outside ``columns`` is a programming error (ValueError).
    """
    valid = {c.name for c in columns}
    positions: dict[str, int] = {}
    sources: dict[str, str] = {}
    problems: list[Problem] = []
    by_norm: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        by_norm.setdefault(normalise_header(header), []).append(i)
    for source, canonical in mapping.items():
        if canonical not in valid:
            raise ValueError(f"unknown canonical column {canonical!r}")
        found = by_norm.get(normalise_header(source), [])
        if not found:
            problems.append(
                Problem(None, source, "is not in the file (check the column mapping)", canonical)
            )
            continue
        if len(found) > 1:
            problems.append(
                Problem(
                    None, headers[found[0]], f"appears {len(found)} times in the header", canonical
                )
            )
            continue
        if canonical in positions:
            problems.append(
                Problem(
                    None,
                    headers[found[0]],
                    f"and column {sources[canonical]} are both mapped to {canonical}",
                    canonical,
                )
            )
            continue
        positions[canonical] = found[0]
        sources[canonical] = headers[found[0]]
    return positions, sources, problems


def describe_accepted(spec: ColumnSpec) -> str:
    """``"geslacht" or "gender"`` style list for messages about a missing column."""
    names = [spec.name, *spec.aliases]
    return " or ".join(f'"{n}"' for n in names)
