"""What recruitment plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.recruitment import appraisal_demo, appraisals, demo, services

hooks.demo_loaders.register(demo.load_demo_recruitment)
hooks.demo_loaders.register(appraisal_demo.load_demo_appraisals)
# docs/privacy.md: applicant files (pseudonymised) are kept 24 months
# (KOERS_RETAIN_APPLICANTS_MONTHS).
hooks.retention_rules.register(
    "applicants",
    hooks.RetentionRule("KOERS_RETAIN_APPLICANTS_MONTHS", services.delete_expired_imports),
)
# Appraisal rounds (pseudonymised; texts only if chosen) are kept 24 months
# (KOERS_RETAIN_APPRAISALS_MONTHS).
hooks.retention_rules.register(
    "appraisals",
    hooks.RetentionRule("KOERS_RETAIN_APPRAISALS_MONTHS", appraisals.delete_expired_rounds),
)
