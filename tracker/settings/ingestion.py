"""Ingestion: the largest article file accepted, and whether saving a source starts its analysis."""

from tracker.env import boolean, positive_int

# Larger uploads are refused (a form error, a 400) before anything is saved.
INGESTION_MAX_UPLOAD_BYTES = positive_int("INGESTION_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# Saving a source enqueues its analysis after commit; off, staff start it by re-analysing.
INGESTION_ANALYSE_ON_SAVE = boolean("INGESTION_ANALYSE_ON_SAVE", default=True)
