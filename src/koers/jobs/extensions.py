"""What the jobs app plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.jobs import downloads, handlers
from koers.lib import hooks

hooks.job_handlers.register("email", handlers.send_email)
hooks.job_handlers.register("selfcheck", handlers.selfcheck)
hooks.job_handlers.register(downloads.KIND, downloads.make_file)
# A file made in the background (a PDF, an export) is kept for its downloader for
# KOERS_PDF_KEEP_MINUTES; this rule removes what is left a day later (docs/privacy.md).
hooks.retention_rules.register(
    "generated_pdfs",
    hooks.RetentionRule("KOERS_RETAIN_PDF_DAYS", downloads.delete_before, unit="days"),
)
