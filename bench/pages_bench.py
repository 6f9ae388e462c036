"""Staff pages benchmark: every staff page as its role, on the demo and a large organisation.

Builds, in a throwaway SQLite database, the demo (``load_demo``) and a generated
organisation at two sizes (the same generator: employees, yearly snapshots, one invitation
campaign of finished responses), then opens every GET page of the organisation area of the
access matrix (tests/foundation/test_access_matrix.py ``ORG``) through Django's test client,
logged in as a role the matrix allows (2FA off the way the tests do it). Prints per page p50
and p95 of the wall time, the number of SQL statements, and p95 as a ratio against the 300 ms
goal and against a trivial Django page (same middleware, "ok") measured in the same run.

Fails (exit 1) when a page makes more statements on the large organisation than on the small
one: a statement count that grows with the data.

A page that starts a background job (``STARTS_JOB``: the research export, a POST) is measured
as the request that starts the job, with the job queued and not run (as with a worker: the
member waits for the start only); the job itself is then run once and its time printed on
the next line (``job:``).

    .venv/bin/python bench/pages_bench.py --quick   # small sizes (make bench)
    .venv/bin/python bench/pages_bench.py           # 50,000 employees, 10 snapshots, 20,000
    .venv/bin/python bench/pages_bench.py --employees 10000 --snapshots 5 --responses 5000
    .venv/bin/python bench/pages_bench.py --no-demo --pages compass_profiles,compass_scan
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.foundation.test_access_matrix: the list of pages
GOAL = 0.300
# POST pages that start a background download (koers.jobs.downloads): the start is measured.
STARTS_JOB = {"campaign_export"}


@dataclass
class Size:
    employees: int
    snapshots: int
    responses: int

    def __str__(self) -> str:
        return f"{self.employees:,} employees, {self.snapshots} snapshots, {self.responses:,} resp."


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument("--employees", type=int)
    parser.add_argument("--snapshots", type=int)
    parser.add_argument("--responses", type=int)
    parser.add_argument("--repeat", type=int, help="requests per page (default 5 quick, 15)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo organisation")
    parser.add_argument(
        "--pages",
        help="comma-separated url names to walk (default: every GET page), e.g. "
        "compass_profiles,compass_scan,compass_shared_report,campaign_export",
    )
    return parser.parse_args()


def setup_django(db_dir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_dir}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.KOERS_REQUIRE_2FA = False  # as tests/conftest.py: log in with force_login
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench_pages_urls"
    sys.modules["bench_pages_urls"] = _urlconf()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _urlconf() -> Any:
    """Koers's URLs plus the peer: a trivial page through the same middleware."""
    import types

    from django.http import HttpResponse
    from django.urls import path

    import koers.urls

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench-trivial/", lambda request: HttpResponse("ok"), name="bench_trivial"),
        *koers.urls.urlpatterns,
    ]
    return module


def _employees(n: int, day: dt.date, seed: int) -> Any:
    from koers.hrfile import check_for_import, parse_employees, read_table, suggest_mapping
    from koers.scan.demo import dutch_export, generate_rows

    raw = read_table(
        dutch_export(generate_rows(n, seed=seed, reference_date=day)), filename="x.csv"
    )
    return check_for_import(parse_employees(raw, suggest_mapping(raw.headers)), day).employees


def _respondents(campaign: Any, n: int, seed: int) -> None:
    from django.db import transaction

    from koers.compass.generate import generate_respondents
    from koers.compass.services import assign_profiles, score_responses
    from koers.surveys import links
    from koers.surveys.models import Answer, Response

    people = generate_respondents(
        campaign.instrument(), n, seed=seed, departments=list(campaign.departments)
    )
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            [
                Response(
                    campaign=campaign,
                    access_hash=links.response_hash(links.new_secret()),
                    instrument_version=campaign.instrument_version,
                    finished_on=campaign.opens_on,
                    started_on=campaign.opens_on,
                )
                for _ in people
            ],
            batch_size=2000,
        )
        Answer.objects.bulk_create(
            [
                Answer(response=r, item_id=item, value=value)
                for r, p in zip(responses, people, strict=True)
                for item, value in p.answers.items()
            ],
            batch_size=5000,
        )
    finished = list(campaign.responses.filter(finished_on__isnull=False).select_related("campaign"))
    score_responses(finished)
    assign_profiles(finished)


