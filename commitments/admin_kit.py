"""Admin pieces every part's admin builds on (the record's, the events', the ingestion's): views of
records nobody may add, change or delete by hand (history, logs), and forms that show what the
services refused on save."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

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

    def get_form(self, request, obj=None, **kwargs):
        return refusing_control_characters(super().get_form(request, obj, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            refusing_control_characters(formset.form)
            yield formset, inline
