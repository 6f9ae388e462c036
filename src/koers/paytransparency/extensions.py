"""What the pay transparency desk plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.paytransparency import demo, services

hooks.demo_loaders.register(demo.load_demo_paytransparency)
# docs/privacy.md: answered information requests (a pseudonym and the letter's figures) are
# HR data, kept as long as the snapshots (KOERS_RETAIN_HR_MONTHS).
hooks.retention_rules.register(
    "pay_information_requests",
    hooks.RetentionRule("KOERS_RETAIN_HR_MONTHS", services.delete_expired_requests),
)
