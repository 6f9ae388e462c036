"""What targets plug into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.targets import demo

hooks.demo_loaders.register(demo.load_demo_targets)
# Targets and sub-top definitions hold no personal data (board seats store only a gender
# and a term end date, entered by HR): no retention rule; the organisation's deletion
# removes them with it (OrganisationOwned, on_delete=CASCADE).
