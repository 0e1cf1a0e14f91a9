"""Ingestion: new articles in, reviewed suggestions out.

`extraction` turns an upload or pasted text into a Source's text and language; `analysis` reads the
text against the whole record (one in-memory index per run) with one extractor per kind of
suggestion; `kinds` declares those kinds once, for the model, the review form, the API and the
command; `services` adds sources and accepts or rejects suggestions through the domain services.
"""
