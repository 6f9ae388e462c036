"""What the jobs app plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.jobs import handlers
from koers.lib import hooks

hooks.job_handlers.register("email", handlers.send_email)
hooks.job_handlers.register("selfcheck", handlers.selfcheck)
