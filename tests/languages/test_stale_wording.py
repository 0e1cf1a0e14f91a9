"""Issue 25: "stale" as a Kazakh or Kyrgyz officer says it. A stale commitment is one nobody has
reviewed for long, not one that is "not topical" (өзекті емес) or "outdated" (эскирген): every
catalogue entry about staleness says it needs review or has not been reviewed for long."""

import polib
import pytest

from tests.languages.test_catalogues import po_path

NOT_TOPICAL = ("өзекті", "актуал", "эскир", "ескір")
REVIEW = {"kk": "тексер", "ky": "текшер"}


def stale_entries(code: str) -> list[polib.POEntry]:
    return [
        e
        for e in polib.pofile(str(po_path(code)))
        if "stale" in e.msgid.lower() and not e.obsolete and e.translated()
    ]


@pytest.mark.parametrize("code", ["kk", "ky"])
def test_stale_is_worded_as_not_reviewed_for_long(code):
    entries = stale_entries(code)
    assert len(entries) >= 10  # the admin's column and filter, the pages, the digest
    for entry in entries:
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in filter(None, texts):
            lowered = text.lower()
            assert not any(word in lowered for word in NOT_TOPICAL), (entry.msgid, text)
            assert REVIEW[code] in lowered, (entry.msgid, text)
