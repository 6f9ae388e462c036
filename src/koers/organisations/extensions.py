"""What the organisations app plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.organisations import retention

# docs/privacy.md: the audit log is kept 2 years (KOERS_RETAIN_AUDIT_MONTHS).
hooks.retention_rules.register(
    "audit_log", hooks.RetentionRule("KOERS_RETAIN_AUDIT_MONTHS", retention.delete_old_audit_events)
)
# Member invitations (an e-mail address each) go with the audit log's period.
hooks.retention_rules.register(
    "member_invitations",
    hooks.RetentionRule("KOERS_RETAIN_AUDIT_MONTHS", retention.delete_old_invitations),
)
