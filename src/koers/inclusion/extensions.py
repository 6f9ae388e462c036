"""What the inclusion survey plugs into Koers (the hooks are in :mod:`koers.lib.hooks`)."""

from __future__ import annotations

from koers.inclusion import demo
from koers.lib import hooks

hooks.demo_loaders.register(demo.load_demo_inclusion)
