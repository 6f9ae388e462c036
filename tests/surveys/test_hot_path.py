"""The autosave's hand-written SQL (koers.surveys.hot_path) against the ORM it replaces."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse

from koers.surveys import hot_path, links, services
from koers.surveys.models import Answer, Response
from tests.surveys.conftest import first_scale_item, open_link


def _fields(obj: Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_lookup_builds_the_same_objects_as_the_orm(
    campaign: Any, django_assert_num_queries: Any
) -> None:
    # Fields of every kind the converters must handle: dates, a datetime, JSON, booleans.
    campaign.closes_on = datetime.date(2030, 1, 31)
    campaign.departments = ["R&D", "Productie", "Één met accent"]
    campaign.save()
    started = services.start_open_response(campaign, "en")
    Response.objects.filter(pk=started.response.pk).update(finished_on=datetime.date(2026, 3, 2))
    orm = (
        Response.objects.select_related("campaign", "campaign__organisation")
        .filter(access_hash=links.response_hash(started.secret))
        .first()
    )
    assert orm is not None
    with django_assert_num_queries(1):
        fast = hot_path.response_by("access_hash", links.response_hash(started.secret))
        assert fast is not None
        # campaign and organisation come with it: no further query
        assert _fields(fast.campaign.organisation) == _fields(orm.campaign.organisation)
    assert _fields(fast) == _fields(orm)
    assert _fields(fast.campaign) == _fields(orm.campaign)
    assert fast.campaign.departments == ["R&D", "Productie", "Één met accent"]
    assert isinstance(fast.campaign.created, datetime.datetime)
    assert fast.finished_on == datetime.date(2026, 3, 2)
    assert not fast._state.adding
    assert fast._state.db == orm._state.db


def test_the_lookup_by_resume_code_and_an_unknown_hash(campaign: Any) -> None:
    started = services.start_open_response(campaign, "nl")
    assert started.code is not None
    by_code = hot_path.response_by("code_hash", links.code_hash(started.code))
    assert by_code is not None
    assert by_code.pk == started.response.pk
    assert hot_path.response_by("access_hash", links.response_hash("not-a-link")) is None


def test_an_autosave_is_two_statements(
    client: Any, campaign: Any, compass: Any, django_assert_num_queries: Any
) -> None:
    """One look-up and one write, first answer or changed answer alike."""
    started = services.start_open_response(campaign, "nl")
    url = reverse("respond_save", kwargs={"slot": open_link(client, started.secret)})
    item = first_scale_item(compass)
    for version, value in ((0, 3), (1, 5)):
        body = json.dumps({"item": item.id, "value": value, "version": version})
        with django_assert_num_queries(2):
            reply = client.post(url, body, "application/json")
        assert reply.status_code == 200
        assert reply.json()["version"] == version + 1
    assert Answer.objects.get(response=started.response, item_id=item.id).value == 5


def test_values_round_trip_like_the_orm_and_a_cleared_answer_is_sql_null(
    campaign: Any,
) -> None:
    response = services.start_open_response(campaign, "nl").response
    values: list[Any] = ['Ontwerper "senior" – ’s-Hertogenbosch', 7, 2.5, ["a", "b"], None]
    for n, value in enumerate(values):
        assert hot_path.insert_first(response.pk, f"item{n}", value)
    stored = {a.item_id: a.value for a in Answer.objects.filter(response=response)}
    assert stored == {f"item{n}": v for n, v in enumerate(values)}
    assert set(
        Answer.objects.filter(response=response, value__isnull=True).values_list(
            "item_id", flat=True
        )
    ) == {f"item{len(values) - 1}"}


def test_insert_and_update_keep_one_row_and_count_versions(campaign: Any) -> None:
    response = services.start_open_response(campaign, "nl").response
    assert hot_path.insert_first(response.pk, "q", 1) is True
    assert hot_path.insert_first(response.pk, "q", 2) is False  # exists: refused, not replaced
    assert hot_path.update_if_version(response.pk, "q", 3, 0) is None  # stale base
    assert hot_path.update_if_version(response.pk, "q", 4, 1) == 2
    assert hot_path.update_if_version(response.pk, "q", 5, 1) is None  # v1 is gone now
    assert hot_path.update_if_version(response.pk, "q", None, 2) == 3  # cleared
    answer = Answer.objects.get(response=response, item_id="q")
    assert (answer.value, answer.version) == (None, 3)
    assert hot_path.update_if_version(response.pk, "other", 1, 0) is None  # no such answer


@pytest.mark.django_db(transaction=True)  # autocommit, as in production: the FK check is immediate
def test_a_save_for_a_response_deleted_meanwhile_is_refused_not_a_crash(campaign: Any) -> None:
    response = services.start_open_response(campaign, "nl").response
    response_id = response.pk
    response.delete()
    assert hot_path.insert_first(response_id, "q", 1) is False
    assert hot_path.update_if_version(response_id, "q", 1, 1) is None


def test_a_too_old_sqlite_is_reported_by_the_system_check(monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from koers.surveys import checks

    old = SimpleNamespace(sqlite_version_info=(3, 31, 1), sqlite_version="3.31.1")
    monkeypatch.setattr(checks, "sqlite3", old)
    monkeypatch.setattr(checks, "connections", {"default": SimpleNamespace(vendor="sqlite")})
    assert [e.id for e in checks.sqlite_supports_returning()] == ["koers.E001"]
    monkeypatch.setattr(checks, "connections", {"default": SimpleNamespace(vendor="postgresql")})
    assert checks.sqlite_supports_returning() == []
