"""What sector programmes plug into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.programme import demo

hooks.demo_loaders.register(demo.load_demo_programme)
# The shared years, measures and profile counts hold counts and sums of groups (person
# thresholds already applied) and no personal data: no retention rule. Stopping deletes them
# at once; the organisation's deletion removes them with it (OrganisationOwned,
# on_delete=CASCADE).
