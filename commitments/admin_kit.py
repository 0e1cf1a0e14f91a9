"""Admin pieces every part's admin builds on (the record's, the events', the ingestion's): views of
records nobody may add, change or delete by hand (history, logs), and forms that show what the
services refused on save."""

import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from .rules import refuse_control_characters


class ReadOnlyMixin:
    """No add, change or delete, for anyone, superusers included; viewing follows model perms."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInlineMixin(ReadOnlyMixin):
    extra = 0
    can_delete = False


# A service that refuses when the admin saves: the form is shown again with the refusal on it.
# Forms validate in `clean()` what they can know beforehand; some refusals are known only when the
# services write (a quote not in its source, a record the model refuses). The admin saves inside
# one transaction, so such a refusal rolls back whatever the services wrote; the change view then
# validates the form again, and the form's `clean()` raises the refusal, so nothing is saved and
# what the person typed is still there.


class RefusedOnSave(Exception):
    def __init__(self, error: PermissionDenied | ValidationError):
        self.error = error if isinstance(error, ValidationError) else ValidationError(str(error))
        super().__init__(self.error)


def refusal_to_show(request) -> ValidationError | None:
    """The refusal the services gave this request's first save, for the form's `clean()`."""
    return getattr(request, "refused_on_save", None)


class ShowsRefusalOnForm:
    """ModelAdmin mixin: a RefusedOnSave from save_model is shown on the form (see above)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedOnSave as refused:
            request.refused_on_save = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)


def refusing_control_characters(form_class):
    """`form_class` with every text field refusing control characters (but tab and line
    breaks): a form error, as any other."""
    for field in form_class.base_fields.values():
        if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
            field.validators.append(refuse_control_characters)
    return form_class


