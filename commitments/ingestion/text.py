"""Sentences with their offsets, word keys that meet across languages and scripts.

A word becomes one or more keys: its stem in its own language ("s:" + stem), and for names (a
capital letter, a digit) also a script-neutral Latin prefix ("n:" + 5 letters), so that
"Таш-Кумырской" (ru) and "Tash-Kumyr" (en) share "n:tash" and "n:kumyr".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..transliteration import transliterate

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "ул",
        "им",
        "т",
        "е",
        "п",
        "см",
        "св",
        "u.s",
        "us",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "vs",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "corp",
    ]
)
_SENTENCE_END = re.compile(r"[.!?…]+[»\"”’)]*(?=\s)|\n\s*\n|\n(?=\s*[-–—•*]\s)|\n")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a text, `text[start:end]`: a sentence or a word."""

    start: int
    end: int
    text: str


Sentence = Span
Word = Span


def sentences(text: str) -> list[Sentence]:
    """The text's sentences (and lines: headlines, list items), offsets into `text`."""
    result: list[Sentence] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        stop = match.end()
        # A line break before a lower-case word is a wrapped line (PDF text keeps its layout's).
        if match.group() == "\n" and text[stop : stop + 1].islower():
            continue
        if match.group().startswith((".",)) and "\n" not in match.group():
            before = text[begin : match.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            following = text[stop : stop + 3].lstrip()
            # "U.S. dollars", "2022 г. товарооборот", "К. Жапаров", "1.3": not an end.
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            if following[:1].islower():
                continue
        _append(result, text, begin, stop)
        begin = stop
    _append(result, text, begin, len(text))
    return result


def _append(result: list[Sentence], text: str, begin: int, stop: int) -> None:
    chunk = text[begin:stop]
    stripped = chunk.strip()
    if len(stripped) < 3:
        return
    start = begin + (len(chunk) - len(chunk.lstrip()))
    result.append(Sentence(start, start + len(stripped), stripped))


# --- Words ----------------------------------------------------------------------------------------

_LATIN_FOLD = str.maketrans({"j": "zh", "q": "k", "w": "v", "x": "ks", "c": "k"})
NAME_PREFIX = 5


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str:
    """A script-neutral form of a name: transliterated, spelling variants folded, 5 letters.

    "Жапаров"/"Japarov"/"Zhaparov" → "zhapa"; "Кыргыз"/"Kyrgyz" → "kyrgy"; "Чолпон"/"Cholpon" →
    "cholp" (c before h is kept as a digraph start)."""
    latin = transliterate(word)
    latin = latin.replace("ch", "\x01").replace("kh", "h").translate(_LATIN_FOLD)
    latin = latin.replace("\x01", "ch").replace("y", "i").replace("'", "").replace("’", "")
    return latin[:NAME_PREFIX]


def script_of(word: str) -> str:
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            return "cyrillic"
        if ch.isalpha():
            return "latin"
    return "other"


_STEMMERS = {
    "en": snowballstemmer.stemmer("english"),
    "ru": snowballstemmer.stemmer("russian"),
}
# Kazakh and Kyrgyz have no Snowball stemmer: strip the commonest case and plural endings, longest
# first, keeping a stem of at least four letters.
_TURKIC_SUFFIXES = sorted(
    [
        "лардың",
        "лердің",
        "дардың",
        "дердің",
        "тардың",
        "тердің",
        "лардын",
        "лердин",
        "дардын",
        "дердин",
        "тардын",
        "тердин",
        "ларға",
        "лерге",
        "дарға",
        "дерге",
        "тарға",
        "терге",
        "ларга",
        "лерге",
        "дарга",
        "дерге",
        "тарга",
        "терге",
        "лары",
        "лері",
        "дары",
        "дері",
        "тары",
        "тері",
        "ларын",
        "лерин",
        "лар",
        "лер",
        "дар",
        "дер",
        "тар",
        "тер",
        "лор",
        "лөр",
        "дор",
        "дөр",
        "тор",
        "төр",
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "нын",
        "нин",
        "дын",
        "дин",
        "тын",
        "тин",
        "нун",
        "нүн",
        "дун",
        "дүн",
        "тун",
        "түн",
        "ға",
        "ге",
        "қа",
        "ке",
        "га",
        "го",
        "гө",
        "ка",
        "ко",
        "кө",
        "на",
        "не",
        "да",
        "де",
        "та",
        "те",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "ды",
        "ді",
        "ты",
        "ті",
        "ны",
        "ні",
        "ду",
        "дү",
        "ту",
        "тү",
        "ну",
        "нү",
        "ын",
        "ин",
        "ун",
        "үн",
        "сы",
        "сі",
        "су",
        "сү",
        "ы",
        "і",
        "у",
        "ү",
    ],
    key=len,
    reverse=True,
)


def _turkic_stem(word: str) -> str:
    for suffix in _TURKIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=400_000)
