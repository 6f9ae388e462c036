"""The child process (``--child``): setup, verify and profile inside Django."""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .common import REPO

# --- the child process: Django inside, same settings as the server -------------------------


def child_main(name: str, argument: str) -> None:
    """Run inside the Koers environment (``--child``): setup, verify, profile."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    django.setup()
    result: Any
    if name == "setup":
        result = child_setup()
    elif name == "verify":
        result = child_verify(json.loads(Path(argument).read_text()))
    elif name == "profile":
        result = child_profile(json.loads(argument))
    else:
        raise SystemExit(f"unknown child task {name}")
    print("CHILDJSON " + json.dumps(result), flush=True)


def child_setup() -> dict[str, Any]:
    from django.conf import settings

    from koers.instruments import get_instrument
    from koers.lib import ratelimit
    from koers.organisations.models import Organisation
    from koers.reportbox import services as reportbox
    from koers.surveys import throttle
    from koers.surveys.models import Campaign

    instrument = get_instrument("career_compass")
    org = Organisation.objects.create(name="Load test B.V.", slug="load-test")
    campaign = Campaign.objects.create(
        organisation=org,
        name="Carrière Kompas (load test)",
        instrument_key="career_compass",
        instrument_version=instrument.version,
        mode=Campaign.Mode.OPEN_LINK,
    )
    scale_items = [
        [item.id, item.response_scale.min, item.response_scale.max]
        for item in instrument.items
        if item.type == "scale" and item.response_scale is not None
    ]
    # The limits in force: the shared counters (koers.lib.ratelimit), the autosave's own and
    # the reporting box's (the seams of issue 12 moved them apart).
    limits = {
        name: value
        for module in (ratelimit, throttle, reportbox)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, int) and not isinstance(value, bool)
    }
    caches = getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", "")
    return {
        "token": campaign.public_token,
        "version": instrument.version,
        "n_items": len(instrument.items),
        "scale_items": scale_items,
        "throttle": limits,
        "cache": caches,
        "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        "public_per_minute": getattr(settings, "KOERS_PUBLIC_REQUESTS_PER_MINUTE", None),
        "debug": settings.DEBUG,
    }


def child_verify(spec: dict[str, Any]) -> dict[str, Any]:
    from django.db.models import Count, Sum

    from koers.surveys import links
    from koers.surveys.models import Answer

    secrets_ = sorted({row[0] for row in spec["expect"]} | set(spec.get("wrk_secrets", [])))
    by_hash = {links.response_hash(s): s for s in secrets_}
    stored: dict[tuple[str, str], Any] = {}
    rows = Answer.objects.filter(response__access_hash__in=list(by_hash)).values_list(
        "response__access_hash", "item_id", "value"
    )
    for access_hash, item, value in rows.iterator():
        stored[(by_hash[access_hash], item)] = value
    ok = later = 0
    lost: list[Any] = []
    for secret, item, value, unsure in spec["expect"]:
        if (secret, item) not in stored:
            lost.append([secret[:8], item, value, "missing"])
        elif stored[(secret, item)] == value:
            ok += 1
        elif stored[(secret, item)] in unsure:
            later += 1  # a later save without a reply did land: not a loss
        else:
            lost.append([secret[:8], item, value, stored[(secret, item)]])
    duplicates = (
        Answer.objects.values("response_id", "item_id").annotate(n=Count("id")).filter(n__gt=1)
    ).count()
    wrk_hashes = [links.response_hash(s) for s in spec.get("wrk_secrets", [])]
    wrk = Answer.objects.filter(response__access_hash__in=wrk_hashes).aggregate(
        answers=Count("id"), versions=Sum("version")
    )
    return {
        "checked": len(spec["expect"]),
        "ok": ok,
        "later_unacknowledged_value": later,
        "lost": len(lost),
        "lost_examples": lost[:10],
        "duplicates": duplicates,
        "answers_total": Answer.objects.count(),
        "wrk_answers": wrk["answers"] or 0,
        "wrk_versions": wrk["versions"] or 0,
    }


def child_profile(spec: dict[str, Any]) -> dict[str, Any]:
    """Autosaves through the WSGI handler in this process, under cProfile."""
    import cProfile
    import io
    import pstats

    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.db.backends.signals import connection_created

    from koers.instruments import get_instrument
    from koers.surveys import links, services
    from koers.surveys.models import Campaign

    app = get_wsgi_application()
    campaign = Campaign.objects.get(public_token=spec["token"])
    items = [i for i in get_instrument("career_compass").items if i.type == "scale"]
    csrf = secrets.token_hex(16)
    versions: dict[tuple[str, str], int] = {}
    responses = [services.start_open_response(campaign, "nl").secret for _ in range(4)]
    plan = [(s, item) for item in items for s in responses]

    def one(n: int) -> int:
        secret, item = plan[n % len(plan)]
        slot = links.slot_of(secret)  # the secret travels in the slot's cookie, as in a browser
        version = versions.get((secret, item.id), 0)
        assert item.response_scale is not None
        low, high = item.response_scale.min, item.response_scale.max
        body = json.dumps(
            {"item": item.id, "value": low + (version % (high - low + 1)), "version": version}
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"/invullen/{slot}/opslaan",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": f"csrftoken={csrf}; {links.cookie_name(slot)}={secret}",
            "HTTP_X_CSRFTOKEN": csrf,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        status: list[str] = []
        out = app(environ, lambda s, h, *a: status.append(s))  # type: ignore[arg-type]
        data = json.loads(b"".join(out))
        if hasattr(out, "close"):
            out.close()
        versions[(secret, item.id)] = int(data.get("version", version))
        return int(status[0].split()[0])

    n = int(spec.get("requests", 400))
    for i in range(50):  # warm up
        one(i)
    queries: Counter[str] = Counter()
    db_time = [0.0]

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - started
            queries[sql.split()[0].upper() if sql.strip() else "?"] += 1

    connects = [0]

    def connected(sender: Any, **kwargs: Any) -> None:
        connects[0] += 1

    connection_created.connect(connected)
    started = time.perf_counter()
    with connection.execute_wrapper(spy):
        codes = Counter(one(50 + i) for i in range(n))
    plain = time.perf_counter() - started
    connection_created.disconnect(connected)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(n):
        one(50 + n + i)
    profiler.disable()
    profiled = time.perf_counter() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(18)
    own = text.getvalue()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(
        r"koers|django/(db/backends|core/handlers|middleware)"
    )
    cumulative = text.getvalue()
    parts = {
        "whole request (WSGI handler)": ("django/core/handlers/wsgi.py", "__call__"),
        "view save()": ("koers/surveys/respond_views.py", "save"),
        "  find_response (1 SELECT, hot_path)": (
            "koers/surveys/services.py",
            "find_response",
        ),
        "  _visible_ids ×2 (all answers of the response, twice)": (
            "koers/surveys/respond_views.py",
            "_visible_ids",
        ),
        "  throttle.check_save (1 Redis pipeline)": (
            "koers/surveys/throttle.py",
            "check_save",
        ),
        "  save_answer (INSERT … ON CONFLICT or UPDATE … RETURNING)": (
            "koers/surveys/services.py",
            "save_answer",
        ),
        "new database connection (connect + set-up)": (
            "django/db/backends/base/base.py",
            "connect",
        ),
        "COMMIT (WAL flush)": ("django/db/backends/base/base.py", "_commit"),
        "building Answer objects (Model.__init__/from_db)": ("django/db/models/base.py", "from_db"),
    }
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values()) or 1.0
    breakdown = {}
    for label, (suffix, func) in parts.items():
        seconds = sum(v[3] for k, v in raw.items() if k[0].endswith(suffix) and k[2] == func)
        breakdown[label] = seconds / n * 1000
    return {
        "breakdown_ms": breakdown,
        "profiled_total_ms": total / n * 1000,
        "requests": n,
        "statuses": dict(codes),
        "per_request_ms": plain / n * 1000,
        "single_process_rps": n / plain,
        "queries_per_request": sum(queries.values()) / n,
        "query_kinds": {k: v / n for k, v in queries.most_common()},
        "db_ms_per_request": db_time[0] / n * 1000,
        "profiled_ms_per_request": profiled / n * 1000,
        "connects": connects[0],
        "top_tottime": _trim_pstats(own, 18),
        "top_cumulative": _trim_pstats(cumulative, 30),
    }


def _trim_pstats(text: str, lines: int) -> list[str]:
    out: list[str] = []
    started = False
    for line in text.splitlines():
        if line.strip().startswith("ncalls"):
            started = True
            out.append(line.rstrip())
            continue
        if started and line.strip():
            out.append(re.sub(r"/\S*/site-packages/", "", line.rstrip().replace(str(REPO), ".")))
    return out[: lines + 1]
