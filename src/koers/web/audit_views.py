"""The organisation's audit log for its admin: readable, filtered, exportable as CSV."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.lib.forms import DescribedFields
from koers.organisations import audit
from koers.organisations.access import OrgRequest, org_view
from koers.organisations.audit_log import Filters, actions_in, events_of, label, people, to_csv
from koers.organisations.audit_log import selection as selection_words
from koers.organisations.models import Organisation

PAGE_ROWS = 500


class AuditFilterForm(DescribedFields, forms.Form):
    person = forms.TypedChoiceField(label=_("Wie"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Actie"), required=False)
    since = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, organisation: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        action = self.fields["action"]
        assert isinstance(person, forms.ChoiceField)
        assert isinstance(action, forms.ChoiceField)
        person.choices = [("", _("Iedereen"))] + [
            (u.pk, u.get_full_name() or u.email) for u in people(organisation)
        ]
        action.choices = [("", _("Alle acties")), *actions_in(organisation)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Deze datum ligt vóór de begindatum; kies een latere."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            data.get("person"), data.get("action") or "", data.get("since"), data.get("until")
        )


@org_view("audit.view")
def audit_log(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    form = AuditFilterForm(org, request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else Filters()
    events = events_of(org, filters)
    if request.GET.get("format") == "csv" and not form.errors:
        audit.record(org, request.user, "audit.export", "", filters.as_dict())
        response = HttpResponse(
            "\ufeff" + to_csv(events.iterator()), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="koers-auditlog-{stamp}.csv"'
        return response
    shown = list(events[: PAGE_ROWS + 1])
    rows = [(e, label(e.action), selection_words(e.detail)) for e in shown[:PAGE_ROWS]]
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "web/audit.html",
        {
            "rows": rows,
            "more": len(shown) > PAGE_ROWS,
            "form": form,
            "csv_query": query.urlencode(),
            "page_rows": PAGE_ROWS,
        },
        status=400 if form.errors else 200,
    )
