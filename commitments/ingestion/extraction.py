"""From an upload or pasted text to a Source's text and language, or a clear refusal.

The text is stored as extracted and never edited: quotes are checked against it verbatim. (A PDF's
typographic ligatures are the one exception: they are spelled out as the letters they join.)
"""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from .. import messages, rules
from ..formatting import format_size
from ..models import normalized_text
from . import sandbox

EXTENSIONS = (".txt", ".html", ".htm", ".pdf")

# pypdf gives a font's ligature glyphs as Unicode's ligature characters ("ﬁ"), which no one
# searching or quoting types; only these are spelled out (not NFKC: "½" or a no-break space stay).
PDF_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
)


@dataclass(frozen=True)
class Extracted:
    text: str
    language: str


def detect_language(text: str) -> str:
    """The article's language among the content languages; English when undecidable.

    langdetect has no Kyrgyz profile and confuses it and Kazakh with Russian, so the letters only
    those alphabets have decide first (ә, ғ, қ, ң, ұ, һ, і: Kazakh; ң, ө, ү without those: Kyrgyz).
    """
    from langdetect import DetectorFactory, LangDetectException, detect

    sample = text[:5000]
    lower = sample.lower()
    if any(ch in lower for ch in "әғқұһі"):
        return "kk"
    if any(ch in lower for ch in "ңөү"):
        return "ky"
    DetectorFactory.seed = 0  # deterministic answers for the same text
    try:
        code = detect(sample)
    except LangDetectException:
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    known = {code for code, _name in settings.CONTENT_LANGUAGES}
    if code in known:
        return code
    # Cyrillic text langdetect calls Bulgarian, Ukrainian, Macedonian...: Russian among ours.
    if sum("\u0400" <= ch <= "\u04ff" for ch in sample) > len(sample) / 4:
        return "ru"
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


# A byte-order mark names its encoding (Windows' editors save "Unicode" text as UTF-16 with one);
# UTF-32's marks first, since UTF-32 LE's begins with UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def typed_language(text: str, context_language: str) -> str:
    """The language a person typed a short text (a title) in: English for Latin letters only;
    for Cyrillic, Kazakh or Kyrgyz by the letters only they have, else `context_language` (the
    article's) when it is written in Cyrillic, else Russian. Too short for langdetect."""
    if not any("\u0400" <= ch <= "\u04ff" for ch in text):
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    lower = text.lower()
    if any(ch in lower for ch in "әғқұһі"):
        return "kk"
    if any(ch in lower for ch in "ңөү"):
        return "ky"
    return context_language if context_language in CYRILLIC_LANGUAGES else "ru"


CYRILLIC_LANGUAGES = ("ru", "kk", "ky")


# A page's markup: its document tags, or several block tags near the start.
_HTML_DOCUMENT = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_BLOCK = re.compile(
    r"<(?:p|div|article|section|span|a|br|h[1-6]|li|script|meta)\b[^>]*>", re.I
)


def looks_like_html(text: str) -> bool:
    """Whether pasted text is a web page's HTML rather than its article."""
    start = text.lstrip()[:5000]
    return bool(_HTML_DOCUMENT.search(start)) or len(_HTML_BLOCK.findall(start)) >= 3


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ValidationError(messages.NOT_TEXT, code="not_text") from error
            if "\x00" in text:
                raise ValidationError(messages.NOT_TEXT, code="not_text")
            return text
    if b"\x00" in data:
        raise ValidationError(messages.NOT_TEXT, code="not_text")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1251" and sum(ch.isalpha() for ch in text) < len(text) / 3:
            break
        return text
    raise ValidationError(messages.NOT_TEXT, code="not_text")


def _too_long() -> ValidationError:
    limit = settings.INGESTION_MAX_TEXT_CHARS
    return ValidationError(
        messages.TEXT_TOO_LONG, code="too_large", params={"limit": f"{limit:,}".replace(",", " ")}
    )


