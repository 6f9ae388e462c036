"""What the Gender Scan plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.scan import demo, jobs, services, versions, views

hooks.job_handlers.register("scan.read", jobs.read_upload)
hooks.job_handlers.register("scan.import", jobs.check_and_import)
hooks.demo_loaders.register(demo.load_demo_scan)
# docs/privacy.md: HR snapshots are kept 7 years (KOERS_RETAIN_HR_MONTHS).
hooks.retention_rules.register(
    "hr_snapshots", hooks.RetentionRule("KOERS_RETAIN_HR_MONTHS", services.delete_expired_snapshots)
)
# A replaced version of a snapshot is kept only while its replacement can be undone
# (docs/gender-scan.md, "Versions"), then its rows are wiped.
hooks.retention_rules.register(
    "hr_replaced_snapshots",
    hooks.RetentionRule("KOERS_SNAPSHOT_UNDO_DAYS", versions.remove_replaced_before, unit="days"),
)
# The report PDF is made in the background (koers.jobs.downloads): 2.6 s for HR's on the demo.
hooks.download_builders.register(
    "scan.report", hooks.DownloadBuilder("scan.view", views.build_report_pdf)
)
