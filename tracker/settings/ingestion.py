"""Ingestion: the largest article accepted (file and text), the limits of reading a file, and
whether saving a source starts its analysis."""

from tracker.env import boolean, positive_int

# Larger uploads are refused (a form error, a 413 problem) before anything is saved.
INGESTION_MAX_UPLOAD_BYTES = positive_int("INGESTION_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# An article's text, pasted or extracted, is refused past this many characters (a long report is
# some 200,000) and a PDF past this many pages: a small compressed file cannot become a huge source.
INGESTION_MAX_TEXT_CHARS = positive_int("INGESTION_MAX_TEXT_CHARS", 1_000_000)
INGESTION_MAX_PDF_PAGES = positive_int("INGESTION_MAX_PDF_PAGES", 300)
# A PDF or HTML file is read in a process of its own (`ingestion.sandbox`), killed past this many
# seconds (wall clock and CPU) or this much address space; one stream may not inflate past
# INGESTION_MAX_STREAM_BYTES.
INGESTION_EXTRACTION_SECONDS = positive_int("INGESTION_EXTRACTION_SECONDS", 20)
INGESTION_EXTRACTION_MEMORY_BYTES = positive_int(
    "INGESTION_EXTRACTION_MEMORY_BYTES", 1024 * 1024 * 1024
)
INGESTION_MAX_STREAM_BYTES = positive_int("INGESTION_MAX_STREAM_BYTES", 20 * 1024 * 1024)
# One source proposes at most this many suggestions (and one per distinct proposal): a text of
# one announcement repeated, or of thousands of sentences, cannot flood the review queue.
INGESTION_MAX_SUGGESTIONS_PER_SOURCE = positive_int("INGESTION_MAX_SUGGESTIONS_PER_SOURCE", 300)
# Saving a source enqueues its analysis after commit; off, staff start it by re-analysing.
INGESTION_ANALYSE_ON_SAVE = boolean("INGESTION_ANALYSE_ON_SAVE", default=True)
