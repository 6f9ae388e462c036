"""Gender Scan pages: upload → mapping → problems → import, the dashboard and the PDF.

Views stay short: check access (``@org_view("scan.…")``), call one service, render. The
upload steps are for HR roles only (the file holds salaries and real ids);
the dashboard and the shareable PDF are also open to managers, the works
council and researchers, who see suppressed figures (``build_context(hr=False)``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koers.hrfile.columns import normalise_header
from koers.jobs import downloads
from koers.jobs.models import Job
from koers.organisations import audit
from koers.organisations.access import OrgRequest, can, org_view
from koers.scan import history, services, versions
from koers.scan import views_history as history_views
from koers.scan.forms import FixedPeriodForm, MappingForm, PeriodForm, UploadForm
from koers.scan.labels import COLUMN_HELP, COLUMN_LABELS
from koers.scan.models import Snapshot, Upload
from koers.scan.pdf import render_pdf
from koers.scan.periods import default_fixed_period, find_period, fixed_periods
from koers.scan.report import default_period

PROBLEMS_ON_PAGE = 1000


def _upload(request: OrgRequest, pk: int, *, with_data: bool = False) -> Upload:
    uploads = Upload.objects.for_org(request.organisation)
    if not with_data:
        uploads = uploads.defer("data")
    upload: Upload = get_object_or_404(uploads, pk=pk)
    return upload


def _snapshot(request: OrgRequest, pk: int) -> Snapshot:
    # Without the stored rows: read only when the report is not in the cache.
    snapshot: Snapshot = get_object_or_404(
        Snapshot.objects.for_org(request.organisation).defer("data"), pk=pk
    )
    return snapshot


def _open_uploads(request: OrgRequest) -> list[Upload]:
    if not can(request, "scan.view_all_figures"):
        return []
    statuses = [
        Upload.Status.READING,
        Upload.Status.MAPPING,
        Upload.Status.CHECKING,
        Upload.Status.INVALID,
    ]
    return list(
        Upload.objects.for_org(request.organisation).filter(status__in=statuses).defer("data")[:5]
    )


def _report(request: OrgRequest, snapshot: Snapshot, *, hr: bool) -> tuple[dict[str, Any], Any]:
    if not hr:
        return _shared_report(request, snapshot)
    form = PeriodForm(
        request.GET if "start" in request.GET else None, reference_date=snapshot.reference_date
    )
    period = default_period(snapshot.reference_date)
    if form.is_bound and form.is_valid():
        period = (form.cleaned_data["start"], form.cleaned_data["end"])
    elif not form.is_bound:
        form = PeriodForm(
            initial={"start": period[0], "end": period[1]}, reference_date=snapshot.reference_date
        )
    report = _cached_report(snapshot, period=period, hr=hr, lang=get_language() or "nl")
    return report, form


def _shared_report(request: OrgRequest, snapshot: Snapshot) -> tuple[dict[str, Any], Any]:
    """Outside HR: a fixed period (calendar year or quarter); free dates are refused."""
    lang = get_language() or "nl"
    periods = fixed_periods(snapshot.reference_date)
    chosen = find_period(snapshot.reference_date, request.GET.get("periode"))
    if chosen is None:
        chosen = default_fixed_period(snapshot.reference_date)
    form = FixedPeriodForm(initial={"periode": chosen.code}, periods=periods, lang=lang)
    if "start" in request.GET or "end" in request.GET:
        messages.warning(
            request,
            _(
                "Buiten HR toont de Gender Scan de stromen alleen per kalenderjaar of kwartaal; "
                "kies hieronder een periode."
            ),
        )
    report = _cached_report(snapshot, period=chosen, hr=False, lang=lang, with_previous=True)
    return report, form


def _cached_report(
    snapshot: Snapshot, *, period: Any, hr: bool, lang: str, with_previous: bool = False
) -> dict[str, Any]:
    """The report's figures, cached (:func:`koers.scan.history.snapshot_report`)."""
    previous = history.previous_of(snapshot) if with_previous else None
    return history.snapshot_report(
        snapshot, period=period, hr=hr, lang=lang, previous=previous, with_previous=with_previous
    )


def _dashboard(request: OrgRequest, snapshot: Snapshot) -> HttpResponse:
    hr = can(request, "scan.view_all_figures")
    report, period_form = _report(request, snapshot, hr=hr)
    audit.record(request.organisation, request.user, "scan.view", snapshot)
    snapshots = Snapshot.objects.current_for(request.organisation)
    query = request.GET.urlencode()
    pdf_url = reverse(
        "scan_snapshot_pdf", kwargs={"org": request.organisation.slug, "pk": snapshot.pk}
    )
    pdf_urls = (
        f"{pdf_url}?{query}" if query else pdf_url,
        f"{pdf_url}?variant=intern&{query}" if query else f"{pdf_url}?variant=intern",
    )
    return render(
        request,
        "scan/dashboard.html",
        {
            "snapshot": snapshot,
            "snapshots": snapshots,
            "r": report,
            "period_form": period_form,
            "open_uploads": _open_uploads(request),
            "is_hr": hr,
            "query": query,
            "pdf_urls": pdf_urls,
            "undo_deadline": versions.undo_deadline(snapshot),
            "can_undo": versions.can_undo(snapshot),
        },
    )