def stem(word: str, language: str) -> str:
    """The word's stem in `language`; Cyrillic words in an English text are stemmed as Russian."""
    lower = word.lower().replace("ё", "е")
    script = script_of(lower)
    if script == "latin":
        return _STEMMERS["en"].stemWord(lower)
    if script == "cyrillic":
        if language in ("kk", "ky") or any(ch in lower for ch in "әғқңөұүһі"):
            return _STEMMERS["ru"].stemWord(_turkic_stem(lower))
        return _STEMMERS["ru"].stemWord(lower)
    return lower


STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "can",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "his",
        "her",
        "our",
        "we",
        "they",
        "he",
        "she",
        "not",
        "no",
        "also",
        "more",
        "than",
        "about",
        "into",
        "over",
        "after",
        "before",
        "between",
        "during",
        "both",
        "two",
        "its",
        "per",
        "year",
        "years",
        "said",
        "says",
        "mln",
        "bln",
        "million",
        "billion",
        "say",
        "new",
        "и",
        "в",
        "во",
        "на",
        "по",
        "с",
        "со",
        "к",
        "о",
        "об",
        "от",
        "до",
        "из",
        "за",
        "для",
        "при",
        "не",
        "ни",
        "что",
        "как",
        "а",
        "но",
        "или",
        "же",
        "бы",
        "ли",
        "это",
        "этот",
        "эта",
        "эти",
        "его",
        "ее",
        "их",
        "мы",
        "вы",
        "они",
        "он",
        "она",
        "также",
        "более",
        "чем",
        "между",
        "после",
        "перед",
        "уже",
        "году",
        "год",
        "года",
        "годы",
        "млн",
        "млрд",
        "тыс",
        "был",
        "была",
        "были",
        "будет",
        "будут",
        "который",
        "которая",
        "которые",
        "которых",
        "және",
        "мен",
        "бен",
        "пен",
        "жылы",
        "жыл",
        "үшін",
        "бойынша",
        "осы",
        "ал",
        "да",
        "де",
        "та",
        "те",
        "бұл",
        "жана",
        "менен",
        "үчүн",
        "боюнча",
        "бул",
        "жылы",
        "жыл",
    ]
)


def words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=400_000)
def word_keys(word: str, language: str, capitalised: bool) -> tuple[str, ...]:
    """The keys one word contributes: its stem, and for a name its script-neutral prefix.

    A hyphenated word gives the keys of each part ("Таш-Кумыр" → таш, кумыр)."""
    keys: list[str] = []
    for part in re.split(r"[-'’]", word):
        lower = part.lower()
        if len(lower) < 2 or lower in STOPWORDS:
            continue
        if lower.isdigit():
            keys.append("d:" + lower)
            continue
        keys.append("s:" + stem(part, language))
        if capitalised and len(lower) >= 3:
            keys.append("n:" + name_key(lower))
    return tuple(keys)


def concepts(text: str, language: str) -> list[frozenset[str]]:
    """A title's or term's words as concepts: each the set of keys any of which matches it."""
    result = []
    for word in words(text):
        keys = word_keys(word.text, language, word.text[:1].isupper() or word.text[:1].isdigit())
        if keys:
            # A hyphenated name is several concepts: each part must be found.
            parts = {}
            for key in keys:
                parts.setdefault(len(parts) if key.startswith("s:") else len(parts) - 1, set()).add(
                    key
                )
            result.extend(frozenset(group) for group in parts.values())
    return result


def text_keys(text: str, language: str) -> set[str]:
    """Every key of a passage, for finding concepts in it. All words give their name keys too:
    a name is written in lower case only rarely, but an English title's common words are matched
    by name keys of a transliterated article only when they are names."""
    result: set[str] = set()
    for word in words(text):
        result.update(word_keys(word.text, language, True))
    return result
