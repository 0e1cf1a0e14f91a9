"""The message catalogue stays the one place its messages are written, and holds no dead ones."""

import re
from pathlib import Path

from django.utils import translation
from django.utils.functional import Promise

from commitments import messages

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "commitments" / "messages.py"


def catalogue() -> dict[str, str]:
    """Each constant's name and its English text (the msgid)."""
    with translation.override(None):
        return {
            name: str(value)
            for name, value in vars(messages).items()
            if name.isupper() and isinstance(value, Promise)
        }


def code_outside_the_catalogue() -> dict[Path, str]:
    files = [*(ROOT / "commitments").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    return {path: path.read_text(encoding="utf-8") for path in files if path != CATALOGUE}


def test_the_catalogue_is_not_empty():
    assert len(catalogue()) >= 40


def test_no_message_of_the_catalogue_is_written_again_elsewhere():
    # A copy would drift from the original (and its translations) the first time one is reworded.
    sources = code_outside_the_catalogue()
    copies = [
        (name, str(path.relative_to(ROOT)))
        for name, text in catalogue().items()
        for path, source in sources.items()
        if text in source
    ]
    assert copies == []


def test_every_message_of_the_catalogue_is_used_by_the_code():
    sources = "\n".join(code_outside_the_catalogue().values())
    unused = [name for name in catalogue() if not re.search(rf"\b{name}\b", sources)]
    assert unused == []
