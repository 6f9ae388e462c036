"""An organisation's own data out (export) and gone (deletion).

The export holds every row of every model that belongs to the organisation
(subclasses of ``OrganisationOwned``: campaigns, HR snapshots, profile models,
jobs, API keys without their secrets, the audit log) plus its memberships.
Individual questionnaire answers are not in it: they belong to the respondents
(DESIGN.md privacy table), who download or delete them themselves.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.apps import apps
from django.core import serializers
from django.db import transaction

from koers.organisations.models import Membership, Organisation, OrganisationOwned

SKIP_FIELDS = {"api.apitoken": {"token_hash"}}
# Written as a count only: the reporting box's reports are for the confidential adviser's
# eyes, and the organisation admin is the one who exports (docs/reporting-box.md).
COUNT_ONLY = {"reportbox.report"}


def owned_models() -> list[type[OrganisationOwned]]:
    return [
        m for m in apps.get_models() if issubclass(m, OrganisationOwned) and not m._meta.abstract
    ]


def export_organisation(org: Organisation) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "organisation.json",
            json.dumps(
                {"name": org.name, "slug": org.slug, "created": org.created.isoformat()}, indent=2
            ),
        )
        members = [
            {"email": m.user.email, "role": m.role, "since": m.created.isoformat()}
            for m in Membership.objects.filter(organisation=org).select_related("user")
        ]
        archive.writestr("members.json", json.dumps(members, indent=2, ensure_ascii=False))
        for model in owned_models():
            label = model._meta.label_lower
            rows = model.objects.for_org(org)
            if label in COUNT_ONLY:
                archive.writestr(f"{label}.json", json.dumps({"count": rows.count()}))
                continue
            skip = SKIP_FIELDS.get(label, set())
            fields = [f.name for f in model._meta.concrete_fields if f.name not in skip]
            archive.writestr(
                f"{label}.json",
                serializers.serialize("json", rows, fields=fields, indent=2),
            )
    return buffer.getvalue()


@transaction.atomic
def delete_organisation(org: Organisation) -> None:
    """Delete the organisation and, by cascade, everything that belongs to it."""
    org.delete()
