"""Snapshots are history: a second file for a date replaces the first only when confirmed,
the replacement can be undone for KOERS_SNAPSHOT_UNDO_DAYS, and no old page answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from koers.lib import hooks
from koers.organisations.retention import enforce
from koers.scan import versions
from koers.scan.demo import dutch_export, generate_rows
from koers.scan.models import Snapshot
from tests.scan.conftest import REF, text_of


@pytest.fixture
def second_file() -> bytes:
    """The same firm a little later: other people, so the headline figures change."""
    return dutch_export(generate_rows(150, seed=12, reference_date=REF))


@pytest.fixture
def replaced_upload(
    client: Any, hr_user: Any, good_file: bytes, second_file: bytes, run_upload: Any
) -> tuple[Snapshot, Snapshot, Any]:
    """(first version, pending second version, the page the second upload ends on)."""
    client.force_login(hr_user)
    run_upload(good_file, filename="eerste.csv")
    first = Snapshot.objects.get()
    page = run_upload(second_file, filename="tweede.csv")
    second = Snapshot.objects.exclude(pk=first.pk).get()
    return first, second, page


def _url(name: str, pk: int) -> str:
    return reverse(name, kwargs={"org": "alpha", "pk": pk})


def test_a_second_file_for_a_date_waits_on_a_page_that_names_what_will_be_lost(
    replaced_upload: tuple[Snapshot, Snapshot, Any],
) -> None:
    first, second, page = replaced_upload
    assert page.templates[0].name == "scan/replace.html"
    assert second.status == Snapshot.Status.PENDING
    assert (second.version, first.version) == (2, 1)
    text = text_of(page)
    assert "eerste.csv" in text
    assert f"{first.n_rows} rijen" in text
    assert timezone.localtime(first.created).strftime("%-d-%-m-%Y") in text
    losses = {row["key"] for row in page.context["losses"]}
    assert {"n_staff", "female_share"} <= losses
    assert "Vrouwen in dienst" in text
    # Nothing is replaced yet: the scan still opens on the first version.
    assert Snapshot.objects.current_for(first.organisation).get().pk == first.pk


def test_replacing_needs_the_confirmation_box_ticked(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    response = client.post(_url("scan_snapshot_confirm", second.pk), {})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Snapshot.Status.PENDING
    response = client.post(_url("scan_snapshot_confirm", second.pk), {"confirm": "1"})
    assert response["Location"] == _url("scan_snapshot", second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Snapshot.Status.REPLACED, Snapshot.Status.CURRENT)
    assert first.replaced_by_id == second.pk
    assert bytes(Snapshot.objects.get(pk=first.pk).data)  # kept for the undo period


def test_a_new_file_not_confirmed_can_be_thrown_away_leaving_the_first(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    client.post(_url("scan_snapshot_cancel", second.pk))
    assert list(Snapshot.objects.values_list("pk", "status")) == [(first.pk, "current")]


def test_a_replacement_can_be_undone_within_the_undo_period_and_redone(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    client.post(_url("scan_snapshot_confirm", second.pk), {"confirm": "1"})
    page = client.get(_url("scan_snapshot", first.pk))
    assert page.status_code == 200
    assert "Vervanging ongedaan maken" in text_of(page)
    client.post(_url("scan_snapshot_undo", first.pk))
    assert Snapshot.objects.current_for(first.organisation).get().pk == first.pk
    second.refresh_from_db()
    assert second.status == Snapshot.Status.REPLACED
    client.post(_url("scan_snapshot_undo", second.pk))
    assert Snapshot.objects.current_for(first.organisation).get().pk == second.pk


def test_a_replaced_version_gives_no_shareable_pdf(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    versions.confirm_replacement(second)
    page = client.get(_url("scan_snapshot", first.pk))
    assert "PDF om te delen" not in text_of(page)
    response = client.post(_url("scan_snapshot_pdf", first.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("scan_snapshot", first.pk)


def _age(snapshot: Snapshot, days: float) -> None:
    Snapshot.objects.filter(pk=snapshot.pk).update(
        replaced_at=timezone.now() - dt.timedelta(days=days)
    )


def test_a_replacement_cannot_be_undone_after_the_undo_period(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    client.post(_url("scan_snapshot_confirm", second.pk), {"confirm": "1"})
    _age(first, 14.01)
    page = client.get(_url("scan_snapshot", first.pk))
    assert "Vervanging ongedaan maken" not in text_of(page)
    response = client.post(_url("scan_snapshot_undo", first.pk), follow=True)
    assert "termijn is voorbij" in text_of(response)
    assert Snapshot.objects.current_for(first.organisation).get().pk == second.pk


def test_the_undo_period_is_a_setting(replaced_upload: tuple[Snapshot, Snapshot, Any]) -> None:
    first, second, _page = replaced_upload
    versions.confirm_replacement(second)
    _age(first, 20)
    first.refresh_from_db()
    assert not versions.can_undo(first)
    with override_settings(KOERS_SNAPSHOT_UNDO_DAYS=30):
        assert versions.can_undo(first)
        versions.undo_replacement(first)
    first.refresh_from_db()
    assert first.is_current


def test_the_retention_rule_wipes_a_replaced_version_after_the_undo_period_only(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    assert hooks.retention_rules.get("hr_replaced_snapshots").setting == (
        "KOERS_SNAPSHOT_UNDO_DAYS"
    )
    versions.confirm_replacement(second)
    _age(first, 13)
    assert enforce()["hr_replaced_snapshots"] == 0
    assert bytes(Snapshot.objects.get(pk=first.pk).data)
    _age(first, 16)
    assert enforce()["hr_replaced_snapshots"] == 1
    removed = Snapshot.objects.get(pk=first.pk)
    assert removed.status == Snapshot.Status.REMOVED
    assert bytes(removed.data) == b""
    assert Snapshot.objects.get(pk=second.pk).is_current
    # The old page still answers: it points to the current version of the date.
    response = client.get(_url("scan_snapshot", first.pk), follow=True)
    assert response.status_code == 200
    assert response.context["snapshot"].pk == second.pk
    assert "is vervangen" in text_of(response)


def test_a_version_left_unconfirmed_is_dropped_by_the_retention_rule(
    replaced_upload: tuple[Snapshot, Snapshot, Any],
) -> None:
    first, second, _page = replaced_upload
    Snapshot.objects.filter(pk=second.pk).update(created=timezone.now() - dt.timedelta(days=8))
    enforce()
    assert list(Snapshot.objects.values_list("pk", flat=True)) == [first.pk]


def test_outside_hr_an_earlier_version_opens_as_the_current_one(
    client: Any, member_of: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    versions.confirm_replacement(second)
    client.force_login(member_of("manager"))
    response = client.get(_url("scan_snapshot", first.pk), follow=True)
    assert response.status_code == 200
    assert response.context["snapshot"].pk == second.pk
    # A pending version is no page of its own for them either.
    pending = Snapshot.objects.create(
        organisation=first.organisation,
        reference_date=first.reference_date,
        data=first.data,
        version=3,
        status=Snapshot.Status.PENDING,
    )
    response = client.get(_url("scan_snapshot", pending.pk), follow=True)
    assert response.context["snapshot"].pk == second.pk
    pdf = client.post(_url("scan_snapshot_pdf", first.pk))
    assert pdf.status_code == 302


def test_old_snapshot_pages_of_other_dates_keep_working_after_a_new_import(
    client: Any, hr_user: Any, good_file: bytes, run_upload: Any
) -> None:
    client.force_login(hr_user)
    run_upload(good_file, reference_date=dt.date(2025, 6, 30))
    old = Snapshot.objects.get()
    run_upload(good_file)
    assert client.get(_url("scan_snapshot", old.pk)).status_code == 200
    assert Snapshot.objects.current_for(old.organisation).count() == 2


def test_deleting_a_baseline_deletes_every_version_of_its_date(
    client: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    versions.confirm_replacement(second)
    client.post(_url("scan_snapshot_delete", second.pk), {"confirm": "1"})
    assert not Snapshot.objects.exists()


def test_the_public_reading_api_lists_one_current_snapshot_per_date(
    org_a: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    assert list(Snapshot.objects.current_for(org_a)) == [first]
    versions.confirm_replacement(second)
    assert list(Snapshot.objects.current_for(org_a)) == [second]
    assert list(Snapshot.objects.history_for(org_a)) == [second]
    assert [s.pk for s in Snapshot.objects.versions_for(org_a, REF)] == [second.pk, first.pk]


def test_another_organisation_cannot_confirm_or_undo_a_replacement(
    client: Any, charlie: Any, replaced_upload: tuple[Snapshot, Snapshot, Any]
) -> None:
    first, second, _page = replaced_upload
    client.force_login(charlie)
    assert client.get(_url("scan_snapshot_replace", second.pk)).status_code == 404
    assert client.post(_url("scan_snapshot_confirm", second.pk), {"confirm": "1"}).status_code == (
        404
    )
    second.refresh_from_db()
    assert second.status == Snapshot.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_existing_snapshot_as_the_current_first_version() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("scan", "0001_initial")], [("scan", "0002_snapshot_versions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        org = old.get_model("organisations", "Organisation").objects.create(name="Oud", slug="oud")
        old.get_model("scan", "Snapshot").objects.create(
            organisation=org, reference_date=REF, data=b"rows", n_rows=7, filename="oud.csv"
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        kept = new.get_model("scan", "Snapshot").objects.get()
        assert (kept.status, kept.version, kept.n_rows, bytes(kept.data)) == (
            "current",
            1,
            7,
            b"rows",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
