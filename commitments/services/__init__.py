"""Writes to commitments (see `commitments.py`); split by subject in the next step."""

from .commitments import *  # noqa: F403