@org_view("scan.view")
def scan_home(request: OrgRequest) -> HttpResponse:
    snapshot = services.latest_snapshot(request.organisation)
    if snapshot is None:
        return render(
            request,
            "scan/empty.html",
            {
                "open_uploads": _open_uploads(request),
                "is_hr": can(request, "scan.view_all_figures"),
            },
        )
    return _dashboard(request, _snapshot(request, snapshot.pk))


@org_view("scan.view")
def scan_snapshot(request: OrgRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot(request, pk)
    if not snapshot.is_current:
        # An earlier version of a date (koers.scan.versions): never "not found".
        return history_views.earlier_version(request, snapshot) or _dashboard(request, snapshot)
    return _dashboard(request, snapshot)


@require_POST
@org_view("scan.view")
def scan_snapshot_pdf(request: OrgRequest, pk: int) -> HttpResponse:
    """Start the report PDF as a background job (koers.jobs.downloads); its page shows progress."""
    snapshot = _snapshot(request, pk)
    hr = can(request, "scan.view_all_figures") and request.GET.get("variant") == "intern"
    if not snapshot.is_current:
        moved = history_views.earlier_version(request, snapshot)
        if moved is not None:
            return moved
        if not hr:  # nothing about a replaced version leaves HR
            messages.info(request, _("Van een vervangen versie is alleen de PDF voor HR te maken."))
            return redirect("scan_snapshot", org=request.organisation.slug, pk=pk)
    variant = "intern" if hr else "deelbaar"
    audit.record(request.organisation, request.user, f"scan.pdf.{variant}", snapshot)
    query = request.GET.copy()
    query.pop("variant", None)
    back = reverse("scan_snapshot", kwargs={"org": request.organisation.slug, "pk": pk})
    back += f"?{query.urlencode()}" if query else ""
    return downloads.start(request, "scan.report", {"snapshot": pk, "hr": hr}, back=back)


def build_report_pdf(
    request: OrgRequest, args: dict[str, Any], progress: Callable[[int, str], None]
) -> tuple[bytes, str]:
    """The report PDF, in a background job (registered in extensions.py as "scan.report")."""
    snapshot = _snapshot(request, int(args["snapshot"]))
    hr = bool(args.get("hr")) and can(request, "scan.view_all_figures")
    report, _form = _report(request, snapshot, hr=hr)
    progress(15, _("Rapport samengesteld"))
    pdf = render_pdf(
        request,
        {"snapshot": snapshot, "r": report, "organisation": request.organisation, "variant_hr": hr},
        progress=progress,
    )
    variant = "intern" if hr else "deelbaar"
    day = snapshot.reference_date.isoformat()
    return pdf, f"gender-scan-{request.organisation.slug}-{day}-{variant}.pdf"


@require_POST
@org_view("scan.manage")
def scan_snapshot_delete(request: OrgRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot(request, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Vink aan dat je de nulmeting wilt verwijderen."))
        return redirect("scan_snapshot", org=request.organisation.slug, pk=pk)
    day = snapshot.reference_date
    audit.record(request.organisation, request.user, "scan.delete", snapshot)
    # Every version of the date goes: deleting a baseline deletes its data.
    Snapshot.objects.versions_for(request.organisation, day).delete()
    messages.success(
        request, _("De nulmeting per %(date)s is verwijderd.") % {"date": day.strftime("%d-%m-%Y")}
    )
    return redirect("scan_home", org=request.organisation.slug)


@org_view("scan.manage")
def scan_upload_new(request: OrgRequest) -> HttpResponse:
    org = request.organisation
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = services.create_upload(
                org,
                request.user,
                form.file_bytes,
                form.cleaned_data["file"].name,
                form.cleaned_data["reference_date"],
            )
            audit.record(org, request.user, "scan.upload", upload.filename)
            return redirect("scan_upload", org=org.slug, pk=upload.pk)
        status = 400
    else:
        initial = {}
        with contextlib.suppress(ValueError):  # no or a malformed date: the form is empty
            initial["reference_date"] = dt.date.fromisoformat(request.GET.get("peildatum", ""))
        form = UploadForm(initial=initial)
        status = 200
    return render(
        request,
        "scan/upload.html",
        {"form": form, "columns": _column_table()},
        status=status,
    )


def _column_table() -> list[dict[str, Any]]:
    from koers.hrfile.columns import EMPLOYEE_COLUMNS

    return [
        {
            "name": spec.name,
            "label": COLUMN_LABELS[spec.name],
            "help": COLUMN_HELP[spec.name],
            "required": spec.required,
            "aliases": ", ".join(spec.aliases),
        }
        for spec in EMPLOYEE_COLUMNS
    ]


@org_view("scan.manage")
def scan_upload(request: OrgRequest, pk: int) -> HttpResponse:
    """Where an upload stands: send the user to the page for its current step."""
    upload = _upload(request, pk)
    slug = request.organisation.slug
    if upload.status in (Upload.Status.READING, Upload.Status.CHECKING):
        job = upload.job
        if job is not None and job.status == Job.Status.FAILED:
            return _job_failed(request, upload)
        return redirect("scan_upload_progress", org=slug, pk=pk)
    if upload.status == Upload.Status.MAPPING:
        return redirect("scan_upload_mapping", org=slug, pk=pk)
    if upload.status == Upload.Status.INVALID:
        return redirect("scan_upload_problems", org=slug, pk=pk)
    if upload.status == Upload.Status.IMPORTED and upload.snapshot_id:
        return redirect("scan_snapshot", org=slug, pk=upload.snapshot_id)
    messages.info(request, _("Deze upload bestaat niet meer; upload het bestand opnieuw."))
    return redirect("scan_upload_new", org=slug)


def _job_failed(request: OrgRequest, upload: Upload) -> HttpResponse:
    slug = request.organisation.slug
    messages.error(
        request,
        _(
            "Het verwerken van het bestand is mislukt door een fout in Koers. Probeer het "
            "opnieuw; lukt het weer niet, neem dan contact op met de beheerder."
        ),
    )
    if upload.status == Upload.Status.CHECKING and upload.headers:
        Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.MAPPING)
        return redirect("scan_upload_mapping", org=slug, pk=upload.pk)
    services.discard_upload(_upload(request, upload.pk, with_data=True))
    return redirect("scan_upload_new", org=slug)


@org_view("scan.manage")
def scan_upload_progress(request: OrgRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    job = upload.job
    if (
        job is None
        or job.is_finished
        or upload.status
        not in (
            Upload.Status.READING,
            Upload.Status.CHECKING,
        )
    ):
        return redirect("scan_upload", org=request.organisation.slug, pk=pk)
    return render(request, "scan/progress.html", {"upload": upload, "job": job})


@org_view("scan.manage")
def scan_upload_mapping(request: OrgRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    if not upload.is_open or not upload.headers:
        return redirect("scan_upload", org=request.organisation.slug, pk=pk)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        headers=upload.headers,
        initial_mapping=upload.mapping
        or services.initial_mapping(request.organisation, upload.headers),
    )
    if request.method == "POST" and form.is_valid():
        services.save_mapping(upload, form.mapping(), request.user)
        services.start_check(upload, request.user)
        return redirect("scan_upload", org=request.organisation.slug, pk=pk)
    saved = services.saved_mapping(request.organisation)
    reused = any(normalise_header(h) in saved for h in upload.headers)
    replaces = versions.current_version(request.organisation, upload.reference_date) is not None
    return render(
        request,
        "scan/mapping.html",
        {
            "upload": upload,
            "form": form,
            "reused": reused,
            "replaces": replaces,
            "preview_width": len(upload.headers),
        },
        status=400 if form.is_bound else 200,
    )


@org_view("scan.manage")
def scan_upload_problems(request: OrgRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    if upload.status != Upload.Status.INVALID:
        return redirect("scan_upload", org=request.organisation.slug, pk=pk)
    return render(
        request,
        "scan/problems.html",
        {
            "upload": upload,
            "problems": services.problem_rows(upload, limit=PROBLEMS_ON_PAGE),
            "limited": upload.n_problems > PROBLEMS_ON_PAGE,
            "limit": PROBLEMS_ON_PAGE,
            "can_import_valid": upload.usable and upload.n_valid_rows > 0,
            "replaces": versions.current_version(request.organisation, upload.reference_date)
            is not None,
        },
    )


@org_view("scan.manage")
def scan_upload_problems_csv(request: OrgRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    if upload.status != Upload.Status.INVALID:
        raise Http404("No problem list")
    audit.record(request.organisation, request.user, "scan.problems_csv", upload.filename)
    response = HttpResponse(services.problems_csv(upload), content_type="text/csv; charset=utf-8")
    stem = upload.filename.rsplit(".", 1)[0][:60] or "hr-bestand"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)
    response["Content-Disposition"] = f'attachment; filename="fouten-{safe}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@org_view("scan.manage")
def scan_upload_import_valid(request: OrgRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk)
    if upload.status != Upload.Status.INVALID or not upload.usable or not upload.n_valid_rows:
        messages.error(request, _("Deze upload kan niet (meer) worden geïmporteerd."))
        return redirect("scan_upload", org=request.organisation.slug, pk=pk)
    services.start_check(upload, request.user, valid_only=True)
    audit.record(request.organisation, request.user, "scan.import_valid_rows", upload.filename)
    return redirect("scan_upload", org=request.organisation.slug, pk=pk)


@require_POST
@org_view("scan.manage")
def scan_upload_discard(request: OrgRequest, pk: int) -> HttpResponse:
    upload = _upload(request, pk, with_data=True)
    if upload.status != Upload.Status.IMPORTED:
        services.discard_upload(upload)
        messages.success(request, _("De upload is verwijderd, met alle gegevens erin."))
    return redirect("scan_home", org=request.organisation.slug)
