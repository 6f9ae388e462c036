"""What the action plan plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.lib import hooks
from koers.plan import demo, services

hooks.demo_loaders.register(demo.load_demo_plan)
hooks.plan_actions.register(services.plan_lines)
