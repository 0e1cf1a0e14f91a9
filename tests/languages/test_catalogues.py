"""The translation catalogues in locale/: compiled, current with the code, and complete enough.

- every committed .mo holds exactly the translations of its .po (compared entry by entry, not as
  bytes), so a fresh clone shows what the .po says with no gettext tool installed;
- `makemessages` run on a copy of the code finds no msgid the .po lacks and none it no longer
  needs (`make messages` rewrites them);
- Russian is complete; Kazakh and Kyrgyz are complete for the strings readers and staff meet
  first (KK_KY_REQUIRED below); every translation keeps its msgid's placeholders.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from commitments.models import Category
from commitments.rules import Status

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("ru", "kk", "ky")
# The same options as `make messages` (Makefile).
MAKEMESSAGES = [
    "makemessages",
    *(f"-l{code}" for code in LANGUAGES),
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=var",
    "--ignore=tests",
    "--ignore=test-artifacts",
    "--ignore=build",
    "--no-obsolete",
]

# Kazakh and Kyrgyz must translate every msgid used in these files (paths as the .po's "#:"
# references give them; a trailing "/" means the whole folder): the public pages and error pages,
# the digest and the unsubscribe pages, amounts and dates, status names, every message of the
# catalogue, the errors and action reports a staff member meets when changing a commitment, and
# the API's problem titles...
KK_KY_REQUIRED_SOURCES = (
    "templates/public/",
    "templates/404.html",
    "templates/500.html",
    "templates/reminders/",
    "commitments/public/",
    "commitments/reminders/",
    "commitments/formatting.py",
    "commitments/rules.py",
    "commitments/messages.py",
    "commitments/access.py",
    "commitments/admin/forms.py",
    "commitments/admin/actions.py",
    "commitments/rest/errors.py",
)


def _source(text) -> str:
    with translation.override(None):  # no catalogue: a lazy string gives its msgid back
        return str(text)


# ... plus, from models.py, the names of the categories and statuses.
KK_KY_REQUIRED_MSGIDS = frozenset(_source(label) for label in (*Category.labels, *Status.labels))


def po_path(code: str, root: Path = ROOT) -> Path:
    return root / "locale" / code / "LC_MESSAGES" / "django.po"


def key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def translated(entry) -> bool:
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def translations(catalogue) -> dict[tuple[str, str, str], object]:
    return {
        key(e): (tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr)
        for e in catalogue
        if e.msgid and translated(e)
    }


def required_for(code: str, entry) -> bool:
    if code == "ru":
        return True
    files = {path for path, _line in entry.occurrences}
    return entry.msgid in KK_KY_REQUIRED_MSGIDS or any(
        f == source or (source.endswith("/") and f.startswith(source))
        for f in files
        for source in KK_KY_REQUIRED_SOURCES
    )


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%%")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@pytest.mark.parametrize("code", LANGUAGES)
def test_compiled_mo_holds_exactly_the_translations_of_its_po(code):
    po = polib.pofile(str(po_path(code)))
    mo = polib.mofile(str(po_path(code).with_suffix(".mo")))
    assert translations(mo) == translations(po), (
        f"locale/{code}/LC_MESSAGES/django.mo is stale: run `make compilemessages`"
    )


def test_catalogues_list_every_msgid_of_the_code_and_no_other(tmp_path):
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("GNU gettext is missing: run `make gettext-deps`")
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("manage.py", "commitments", "tracker", "perf", "templates", "locale"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for code in LANGUAGES:
        committed = {key(e) for e in polib.pofile(str(po_path(code))) if not e.obsolete}
        fresh = {key(e) for e in polib.pofile(str(po_path(code, copy))) if not e.obsolete}
        assert sorted(fresh - committed) == [], f"{code}: msgids missing: run `make messages`"
        assert sorted(committed - fresh) == [], f"{code}: msgids no longer used: `make messages`"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_translates_what_it_must(code):
    po = polib.pofile(str(po_path(code)))
    missing = [e.msgid for e in po if e.msgid and required_for(code, e) and not translated(e)]
    assert missing == [], f"{code}: {len(missing)} required msgids untranslated"


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_their_placeholders(code):
    wrong = []
    for entry in polib.pofile(str(po_path(code))):
        if not translated(entry):
            continue
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for form in forms:
            # A plural form may leave out the count ("один день"), never add a name.
            if not placeholders(form) <= wanted or (
                not entry.msgid_plural and placeholders(form) != wanted
            ):
                wrong.append((entry.msgid, form))
    assert wrong == []


def test_kazakh_and_kyrgyz_required_subset_is_not_empty():
    """Guards the subset's definition: paths renamed in the code must be renamed here too."""
    po = polib.pofile(str(po_path("kk")))
    required = [e for e in po if e.msgid and required_for("kk", e)]
    by_source = dict.fromkeys(KK_KY_REQUIRED_SOURCES, 0)
    for entry in required:
        for path, _line in entry.occurrences:
            for source in by_source:
                if path == source or (source.endswith("/") and path.startswith(source)):
                    by_source[source] += 1
    assert [source for source, count in by_source.items() if count == 0] == []
    assert {e.msgid for e in required} >= KK_KY_REQUIRED_MSGIDS


def test_the_readmes_table_of_translated_shares_is_what_the_catalogues_hold():
    # It said 58 % for Kazakh and Kyrgyz while both were complete: the table is recounted here.
    readme = (ROOT / "README.md").read_text()
    rows = {
        code: (int(done), int(total), int(share))
        for code, done, total, share in re.findall(
            r"^\| (\w\w) \| (\d+) / (\d+) \| (\d+) %", readme, flags=re.MULTILINE
        )
    }
    counted = {}
    for code in ("ru", "kk", "ky"):
        entries = [e for e in polib.pofile(str(po_path(code))) if not e.obsolete]
        done = sum(1 for e in entries if e.translated())
        counted[code] = (done, len(entries), int(100 * done / len(entries)))
    assert rows == counted, "README.md, Languages: correct the translated shares to these"
