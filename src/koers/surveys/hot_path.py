"""The autosave's database work in as few statements and as little Python as possible.

Every answer a respondent gives is one autosave, so this path decides how many people
can fill in at once (``bench/load_respondents.py``). Measured there, in one process on
PostgreSQL, the ORM spent more time building SQL than the database spent running it:
compiling the response look-up (three tables, ``select_related``) and the versioned
save (``UPDATE``, then a ``SELECT`` in a transaction: four round trips) took about half
of the 5.0 ms an autosave took (the benchmark's profile step; 2.4 ms after this change,
with the Redis fix in ``throttle.check_save``). Here

* the look-up is one SELECT whose text is built once per process from the models'
  own metadata, and whose rows become model instances through ``Model.from_db`` with
  the backend's and the fields' own converters, exactly as the ORM would make them
  (``tests/surveys/test_hot_path.py`` compares every field with the ORM's result);
* the save is one statement (plus a SELECT only when it is refused, to return the
  current answer): ``INSERT … ON CONFLICT DO NOTHING`` for a first answer and
  ``UPDATE … WHERE version = base RETURNING version`` for a changed one, both atomic
  on their own on SQLite (≥ 3.35) and PostgreSQL, so no transaction is needed.

Only the SQL text is ours; values are passed as parameters and converted by the
fields themselves (``get_db_prep_save`` for the JSON value).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, connections, router
from django.db.models import Field, Model

from koers.organisations.models import Organisation
from koers.surveys.models import Answer, Campaign, Response

Converter = Callable[[Any, Any, Any], Any]


class _Part:
    """One model's columns in the joined row."""

    def __init__(self, model: type[Model], alias: str, start: int, connection: Any) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f"{alias}.{connection.ops.quote_name(f.column)}" for f in self.fields]
        self.slice = slice(start, start + len(self.fields))
        self.converters: list[tuple[int, list[tuple[Converter, Any]]]] = []
        for i, field in enumerate(self.fields):
            expression = field.get_col(alias)
            found = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            if found:
                self.converters.append((i, [(c, expression) for c in found]))

    def build(self, db: str, row: tuple[Any, ...], connection: Any) -> Any:
        values = list(row[self.slice])
        for i, chain in self.converters:
            for convert, expression in chain:
                values[i] = convert(values[i], expression, connection)
        return self.model.from_db(db, self.attnames, values)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    assert field.column
    return str(field.column)


@lru_cache(maxsize=16)
def _lookup(alias: str, column: str) -> tuple[str, tuple[_Part, _Part, _Part]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    response = _Part(Response, "r", 0, connection)
    campaign = _Part(Campaign, "c", response.slice.stop, connection)
    organisation = _Part(Organisation, "o", campaign.slice.stop, connection)
    columns = response.columns + campaign.columns + organisation.columns
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(Response._meta.db_table)} r"
        f" INNER JOIN {quote(Campaign._meta.db_table)} c ON c.{quote(Campaign._meta.pk.column)}"
        f" = r.{quote(_column(Response, 'campaign'))}"
        f" INNER JOIN {quote(Organisation._meta.db_table)} o"
        f" ON o.{quote(Organisation._meta.pk.column)} = c."
        f"{quote(_column(Campaign, 'organisation'))}"
        f" WHERE r.{quote(_column(Response, column))} = %s"
    )
    return sql, (response, campaign, organisation)


def response_by(column: str, value: str) -> Response | None:
    """The response whose unique ``column`` (access_hash or code_hash) is ``value``.

    The same objects as ``Response.objects.select_related("campaign",
    "campaign__organisation").filter(**{column: value}).first()``.
    """
    alias = router.db_for_read(Response)
    connection = connections[alias]
    sql, (response_part, campaign_part, organisation_part) = _lookup(alias, column)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    response = response_part.build(alias, row, connection)
    campaign = campaign_part.build(alias, row, connection)
    campaign.organisation = organisation_part.build(alias, row, connection)
    response.campaign = campaign
    return response  # type: ignore[no-any-return]


@lru_cache(maxsize=8)
def _answer_sql(alias: str) -> tuple[str, str]:
    quote = connections[alias].ops.quote_name
    table = quote(Answer._meta.db_table)
    response = quote(_column(Answer, "response"))
    item, value, version = (quote(c) for c in ("item_id", "value", "version"))
    insert = (
        f"INSERT INTO {table} ({response}, {item}, {value}, {version}) VALUES (%s, %s, %s, 1)"
        f" ON CONFLICT ({response}, {item}) DO NOTHING"
    )
    update = (
        f"UPDATE {table} SET {value} = %s, {version} = {version} + 1"
        f" WHERE {response} = %s AND {item} = %s AND {version} = %s RETURNING {version}"
    )
    return insert, update


def _prepared(value: Any, connection: Any) -> Any:
    return Answer._meta.get_field("value").get_db_prep_save(value, connection)


def insert_first(response_id: int, item_id: str, value: Any) -> bool:
    """Insert version 1 of an answer; False when it exists already (someone saved first)."""
    alias = router.db_for_write(Answer)
    connection = connections[alias]
    insert, _ = _answer_sql(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute(insert, [response_id, item_id, _prepared(value, connection)])
            return bool(cursor.rowcount == 1)
    except IntegrityError:  # the response was deleted while this save was on its way
        return False


def update_if_version(response_id: int, item_id: str, value: Any, base: int) -> int | None:
    """Set the answer if its version is still ``base``: the new version, or None."""
    alias = router.db_for_write(Answer)
    connection = connections[alias]
    _, update = _answer_sql(alias)
    with connection.cursor() as cursor:
        cursor.execute(update, [_prepared(value, connection), response_id, item_id, base])
        row = cursor.fetchone()
    return None if row is None else int(row[0])
