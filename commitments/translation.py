"""Content in several languages: what has a column per language, and which text a reader gets.

django-modeltranslation (which imports this module) gives each translated field a column per
language of settings.CONTENT_LANGUAGES (`title_en`, `title_ru`, `title_kk`, `title_ky`). English is
the source language: the record is kept in it, it is required, and a language with no text yet shows
the English text instead, saying so (`untranslated`).

Writes name the columns themselves (`title_ru`); the bare name (`title`) means the English text
whatever language is active, so that no write lands in a language its caller did not name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from modeltranslation.translator import TranslationOptions, register
from modeltranslation.utils import get_language

from .models import Commitment, Meeting

SOURCE_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
LANGUAGE_CODES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
# The languages a text may be translated into, after the source language.
TARGET_LANGUAGES: tuple[str, ...] = tuple(c for c in LANGUAGE_CODES if c != SOURCE_LANGUAGE)


COMMITMENT_FIELDS = ("title", "description")


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = COMMITMENT_FIELDS
    required_languages = {SOURCE_LANGUAGE: ("title",)}


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {SOURCE_LANGUAGE: ("name",)}


def _translation_columns() -> frozenset[str]:
    from modeltranslation.translator import translator

    return frozenset(
        column(name, language)
        for model in (Commitment, Meeting)
        for name in translator.get_options_for_model(model).fields
        for language in TARGET_LANGUAGES
    )


def column(name: str, language: str) -> str:
    return f"{name}_{language}"


def columns(name: str) -> tuple[str, ...]:
    """Every language's column of a translated field, the source language's first."""
    return tuple(column(name, language) for language in LANGUAGE_CODES)


def content_language() -> str:
    """The active language if content exists in it, else the source language."""
    return get_language()


def source_columns(names: Iterable[str]) -> dict[str, str]:
    """Each translated bare name (`title`) and the source-language column it stands for."""
    return {name: column(name, SOURCE_LANGUAGE) for name in names}


def pick(row: dict[str, Any], names: Iterable[str], language: str) -> list[str]:
    """Set each of `names` in `row` to its text in `language`, or the English text when that is
    empty; returns the names shown in English for want of a translation.

    `row` holds the columns `read_columns(names, language)` lists.
    """
    untranslated = []
    source = SOURCE_LANGUAGE
    for name in names:
        english = row[f"{name}_{source}"] or ""
        if language == source:
            row[name] = english
            continue
        text = row[f"{name}_{language}"]
        if text:
            row[name] = text
        else:
            row[name] = english
            if english:
                untranslated.append(name)
    return untranslated


def read_columns(names: Iterable[str], language: str, *, every_language: bool = False):
    """The columns `pick` needs for `names` in `language` (all of them with every_language)."""
    chosen = []
    for name in names:
        if every_language:
            chosen.extend(columns(name))
        else:
            chosen.append(column(name, SOURCE_LANGUAGE))
            if language != SOURCE_LANGUAGE:
                chosen.append(column(name, language))
    return tuple(chosen)


def every_translation(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, dict[str, str]]:
    """{language: {name: text}} for a row holding every language's columns of `names`."""
    names = tuple(names)
    return {
        language: {name: row[column(name, language)] or "" for name in names}
        for language in LANGUAGE_CODES
    }


def untranslated(instance, names: Iterable[str], language: str | None = None) -> list[str]:
    """The fields of a loaded instance that `language` (default: the active one) shows in
    English because it has no text for them."""
    language = language or content_language()
    if language == SOURCE_LANGUAGE:
        return []
    return [
        name
        for name in names
        if not getattr(instance, column(name, language))
        and getattr(instance, column(name, SOURCE_LANGUAGE))
    ]


# Every other language's column of every translated field (`title_ru`, `name_kk`, ...).
TRANSLATION_COLUMNS = _translation_columns()
