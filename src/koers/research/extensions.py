"""What the research workspace plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.research import demo, retention

hooks.demo_loaders.register(demo.load_demo_research)
# The project's access log names researchers (user ids): kept as long as the audit log.
hooks.retention_rules.register(
    "research_access_log",
    hooks.RetentionRule("KOERS_RETAIN_AUDIT_MONTHS", retention.delete_old_access_log),
)
