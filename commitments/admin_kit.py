"""Admin pieces every part's admin builds on (the record's, the events', the ingestion's): views of
records nobody may add, change or delete by hand (history, logs), and forms that show what the
services refused on save."""

from django.core.exceptions import PermissionDenied, ValidationError


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
