"""PDF rendering: where the time goes, and tagged (PDF/UA-1) against untagged.

Renders the demo Gender Scan report (internal variant, as HR downloads it) with
WeasyPrint through :mod:`koers.lib.pdf`, and splits each render into layout and
writing. The peer is the same document rendered untagged with a stylesheet
parsed anew every time (what ``scan/pdf.py`` did before issue 12), in the same
run; the ratio is what counts (the machine is shared and noisy).

    DATABASE_URL=sqlite:////tmp/demo/db.sqlite3 .venv/bin/koers manage load_demo
    DATABASE_URL=sqlite:////tmp/demo/db.sqlite3 .venv/bin/python bench/pdf_bench.py
    ... bench/pdf_bench.py --quick     # 1 round instead of 3
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
from collections.abc import Callable


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    import django

    django.setup()
    logging.disable(logging.WARNING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round")
    args = parser.parse_args()
    _setup()
    from django.contrib.staticfiles import finders
    from django.utils import translation
    from weasyprint import CSS, HTML

    from koers.lib import pdf
    from koers.scan import pdf as scan_pdf
    from koers.scan.models import Snapshot
    from koers.scan.report import build_context

    snapshot = Snapshot.objects.order_by("-reference_date").first()
    if snapshot is None:
        print("no baseline: run `koers manage load_demo` on this DATABASE_URL first")
        return
    with translation.override("nl"):
        started = time.perf_counter()
        report = build_context(snapshot.frame(), snapshot.reference_date, hr=True)
        context_s = time.perf_counter() - started
        ctx = {"snapshot": snapshot, "r": report, "organisation": snapshot.organisation}
        html = scan_pdf.render_html(None, {**ctx, "variant_hr": True})
    sheet = str(finders.find(scan_pdf.STYLESHEETS[0]))

    def koers() -> tuple[float, float, int]:
        doc = HTML(string=html, url_fetcher=pdf.url_fetcher())
        t0 = time.perf_counter()
        rendered = doc.render(
            stylesheets=[pdf.stylesheet(scan_pdf.STYLESHEETS[0])], font_config=pdf.font_config()
        )
        t1 = time.perf_counter()
        data = rendered.write_pdf(pdf_variant=pdf.PDF_VARIANT)
        return t1 - t0, time.perf_counter() - t1, len(data)

    def peer() -> tuple[float, float, int]:
        doc = HTML(string=html)
        t0 = time.perf_counter()
        rendered = doc.render(stylesheets=[CSS(filename=sheet)])
        t1 = time.perf_counter()
        data = rendered.write_pdf()
        return t1 - t0, time.perf_counter() - t1, len(data)

    rounds = 1 if args.quick else 3
    koers()  # warm up fonts and the stylesheet cache
    results: dict[str, list[tuple[float, float, int]]] = {"koers": [], "peer": []}
    runs: dict[str, Callable[[], tuple[float, float, int]]] = {"koers": koers, "peer": peer}
    for _ in range(rounds):
        for name, run in runs.items():
            results[name].append(run())
    print(f"context {context_s:.2f} s (build_context, once)")
    for name, rows in results.items():
        layout = statistics.median(r[0] for r in rows)
        write = statistics.median(r[1] for r in rows)
        label = (
            "koers.lib.pdf, tagged PDF/UA-1" if name == "koers" else "peer: untagged, CSS parsed"
        )
        print(
            f"{label:34} layout {layout:5.2f} s  write {write:5.2f} s  "
            f"total {layout + write:5.2f} s  {rows[0][2] // 1024} kB"
        )
    k = sum(statistics.median(r[i] for r in results["koers"]) for i in (0, 1))
    p = sum(statistics.median(r[i] for r in results["peer"]) for i in (0, 1))
    print(f"ratio koers / peer: {k / p:.2f}")


if __name__ == "__main__":
    main()
