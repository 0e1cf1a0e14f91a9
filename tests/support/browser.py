"""Helpers for the browser tests."""

# The axe-core impacts a page must have no violations of.
SEVERE_IMPACTS = ("serious", "critical")
