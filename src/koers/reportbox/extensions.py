"""What the reporting box plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.reportbox import demo, services

hooks.demo_loaders.register(demo.load_demo_report_box)
# docs/privacy.md: reports are kept 12 months after closing (KOERS_RETAIN_REPORTS_MONTHS).
hooks.retention_rules.register(
    "reports", hooks.RetentionRule("KOERS_RETAIN_REPORTS_MONTHS", services.delete_closed_reports)
)
