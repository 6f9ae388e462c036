"""What the surveys app plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.surveys import demo, export, jobs, services

hooks.job_handlers.register("surveys.send_invitations", jobs.send_invitations)
hooks.demo_loaders.register(demo.load_demo_campaign)
# docs/privacy.md: raw answers are kept 24 months after a campaign closes.
hooks.retention_rules.register(
    "survey_answers",
    hooks.RetentionRule("KOERS_RETAIN_ANSWERS_MONTHS", services.delete_expired_answers),
)
# The research export is made in the background (koers.jobs.downloads): seconds at
# thousands of responses (docs/performance.md). Only the researcher who asked downloads it.
for fmt, (content_type, _writer) in export.FORMATS.items():
    hooks.download_builders.register(
        f"surveys.export.{fmt}",
        hooks.DownloadBuilder("campaigns.export", jobs.EXPORT_BUILDERS[fmt], content_type),
    )