# What the sandbox's exit codes mean.
_REFUSALS = {
    sandbox.TOO_MUCH_TEXT: _too_long,
    sandbox.TOO_MANY_PAGES: lambda: ValidationError(
        messages.TOO_MANY_PAGES,
        code="too_large",
        params={"limit": settings.INGESTION_MAX_PDF_PAGES},
    ),
    sandbox.UNREADABLE: lambda: ValidationError(messages.BAD_PDF, code="bad_pdf"),
    sandbox.NO_TEXT: lambda: ValidationError(messages.NO_TEXT_FOUND, code="no_text"),
}


def _in_sandbox(kind: str, data: bytes) -> str:
    """The text `sandbox` reads from `data`, in a child process with hard limits; a
    ValidationError when it refuses the file, overruns a limit or dies."""
    seconds = settings.INGESTION_EXTRACTION_SECONDS
    command = [
        sys.executable, "-I", str(Path(sandbox.__file__)), kind,
        str(settings.INGESTION_MAX_TEXT_CHARS), str(settings.INGESTION_MAX_PDF_PAGES),
        str(settings.INGESTION_MAX_STREAM_BYTES), str(seconds),
        str(settings.INGESTION_EXTRACTION_MEMORY_BYTES),
    ]  # fmt: skip
    try:
        # On a timeout run() kills the child and waits for it.
        done = subprocess.run(  # noqa: S603 (our own script, arguments from settings)
            command, input=data, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ValidationError(messages.TOO_COSTLY, code="too_large") from error
    if done.returncode == sandbox.OK:
        return done.stdout.decode("utf-8", "surrogatepass")
    refusal = _REFUSALS.get(done.returncode)
    if refusal is not None:
        raise refusal()
    # OVER_BUDGET, or killed by a signal (SIGXCPU past the CPU cap, SIGKILL).
    raise ValidationError(messages.TOO_COSTLY, code="too_large")


def _from_html(data: bytes) -> str:
    return _in_sandbox("html", _decode(data).encode("utf-8", "surrogatepass"))


def _from_pdf(data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise ValidationError(messages.BAD_PDF, code="bad_pdf")
    return _in_sandbox("pdf", data).translate(PDF_LIGATURES)


def text_from_file(name: str, data: bytes) -> str:
    """The article's text from an uploaded file; a ValidationError says why when there is none."""
    limit = settings.INGESTION_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise ValidationError(
            messages.TOO_LARGE, code="too_large", params={"limit": format_size(limit / 1024 / 1024)}
        )
    lower = (name or "").lower()
    if not lower.endswith(EXTENSIONS):
        raise ValidationError(messages.WRONG_TYPE, code="wrong_type")
    if not data.strip():
        raise ValidationError(messages.ARTICLE_EMPTY, code="empty")
    if lower.endswith(".pdf"):
        text = _from_pdf(data)
    elif lower.endswith((".html", ".htm")):
        text = _from_html(data)
    else:
        text = _decode(data)
    # A file's control characters (a PDF's form feeds, stray bytes) are no text anyone reads;
    # pasted text holding them is refused where it comes in (`rules.refuse_control_characters`).
    return clean_text(rules.CONTROL_CHARACTERS.sub("", text))


def clean_text(text: str) -> str:
    """The text as stored: NFC, Windows line ends unified, outer whitespace trimmed."""
    if len(text) > 2 * settings.INGESTION_MAX_TEXT_CHARS:  # not worth normalising
        raise _too_long()
    text = normalized_text(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError(messages.ARTICLE_EMPTY, code="empty")
    if len(text) > settings.INGESTION_MAX_TEXT_CHARS:
        raise _too_long()
    return text


def extract(
    *, text: str = "", file_name: str = "", file_data: bytes | None = None, language: str = ""
) -> Extracted:
    """The text and language of an article given as pasted `text` or as an uploaded file."""
    if text and file_data is not None:
        raise ValidationError(messages.TEXT_OR_FILE, code="text_or_file")
    if file_data is not None:
        body = text_from_file(file_name, file_data)
    elif looks_like_html(text):
        # A web page's source pasted as text (view-source, a saved page opened in an editor): its
        # article, as an uploaded .html file gives it, not its markup.
        body = clean_text(_from_html(text.encode("utf-8")))
    else:
        body = clean_text(text)
    return Extracted(text=body, language=language or detect_language(body))