class PlainTextForms:
    """ModelAdmin mixin: the change form's and its inlines' text fields refuse control
    characters, which no person types and which XML feeds cannot carry."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Also for forms a ModelAdmin subclasses after get_form (their model fields are made again).
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(field, forms.CharField):
            field.validators.append(refuse_control_characters)
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        return refusing_control_characters(super().get_form(request, obj, change=change, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            refusing_control_characters(formset.form)
            yield formset, inline


# --- Messages that agree with the model's name --------------------------------------------------
# Django's admin says "The {name} “{obj}” was changed successfully." with one participle for every
# model; Russian agrees it with the name's gender ("Обязательство … было изменено", "Страна …
# была изменена"). Each model's gender in the active language is a translator's answer below;
# the messages of each gender are msgids with that gender as context. A language whose
# catalogue gives neither (English, or a gender it lacks) keeps Django's message.

NAME_GENDERS = {
    "commitment": pgettext_lazy("grammatical gender of: commitment", "masculine"),
    "country": pgettext_lazy("grammatical gender of: country", "masculine"),
    "meeting": pgettext_lazy("grammatical gender of: meeting", "masculine"),
    "suggestion": pgettext_lazy("grammatical gender of: suggestion", "masculine"),
    "progressobservation": pgettext_lazy(
        "grammatical gender of: progress observation", "masculine"
    ),
    "webhookendpoint": pgettext_lazy("grammatical gender of: webhook endpoint", "masculine"),
    "reminderpreference": pgettext_lazy("grammatical gender of: reminder preference", "masculine"),
}

# Django's messages (longest first: one may begin with another), and each in the genders.
_GENERIC = (
    "The {name} “{obj}” was added successfully. You may add another {name} below.",
    "The {name} “{obj}” was changed successfully. You may edit it again below.",
    "The {name} “{obj}” was changed successfully. You may add another {name} below.",
    "The {name} “{obj}” was added successfully.",
    "The {name} “{obj}” was changed successfully.",
    "The %(name)s “%(obj)s” was deleted successfully.",
)


def _agreeing(gender: str, msgid: str) -> str | None:
    """The message of `msgid` for a name of `gender` in the active language, or None."""
    by_gender = {
        "feminine": {
            _GENERIC[0]: pgettext(
                "admin message, feminine",
                "The {name} “{obj}” was added successfully. You may add another {name} below.",
            ),
            _GENERIC[1]: pgettext(
                "admin message, feminine",
                "The {name} “{obj}” was changed successfully. You may edit it again below.",
            ),
            _GENERIC[2]: pgettext(
                "admin message, feminine",
                "The {name} “{obj}” was changed successfully. You may add another {name} below.",
            ),
            _GENERIC[3]: pgettext(
                "admin message, feminine", "The {name} “{obj}” was added successfully."
            ),
            _GENERIC[4]: pgettext(
                "admin message, feminine", "The {name} “{obj}” was changed successfully."
            ),
            _GENERIC[5]: pgettext(
                "admin message, feminine", "The %(name)s “%(obj)s” was deleted successfully."
            ),
        },
        "neuter": {
            _GENERIC[0]: pgettext(
                "admin message, neuter",
                "The {name} “{obj}” was added successfully. You may add another {name} below.",
            ),
            _GENERIC[1]: pgettext(
                "admin message, neuter",
                "The {name} “{obj}” was changed successfully. You may edit it again below.",
            ),
            _GENERIC[2]: pgettext(
                "admin message, neuter",
                "The {name} “{obj}” was changed successfully. You may add another {name} below.",
            ),
            _GENERIC[3]: pgettext(
                "admin message, neuter", "The {name} “{obj}” was added successfully."
            ),
            _GENERIC[4]: pgettext(
                "admin message, neuter", "The {name} “{obj}” was changed successfully."
            ),
            _GENERIC[5]: pgettext(
                "admin message, neuter", "The %(name)s “%(obj)s” was deleted successfully."
            ),
        },
    }
    text = by_gender.get(gender, {}).get(msgid)
    return text if text and text != msgid else None


def _pattern(translated: str, name: str) -> re.Pattern:
    """A regex of Django's `translated` message for `name`, the object captured."""
    pattern = re.escape(translated)
    for placeholder in ("{name}", "%(name)s"):
        pattern = pattern.replace(re.escape(placeholder), re.escape(name))
    for placeholder in ("{obj}", "%(obj)s"):
        pattern = pattern.replace(re.escape(placeholder), "(?P<obj>.+?)", 1)
    return re.compile(pattern)


def agreeing_message(model_name: str, verbose_name: str, message: str) -> str:
    """`message` as Django wrote it for the model, or the same message agreeing with the gender
    of the model's name (NAME_GENDERS) when the active language's catalogue has one."""
    gender = NAME_GENDERS.get(model_name)
    if gender is None:
        return message
    gender = str(gender)
    text = str(message)
    for msgid in _GENERIC:
        agreeing = _agreeing(gender, msgid)
        if agreeing is None:
            continue
        match = _pattern(gettext(msgid), verbose_name).match(text)
        if match is None:
            continue
        # The object (a link, escaped) and the rest come from Django's message: what was safe
        # markup stays so, and a plain message stays plain (escaped when shown).
        safe = isinstance(message, SafeString)
        name = capfirst(verbose_name)
        name = conditional_escape(name) if safe else name
        values = {"name": name, "obj": match.group("obj")}
        result = agreeing % values if "%(" in agreeing else agreeing.format(**values)
        result += text[match.end() :]
        return mark_safe(result) if safe else result  # noqa: S308 (pieces of a safe message)
    return message


class AgreeingMessages:
    """A ModelAdmin mixin: its "added / changed / deleted" messages agree with its name."""

    def message_user(self, request, message, *args, **kwargs):
        opts = self.model._meta
        message = agreeing_message(opts.model_name, str(opts.verbose_name), message)
        return super().message_user(request, message, *args, **kwargs)


# Django's history and inline words, given here once more so this project's catalogue can word
# them without a gender (Russian: "Добавлено: подтверждение «…»"); other languages keep Django's.
HISTORY_WORDS = (
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("Add another %(verbose_name)s"),
)
