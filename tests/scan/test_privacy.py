"""Pseudonymisation: real employee ids are never stored once a file is imported."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.db import connection

from koers.scan.models import Snapshot, Upload
from koers.scan.services import pseudonymise


def test_ids_are_replaced_by_a_keyed_hash_and_never_stored(
    client: Any,
    hr_user: Any,
    org_a: Any,
    good_file: bytes,
    rows: list[dict[str, Any]],
    run_upload: Any,
) -> None:
    client.force_login(hr_user)
    run_upload(good_file)
    frame = Snapshot.objects.get().frame()
    raw_ids = {r["employee_id"] for r in rows}
    assert not raw_ids & set(frame["employee_id"])
    first = rows[0]["employee_id"]
    expected = hmac.new(org_a.pseudonym_key.encode(), first.encode(), hashlib.sha256).hexdigest()[
        :32
    ]
    assert expected in set(frame["employee_id"])
    # The upload's file, preview and problems are gone.
    upload = Upload.objects.get()
    assert bytes(upload.data) == b""
    assert upload.preview == []
    assert upload.problems == []
    # No table holds a raw id as text (the snapshot blob is compressed; checked above).
    with connection.cursor() as cursor:
        for model in (Upload, Snapshot):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            dump = repr(cursor.fetchall())
            assert f"'{first}'" not in dump
            assert f'"{first}"' not in dump


def test_the_same_id_gets_another_pseudonym_in_another_organisation(org_a: Any, org_b: Any) -> None:
    assert pseudonymise(["10001"], org_a.pseudonym_key) != pseudonymise(
        ["10001"], org_b.pseudonym_key
    )
    assert pseudonymise(["10001"], org_a.pseudonym_key) == pseudonymise(
        ["10001"], org_a.pseudonym_key
    )


def test_discarding_an_upload_wipes_the_file(
    client: Any, hr_user: Any, bad_file: bytes, run_upload: Any
) -> None:
    from django.urls import reverse

    client.force_login(hr_user)
    run_upload(bad_file)
    upload = Upload.objects.get()
    assert upload.problems
    client.post(reverse("scan_upload_discard", kwargs={"org": "alpha", "pk": upload.pk}))
    upload.refresh_from_db()
    assert upload.status == Upload.Status.DISCARDED
    assert bytes(upload.data) == b""
    assert upload.problems == []


def test_snapshots_past_the_retention_period_are_deleted(org_a: Any, good_file: bytes) -> None:
    import datetime as dt

    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.lib import hooks
    from koers.organisations.retention import enforce
    from koers.scan.services import store_snapshot

    assert "hr_snapshots" in dict(hooks.retention_rules.items())
    raw = read_table(good_file, filename="x.csv")
    employees = check_for_import(
        parse_employees(raw, suggest_mapping(raw.headers)), dt.date(2026, 6, 30)
    ).employees
    old = store_snapshot(org_a, dt.date(2018, 12, 31), employees)
    recent = store_snapshot(org_a, dt.date(2026, 6, 30), employees)
    removed = enforce(dt.date(2026, 11, 1))
    assert removed["hr_snapshots"] == 1
    assert not Snapshot.objects.filter(pk=old.pk).exists()
    assert Snapshot.objects.filter(pk=recent.pk).exists()


def test_viewing_and_downloading_the_scan_is_audited(
    client: Any, hr_user: Any, good_file: bytes, run_upload: Any, org_a: Any
) -> None:
    from django.urls import reverse

    from koers.organisations.models import AuditEvent

    client.force_login(hr_user)
    run_upload(good_file)
    snapshot = Snapshot.objects.get()
    client.get(reverse("scan_snapshot", kwargs={"org": "alpha", "pk": snapshot.pk}))
    actions = set(AuditEvent.objects.for_org(org_a).values_list("action", flat=True))
    assert {"scan.upload", "scan.view"} <= actions
