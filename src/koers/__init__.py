"""Koers: measurement and action for keeping and attracting women in tech."""

__version__ = "0.1.0"
