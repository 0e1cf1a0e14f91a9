"""The messages staff, API clients and tests rely on word for word: one catalogue.

A refusal that the API answers with, the admin shows and a test asserts is one constant here, so
the layers never keep copies of it, and the wording of all four languages is read in one place.
The code that decides raises these; it does not write its own message. A message that needs
values from the case at hand (a version, a country code) is a small function next to its rule.

This module depends on nothing of ours, so every layer, `rules` and `models` included, may import
it. Keep the groups in the order of the layers that use them.
"""

from django.utils.translation import gettext_lazy as _

# Validation of the record itself (models' clean(), so admin, API and services alike).
TITLE_REQUIRED = _("A commitment needs a title.")
# The same, on the admin form, whose English title is a field of its own beside the translations.
ENGLISH_TITLE_REQUIRED = _(
    "Give the title in English as well: the record is kept in English, and a page in a language "
    "that has no title yet shows the English one. The translations you typed are kept."
)
TARGET_UNIT_REQUIRED = _("Give the unit of the target amount (e.g. USD).")
TARGET_AMOUNT_REQUIRED = _("A unit was given without a target amount.")
QUOTE_NEEDS_SOURCE = _("A quote needs the source it comes from.")
SOURCE_NEEDS_QUOTE = _("Copy the passage of the source that supports this evidence.")
QUOTE_NOT_IN_SOURCE = _("This quote does not occur verbatim in the source's text.")
# Where such a quote departs from the source (`rules.quote_not_in_source`); white space of any
# kind counts as one space, so only letters, digits and punctuation can differ.
QUOTE_DIFFERS_AT = _(
    "It follows the source up to “{before}” and differs from character {position} on: “{after}”."
)
QUOTE_START_NOT_IN_SOURCE = _("The source has no passage beginning “{after}”.")
EVIDENCE_NEEDS_QUOTE_OR_URL = _("Evidence needs a source with a quote, a URL, or both.")
MEETING_NAME_REQUIRED = _("A meeting needs a name in English.")
CONTROL_CHARACTER = _(
    "Contains a control character (%(code)s); remove it: only tabs and line breaks are allowed."
)
DATE_OUT_OF_RANGE = _("Give a date from %(earliest)s to %(latest)s.")
TARGET_BEFORE_ANNOUNCEMENT = _(
    "The target date cannot be earlier than the day the commitment was announced (%(date)s)."
)
PUBLISHED_IN_FUTURE = _("A source cannot be published in the future: today is %(today)s.")

# Who may act (`access`): the refusals behind an API 403 and an admin form error.
INACTIVE = _("Only an active staff account may change commitments.")
NO_COUNTRY = _("Your account has no country, so it may read but not change commitments.")
NOT_INVOLVED = _("You may change only commitments that your country owns or is a partner in.")
# The same refusal as a reason in a sentence listing refused rows ("Refused 2 (...): ...").
NOT_INVOLVED_REASON = _("your countries neither own nor partner in it")
CREATE_OWN_COUNTRY_ONLY = _("The owner of a new commitment must be one of your countries.")
OWNER_STAFF_ONLY = _(
    "Only the owner country's staff may change the owner or the partner countries."
)
OWNER_MUST_STAY_YOURS = _(
    "The owner must remain one of your countries; ask a superuser to hand it to another country."
)
DELETE_SUPERUSERS_ONLY = _("Only superusers may delete commitments.")
OWN_COUNTRY_ACCOUNT_ONLY = _(
    "You may record only your own country's account: its position and its instrument dates."
)

# Writes (`services`).
NOTE_REQUIRED = _("Say why the status changes: a note is required.")
STATUS_NEEDS_A_CHANGE = _("Change the status through a status change, with a note.")
UNKNOWN_FIELD = _("Unknown field.")
GIVEN_TWICE = _("Give the English text once: as {name} or as {column}, not both.")
RECORDED = _("Commitment recorded.")
SUGGESTION_ACCEPTED = _("Accepted from an ingestion suggestion.")
HISTORY_BROKEN = _(
    "The status history is broken: each change must start from the status the previous one "
    "reached, the first from none."
)
HISTORY_ENDS_ELSEWHERE = _("The status history does not end at the commitment's status.")

# Notes the system writes into the record (a commitment's first status change, evidence from an
# accepted suggestion) are stored as these codes, never in the language of whoever caused them,
# and shown in the reader's language by `system_note`; a note people wrote is shown as written.
NOTE_RECORDED = "system:recorded"
NOTE_SUGGESTION_ACCEPTED = "system:suggestion-accepted"
NOTE_IMPORTED = "system:imported"
SYSTEM_NOTES = {
    NOTE_RECORDED: RECORDED,
    NOTE_SUGGESTION_ACCEPTED: SUGGESTION_ACCEPTED,
    NOTE_IMPORTED: _("Imported from a data package."),
}


