"""What the dialogue tools plug into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.dialogue import demo, flexibility, services
from koers.lib import hooks

# docs/privacy.md: dialogue sessions (anonymous answers, summary) are kept 12 months after
# closing (KOERS_RETAIN_DIALOGUE_MONTHS).
hooks.retention_rules.register(
    "dialogue_sessions",
    hooks.RetentionRule("KOERS_RETAIN_DIALOGUE_MONTHS", services.delete_closed_sessions),
)
hooks.demo_loaders.register(demo.load_demo_dialogue)
hooks.demo_loaders.register(demo.load_demo_flexibility)

# docs/privacy.md: the fair-flexibility register deletes a calendar year whole once all of
# it is 36 months old (KOERS_RETAIN_FLEXIBILITY_MONTHS), long enough to compare three years.
hooks.retention_rules.register(
    "dialogue_flexibility",
    hooks.RetentionRule("KOERS_RETAIN_FLEXIBILITY_MONTHS", flexibility.delete_old_requests),
)
hooks.flexibility_grants.register(flexibility.flexibility_grants)