def build_org(slug: str, size: Size, seed: int) -> Any:
    """A generated organisation: snapshots, a campaign, and one object per URL family."""
    from koers.compass import reliability
    from koers.compass.releases import make_release
    from koers.instruments import get_instrument
    from koers.organisations.models import Organisation
    from koers.scan.services import store_snapshot
    from koers.surveys.models import Campaign

    org = Organisation.objects.create(slug=slug, name=f"Bench {slug}")
    for year in range(size.snapshots):
        day = dt.date(2026 - size.snapshots + 1 + year, 6, 30)
        store_snapshot(org, day, _employees(size.employees, day, seed + year), filename="x.csv")
    compass = get_instrument("career_compass")
    campaign = Campaign.objects.create(
        organisation=org,
        name="Kompas",
        instrument_key=compass.key,
        instrument_version=compass.version,
        mode=Campaign.Mode.INVITATIONS,
        departments=["R&D", "Productie", "Staf", "Verkoop"],
        opens_on=dt.date(2026, 3, 1),
    )
    _respondents(campaign, size.responses, seed)
    make_release(campaign)
    reliability.precompute(campaign)
    return org


@dataclass
class World:
    org: Any
    users: dict[str, Any]
    pks: dict[str, int]


def populate(org: Any) -> World:
    """Members by role and the objects the pages of the matrix open (as the matrix test)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from koers.compass.models import ReportShare
    from koers.jobs.models import Job
    from koers.organisations.models import Membership
    from koers.reportbox import services as reportbox
    from koers.scan.models import Snapshot, Upload
    from koers.surveys.models import Campaign, Response

    users = {}
    for role in ("admin", "hr_analyst", "manager", "works_council", "confidential_adviser"):
        user = get_user_model().objects.create_user(username=f"{role}@{org.slug}.bench")
        Membership.objects.create(user=user, organisation=org, role=role)
        users[role] = user
    researcher = get_user_model().objects.create_user(username=f"researcher@{org.slug}.bench")
    Membership.objects.create(user=researcher, organisation=org, role="researcher")
    users["researcher"] = researcher
    campaign = Campaign.objects.filter(organisation=org, instrument_key="career_compass").latest(
        "pk"
    )
    response = Response.objects.filter(campaign=campaign, finished_on__isnull=False).first()
    share = ReportShare.objects.create(response=response, user=users["hr_analyst"])
    upload = Upload.objects.create(
        organisation=org,
        filename="a.csv",
        reference_date=dt.date(2026, 6, 30),
        data=b"x",
        status=Upload.Status.INVALID,
        n_valid_rows=1,
        problems=[[3, "Geslacht", "x", "gender"]],
    )
    box = reportbox.box_of(org)
    box.is_open = True
    box.save()
    report = reportbox.receive(box, "other", "bench").report
    pks = {
        "job": Job.objects.create(organisation=org, kind="selfcheck").pk,
        "campaign": campaign.pk,
        "compass_shared": share.pk,
        "compass": campaign.pk,
        "scan_upload": upload.pk,
        "scan_snapshot": Snapshot.objects.filter(organisation=org).latest("reference_date").pk,
        "reportbox_report": report.pk,
    }
    # The other families' objects exist where the organisation has them (the demo loads
    # one of each); a page whose object the organisation lacks is skipped, and said so.
    for prefix, label in EXISTING.items():
        found = apps.get_model(label).objects.filter(organisation=org).order_by("pk").last()
        if found is not None:
            pks[prefix] = found.pk
    return World(org, users, pks)


# URL family (name prefix) -> the model of its object.
EXISTING = {
    "recruitment_vacancy": "recruitment.SavedVacancy",
    "plan_action": "plan.Action",
    "targets_edit": "targets.Target",
    "paytransparency_agreement": "paytransparency.CategoryScheme",
    "paytransparency_request": "paytransparency.InformationRequest",
    "paytransparency_letter": "paytransparency.InformationRequest",
    "paytransparency_assessment": "paytransparency.PayAssessment",
    "dialogue_s": "dialogue.Session",
}


def pages(only: set[str] | None = None) -> list[tuple[str, str]]:
    """(url name, role) for every GET page of the organisation area (or those in ``only``)."""
    from tests.foundation.access_tables import ORG, ROLES, TABLE

    out = []
    for name, (method, allowed) in sorted(ORG.items()):
        # The pages of a file made in the background answer only the member who asked for it
        # (koers.jobs.downloads); bench/pdf_bench.py measures the rendering.
        if (method != "GET" and name not in STARTS_JOB) or name.startswith("download_"):
            continue
        if only is not None and name not in only:
            continue
        # The matrix names a permission; TABLE pins the roles holding it (letters).
        letters = TABLE.get(allowed, allowed)
        letter = "H" if name.startswith("compass_shared") else letters[0]
        out.append((name, ROLES[letter]))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


@dataclass
class Measured:
    p50: float
    p95: float
    queries: int
    status: int


def measure(client: Any, url: str, repeat: int, post: bool = False) -> Measured:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], [], 0
    for _ in range(repeat + 1):  # the first request warms caches: not counted
        reset_queries()  # DEBUG keeps at most 9,000 statements; counts need an empty log
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.post(url) if post else client.get(url)
            elapsed = time.perf_counter() - start
        status = response.status_code
        times.append(elapsed)
        queries.append(len(captured.captured_queries))
    return Measured(pct(times[1:], 50), pct(times[1:], 95), max(queries[1:]), status)


def walk(
    world: World, repeat: int, trivial: float, only: set[str] | None = None
) -> dict[str, Measured]:
    from django.test import Client
    from django.urls import NoReverseMatch
    from tests.foundation.access_tables import org_url as _org_url

    results = {}
    for name, role in pages(only):
        client = Client()
        client.force_login(world.users[role])
        try:
            url = _org_url(name, world.pks, org=world.org.slug)
        except NoReverseMatch:
            print(f"  {name:28} {role:22} skipped: the organisation has no such object")
            continue
        n = max(2, repeat // 3) if name.endswith("_pdf") else repeat
        if name in STARTS_JOB:
            results[name] = m = measure_start(client, url, n)
        else:
            results[name] = m = measure(client, url, n)
        print(
            f"  {name:28} {role:22} {m.status:4} {m.p50 * 1000:8.1f} {m.p95 * 1000:8.1f} "
            f"{m.queries:5}   {m.p95 / GOAL:6.2f} {m.p95 / trivial:8.1f}",
            flush=True,
        )
        if name in STARTS_JOB:
            print(f"  {'  job: ' + name:28} {'(one run)':22} {time_one_job(world.org):>22.1f} ms")
    return results


def measure_start(client: Any, url: str, repeat: int) -> Measured:
    """The POST that starts a background job, the job queued but not run (a worker's work)."""
    from unittest import mock

    from koers.jobs.tasks import run_job

    with mock.patch.object(run_job, "delay"):
        return measure(client, url, repeat, post=True)


def time_one_job(org: Any) -> float:
    """Run the organisation's latest queued job in this process; its wall time in ms."""
    from koers.jobs.models import Job
    from koers.jobs.tasks import run_job

    job = Job.objects.filter(organisation=org, status=Job.Status.QUEUED).latest("pk")
    start = time.perf_counter()
    run_job(job.pk)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    if job.status != Job.Status.DONE:
        print(f"  job {job.kind} #{job.pk}: {job.status} {job.message}")
    return elapsed * 1000


def header(title: str) -> None:
    print(f"\n{title}")
    print(
        f"  {'page':28} {'role':22} {'HTTP':4} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>5}"
        f"   {'/300ms':>6} {'/trivial':>8}"
    )


def main() -> int:
    args = parse_args()
    if args.quick:
        large = Size(2_000, 3, 400)
        small = Size(300, 2, 60)
        repeat = args.repeat or 5
    else:
        large = Size(50_000, 10, 20_000)
        small = Size(2_000, 2, 200)
        repeat = args.repeat or 15
    large = Size(
        args.employees or large.employees,
        args.snapshots or large.snapshots,
        args.responses or large.responses,
    )
    only = set(args.pages.split(",")) if args.pages else None
    with tempfile.TemporaryDirectory(prefix="koers-pages-bench-") as db_dir:
        setup_django(db_dir)
        from django.core.management import call_command
        from django.test import Client

        from koers.organisations.demo import DEMO_ORG
        from koers.organisations.models import Organisation

        trivial = measure(Client(), "/bench-trivial/", max(repeat, 20)).p95
        print(f"peer: trivial Django page p95 {trivial * 1000:.2f} ms (same middleware, same run)")
        worlds: dict[str, World] = {}
        if not args.no_demo:
            start = time.perf_counter()
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            worlds["demo"] = populate(Organisation.objects.get(slug=DEMO_ORG[0]))
            print(f"built demo in {time.perf_counter() - start:.0f} s")
        for label, size, seed in (("small", small, 11), ("large", large, 23)):
            start = time.perf_counter()
            worlds[label] = populate(build_org(f"bench-{label}", size, seed))
            print(f"built {label} ({size}) in {time.perf_counter() - start:.0f} s")
        results = {}
        for label, world in worlds.items():
            # The peer again just before each walk: a shared machine's load drifts.
            trivial = measure(Client(), "/bench-trivial/", max(repeat, 20)).p95
            header(f"{label}: {world.org.name} (trivial page p95 {trivial * 1000:.1f} ms)")
            results[label] = walk(world, repeat, trivial, only)
    failures = [
        f"{name}: {results['small'][name].queries} statements small, {m.queries} large"
        for name, m in results["large"].items()
        if name in results["small"] and m.queries > results["small"][name].queries
    ]
    slow = [
        f"{label}/{name} p95 {m.p95 * 1000:.0f} ms"
        for label, measured in results.items()
        for name, m in measured.items()
        if m.p95 > GOAL
    ]
    print(f"\nover the 300 ms goal at p95 ({len(slow)}): " + ("; ".join(slow) or "none"))
    if failures:
        print("FAIL: statement count grows with the data: " + "; ".join(failures))
        return 1
    print("OK: no page makes more statements on the large organisation than on the small one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