def system_note(note: str) -> str:
    """A stored note as the reader reads it: a system note's code in the active language."""
    text = SYSTEM_NOTES.get(note)
    return str(text) if text is not None else note


TARGET_DATE_REASON_REQUIRED = _(
    "Say why the target date moves (e.g. the source that reports the new date): a note is required."
)
NOT_A_PARTY = _("This country is neither the owner nor a partner of the commitment.")
NOT_AN_INSTRUMENT = _("Give the commitment an instrument type before recording its dates.")

# The admin's words for a version conflict: staff reload a page, they do not handle ETags.
STALE_FORM = _(
    "Someone changed this commitment after you opened it. Reload the page and apply your "
    "changes again."
)
SAVED_MEANWHILE = _(
    "Someone else saved this commitment while you were editing it, so nothing of yours was "
    "saved. Review their change below and make yours again."
)

# New articles: what an upload or a pasted text is refused for (`ingestion.extraction`).
ARTICLE_EMPTY = _("The article is empty: paste its text or upload a file that has some.")
TOO_LARGE = _("The file is too large (at most %(limit)s MB).")
WRONG_TYPE = _("Upload a .txt, .html or .pdf file.")
NOT_TEXT = _("The file is not readable text (is it really a .txt file?).")
NO_TEXT_FOUND = _("No article text could be found in this file.")
TEXT_OR_FILE = _("Paste the text or upload a file, not both.")
BAD_PDF = _("The file is not a readable PDF.")
TEXT_TOO_LONG = _("The article is too long (at most %(limit)s characters of text).")
TOO_MANY_PAGES = _("The PDF has too many pages (at most %(limit)s).")
TOO_COSTLY = _(
    "The file could not be read within the time and memory allowed (is it a compressed bomb?)."
)

# New articles: reviewing suggestions (`ingestion.services`).
REJECTION_REASON_REQUIRED = _("Say why the suggestion is rejected: a reason is required.")
ALREADY_REVIEWED = _("This suggestion has already been reviewed.")
NO_SUCH_COMMITMENT = _("No commitment has this id.")
NEEDS_COMMITMENT = _("Choose the commitment this suggestion is about.")

# Events: the change feed's filters and where webhooks may go (`events.api`, `events.safety`).
UNKNOWN_TYPE = _("Unknown event type “%(value)s”; use one of: %(types)s.")
BAD_COUNTRY = _("“%(value)s” is not an ISO 3166-1 alpha-2 code such as KZ.")
HTTPS_REQUIRED = _("Use an https:// URL.")
HTTP_OR_HTTPS = _("Use an http:// or https:// URL.")
NO_HOST = _("The URL has no host.")
NO_CREDENTIALS = _("Leave user names and passwords out of the URL; the signature authenticates.")
UNRESOLVABLE = _("The host name does not resolve.")
NOT_PUBLIC = _(
    "The host resolves to a private, loopback, link-local or otherwise non-public address."
)
# Redelivering a time range in the webhook admin.
RANGE_ORDER = _("The range must end after it starts.")
RANGE_BOTH = _("Give both ends of the range.")

