"""Lemmas of the words that name things, in every content language, for the lexical signal.

Whole lemmas, not stems or prefixes: "intergovernmental" and "interdepartmental", or
"implementation" and "implement", stay apart. Russian words are lemmatised by pymorphy3 (which
also tells nouns and adjectives from verbs); English words lose their inflection only (plural,
-ed, -ing), never a derivational suffix; Kazakh and Kyrgyz words lose their case and plural
endings. Names are compared whole across scripts through a transliterated key.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from .text import STOPWORDS, _turkic_stem, script_of, transliterate

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_lock = threading.Lock()
_morph = None


def _analyzer():
    global _morph
    if _morph is None:
        with _lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


# Words that carry no object: the two countries, their adjectives, the verbs that open a
# commitment's title and the nouns of any diplomatic text. They never count as found.
GENERIC = frozenset(
    [
        "kazakhstan",
        "kyrgyzstan",
        "kyrgyz",
        "kazakh",
        "kazakhstani",
        "kazakh-kyrgyz",
        "kyrgyz-kazakh",
        "republic",
        "country",
        "side",
        "party",
        "government",
        "state",
        "bilateral",
        "mutual",
        "joint",
        "new",
        "cooperation",
        "develop",
        "build",
        "create",
        "implement",
        "raise",
        "increase",
        "set",
        "ensure",
        "work",
        "approve",
        "sign",
        "reconstruct",
        "launch",
        "host",
        "jointly",
        "project",
        "initiative",
        "issue",
        "sphere",
        "area",
        "field",
        "level",
        "relation",
        "agreement",
        "казахстан",
        "кыргызстан",
        "киргизия",
        "кыргызский",
        "казахский",
        "казахстанский",
        "киргизский",
        "казахстанско-кыргызский",
        "кыргызско-казахстанский",
        "кыргызско-казахский",
        "казахско-кыргызский",
        "республика",
        "страна",
        "сторона",
        "правительство",
        "государство",
        "двусторонний",
        "взаимный",
        "совместный",
        "новый",
        "сотрудничество",
        "сфера",
        "область",
        "вопрос",
        "уровень",
        "отношение",
        "проект",
        "инициатива",
        "рамка",
    ]
)

_EN_VERBISH = frozenset(
    [
        "agree",
        "discuss",
        "note",
        "say",
        "stress",
        "emphasize",
        "announce",
        "plan",
        "aim",
        "intend",
        "will",
        "would",
        "also",
        "make",
        "take",
        "hold",
        "held",
        "meet",
        "visit",
        "report",
        "according",
        "continue",
        "expand",
        "strengthen",
        "further",
        "promptly",
        "fully",
    ]
)
_KEEP_POS = {"NOUN", "ADJF", "ADJS", "PRTF", "NUMR", None}


@dataclass(frozen=True, slots=True)
class Lemma:
    lemma: str
    name: bool  # capitalised in the text (or a hyphenated name): compared across scripts
    start: int
    end: int

    @property
    def key(self) -> str:
        return name_form(self.lemma) if self.name else self.lemma


@lru_cache(maxsize=200_000)
def name_form(lemma: str) -> str:
    """A name's whole, script-neutral form: "Иссык-Куль" and "Issyk-Kul" both give "isik-kul"."""
    latin = transliterate(lemma).replace("kh", "h").replace("j", "zh").replace("y", "i")
    latin = latin.replace("q", "k").replace("w", "v").replace("'", "").replace("’", "")
    # Hyphens go too: "Kambar-Ata" and "Kambarata" are one name.
    return "n:" + re.sub(r"(.)\1+", r"\1", latin.replace("-", ""))


def _english(word: str) -> str:
    lower = word.lower()
    if len(lower) <= 3:
        return lower
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch")):
        if lower.endswith(suffix):
            return lower[: -len(suffix)] + replacement
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return lower[:-1]
    if lower.endswith("ing") and len(lower) > 5:
        return _undouble(lower[:-3])
    if lower.endswith("ed") and len(lower) > 4:
        return _undouble(lower[:-2] if not lower.endswith("ied") else lower[:-3] + "y")
    return lower


def _undouble(stem: str) -> str:
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
        return stem[:-1]
    return stem


@lru_cache(maxsize=400_000)
def lemma_of(word: str, language: str) -> tuple[str, bool]:
    """(lemma, whether it names a thing) for one word; the flag is False for verbs and the like."""
    lower = word.lower().replace("ё", "е")
    script = script_of(lower)
    if script == "latin":
        lemma = _english(lower)
        return lemma, lemma not in _EN_VERBISH
    if script != "cyrillic":
        return lower, True
    if language in ("kk", "ky") or any(ch in lower for ch in "әғқңөұүһі"):
        return _turkic_stem(lower), True
    parts = lower.split("-")
    morph = _analyzer()
    lemmas, keep = [], True
    for i, part in enumerate(parts):
        parse = morph.parse(part)[0]
        lemmas.append(parse.normal_form)
        if i == len(parts) - 1:
            keep = parse.tag.POS in _KEEP_POS
    return "-".join(lemmas), keep


def lemmas(text: str, language: str) -> list[Lemma]:
    """The text's object words as lemmas (no stop words, verbs or generic words), with offsets.

    A number with a scale is kept as its digits ("3" of "$3 billion") since amounts tell targets
    apart; a year is kept whole."""
    result = []
    for match in _WORD.finditer(text):
        word = match.group()
        lower = word.lower()
        if lower in STOPWORDS and not lower.isdigit():
            continue
        if lower.isdigit():
            result.append(Lemma("d:" + lower.lstrip("0"), False, match.start(), match.end()))
            continue
        if len(lower) < 2:
            continue
        lemma, keep = lemma_of(word, language)
        if not keep or lemma in GENERIC or lemma in STOPWORDS:
            continue
        capital = word[:1].isupper() and match.start() > 0 and text[match.start() - 1] != "\n"
        name = capital or ("-" in word and word[:1].isupper())
        result.append(Lemma(lemma, name, match.start(), match.end()))
    return result


def keys_of(text: str, language: str) -> set[str]:
    """Every key a passage offers: each lemma, and each capitalised word's name form too."""
    keys: set[str] = set()
    for item in lemmas(text, language):
        keys.add(item.lemma)
        keys.add(name_form(item.lemma))
    return keys


def profile_keys(text: str, language: str) -> list[str]:
    """A title's or term's keys, in order, one per object word: a name by its script-neutral form,
    any other word by its lemma."""
    seen, result = set(), []
    for item in lemmas(text, language):
        key = name_form(item.lemma) if item.name else item.lemma
        if key not in seen:
            seen.add(key)
            result.append(key)
    return result
