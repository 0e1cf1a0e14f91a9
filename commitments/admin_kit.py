"""Admin pieces every part's admin builds on (the record's, the events', the ingestion's): views of
records nobody may add, change or delete by hand (history, logs)."""


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