# Open data import (`opendata.reading`, `opendata.importing`): where a package is refused, and why.
# Where: the file, and its row (as a spreadsheet numbers it, the header being row 1) and column.
IMPORT_AT_CELL = _("{file}, row {row}, column {column}: {reason}")
IMPORT_AT_ROW = _("{file}, row {row}: {reason}")
IMPORT_AT_COLUMN = _("{file}, column {column}: {reason}")
IMPORT_AT_FILE = _("{file}: {reason}")
IMPORT_TOO_LARGE = _("the file is too large (at most {limit} MB); nothing was read past the limit.")
IMPORT_BOMB = _(
    "the file inflates far more than a table can (is it a compressed bomb?); it was not read."
)
IMPORT_BAD_ZIP = _("not a readable zip archive.")
IMPORT_ENCRYPTED = _("the file is encrypted; export the package again without a password.")
IMPORT_TOO_MANY_FILES = _("the archive holds too many files for a data package.")
IMPORT_UNSAFE_NAME = _("a file name that points outside the package; the archive was not read.")
IMPORT_UNEXPECTED_FILE = _(
    "not a file of this data package (expected datapackage.json and the tables it lists)."
)
IMPORT_NOT_FOUND = _("no such file or folder.")
IMPORT_WRONG_KIND = _(
    "give a data package: a .zip, a folder with datapackage.json, or one of its CSV tables "
    "under its own name."
)
IMPORT_NO_TABLES = _("the package holds none of the tables of this record.")
IMPORT_NOT_UTF8 = _("the file is not UTF-8 (line {line}): save it as UTF-8.")
IMPORT_WINDOWS_1251 = _(
    "the file is not UTF-8 (it looks like Windows-1251; line {line}): save it as UTF-8."
)
IMPORT_UTF16 = _(
    "the file is not UTF-8 (it looks like UTF-16, “Unicode text”; line {line}): save it as UTF-8."
)
IMPORT_BAD_CSV = _("the CSV is malformed ({error}).")
IMPORT_BAD_JSON = _("not valid JSON (line {line}: {error}).")
IMPORT_NO_RESOURCES = _("the descriptor lists no resources.")
IMPORT_UNKNOWN_RESOURCE = _("a resource this record does not have.")
IMPORT_EMPTY_FILE = _("the file is empty: it needs at least its header row.")
IMPORT_UNKNOWN_COLUMN = _("a column this table does not have.")
IMPORT_MISSING_COLUMN = _("the column is missing.")
IMPORT_REPEATED_COLUMN = _("the column appears more than once.")
IMPORT_CELL_COUNT = _("the row has {cells} cells where the header has {columns}.")
IMPORT_REQUIRED = _("the cell is empty; this column needs a value.")
IMPORT_WRONG_TYPE = _("“{value}” is not {type}.")
IMPORT_TYPE_INTEGER = _("a whole number such as 12")
IMPORT_TYPE_NUMBER = _("a number such as 1500000.00")
IMPORT_TYPE_BOOLEAN = _("the word true or false")
IMPORT_TYPE_DATE = _("a date such as 2025-12-31")
IMPORT_TYPE_DATETIME = _("a time such as 2025-12-31T09:30:00.000000Z")
IMPORT_NOT_ALLOWED_VALUE = _("“{value}” is not one of the allowed values: {allowed}.")
IMPORT_WRONG_FORM = _("“{value}” is not written as this column's values are.")
IMPORT_REPEATED_KEY = _("a second row with the same key.")
IMPORT_UNKNOWN_KEY = _("no such row, in the package or in the record.")
IMPORT_PARENT_REFUSED = _("its commitment is refused (see its row).")
IMPORT_SOURCE_MISSING = _(
    "this source is not in the record, and the package does not carry sources' texts: add the "
    "article as a source first."
)
IMPORT_SOURCE_OTHER_TEXT = _("the record holds this source with another text.")
IMPORT_SOURCE_TEXT_NOT_HASHED = _(
    "the SHA-256 of this text is not the row's content_hash: the text was changed after export."
)
EXPORT_WITH_SOURCE_TEXTS = _(
    "The file carries the sources' full texts (press articles): give it only to another "
    "secretariat, never publish it."
)
IMPORT_REFERENCE_NOT_ALLOWED = _("your account may not add or change this in admin.")
IMPORT_EVIDENCE_FIXED = _(
    "evidence once added is never edited; add the corrected evidence as a row with a new uid."
)
IMPORT_HISTORY_FIXED = _("history is never edited; this row differs from the one recorded.")
IMPORT_MOVE_WITHOUT_DATE = _(
    "a target date move needs its commitment's new target date in commitments.csv."
)
IMPORT_DATABASE_REFUSED = _("the database refused the row (is its uid used by another row?).")
IMPORT_PLAN_COUNTS = _(
    "{file}: {created} to create, {changed} to change, {unchanged} unchanged, {refused} refused."
)
IMPORT_ROW_CREATE = _("{file}, row {row} ({key}): to create.")
IMPORT_ROW_CHANGE = _("{file}, row {row} ({key}): to change {changes}.")
IMPORT_DRY_RUN = _("Dry run: nothing was saved.")
IMPORT_APPLIED = _("Imported: every change above is saved.")
IMPORT_NOTHING_TO_DO = _("The package changes nothing in the record.")
IMPORT_NOTHING_SAVED = _("Nothing was saved: the package has refused rows (above).")
IMPORT_PACKAGE_REFUSED = _("Nothing was saved: the package cannot be read.")
IMPORT_UPLOAD_AGAIN = _("This dry run is no longer available: upload the package again.")
IMPORT_PLAN_CHANGED = _(
    "Nothing was saved: the record changed since the dry run, so the plan is no longer the one "
    "you read. Here is the plan as it stands now."
)
