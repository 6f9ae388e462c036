"""Targets (streefcijfers) and what it would take to reach them (issue 16)."""
