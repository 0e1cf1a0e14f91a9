"""How the commitment admin writes: every save goes through `services`, never `Model.save()`.

Django admin saves the form's instance, then its inlines; here the form's cleaned data are handed
to the services instead (create, update, change status, add evidence, delete), which validate,
write and record history in one transaction, the one the admin's change view runs in.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect

from .. import services
from ..fields import SOURCE_ALIASES
from ..messages import SAVED_MEANWHILE
from ..models import Commitment, Evidence, InstrumentParty, PartyPosition, ProgressObservation
from .forms import DESCRIPTIVE_FIELDS

# The service recording each per-party row, and the fields it takes besides country and note;
# looked up on `services` by name when called, as the admin called it before.
PARTY_ACCOUNT_SERVICES: dict[type, tuple[str, tuple[str, ...]]] = {
    PartyPosition: ("party_position_record", ("status", "reported_on", "source")),
    InstrumentParty: (
        "instrument_dates_record",
        ("signed_on", "ratified_on", "in_force_on", "evidence"),
    ),
}


class ServiceBackedSaving:
    """A ModelAdmin mixin for Commitment: the admin's save hooks, each calling one service."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.VersionConflict:
            # Someone saved between this form's validation and its save; the admin's transaction
            # has rolled back everything this request wrote.
            self.message_user(request, SAVED_MEANWHILE, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_form(self, request, form, change):
        # The form's instance stays unsaved; save_model hands the cleaned data to the services.
        return form.instance

    def save_model(self, request, obj, form, change):
        if change:
            self._update(request, obj, form)
        else:
            self._create(request, obj, form.cleaned_data)
        # The admin goes on with `obj` (inlines, log entry, redirect): give it the saved record,
        # which also drops the partners prefetched before an update.
        obj.refresh_from_db()

    def _create(self, request, obj: Commitment, data: dict) -> None:
        fields = {
            name: data[name]
            for name in DESCRIPTIVE_FIELDS
            if name in data and name not in services.EDITABLE_RELATIONS
        }
        if not fields.get("slug"):
            fields["slug"] = services.unique_slug(fields[SOURCE_ALIASES["title"]])
        created = services.commitment_create(
            actor=request.user,
            partner_countries=data.get("partner_countries") or (),
            responsible_users=data.get("responsible_users") or (),
            note=data.get("status_note", ""),
            status=data["status"],
            **fields,
        )
        obj.pk = created.pk

    def _update(self, request, obj: Commitment, form) -> None:
        data = form.cleaned_data
        # The form has already copied its values onto `obj`; the services start from the record.
        current = Commitment.objects.get(pk=obj.pk)
        changed = [name for name in DESCRIPTIVE_FIELDS if name in form.changed_data]
        expected = data.get("expected_version")
        if changed:
            current = services.commitment_update(
                commitment=current,
                actor=request.user,
                data={name: data[name] for name in changed},
                expected_version=expected,
                target_date_reason=data.get("target_date_reason") or "",
                target_date_source=data.get("target_date_source"),
            )
            expected = None if expected is None else expected + 1
        if data.get("new_status"):
            services.commitment_change_status(
                commitment=current,
                new_status=data["new_status"],
                actor=request.user,
                note=data["status_note"],
                expected_version=expected,
            )

    def save_related(self, request, form, formsets, change):
        # Partners and responsible users were set by the service; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is ProgressObservation:
            self._save_observations(request, formset)
            return
        if formset.model in (PartyPosition, InstrumentParty):
            self._save_party_accounts(request, form.instance, formset)
            return
        if formset.model is not Evidence:
            formset.save()
            return
        # Unsaved instances of the new, filled-in rows (existing evidence is read-only); the
        # service saves each, so the admin's change message lists what it actually added.
        formset.new_objects = [
            services.evidence_add(
                commitment=form.instance,
                actor=request.user,
                source=new.source,
                quote=new.quote,
                url=new.url,
                note=new.note,
                observed_on=new.observed_on,
            )
            for new in formset.save(commit=False)
        ]

    def _save_observations(self, request, formset) -> None:
        # Each write goes through a service, which stores the progress the figures now give,
        # bumps the version and writes the event.
        formset.save(commit=False)
        changed = [observation for observation, _fields in formset.changed_objects]
        if changed or formset.deleted_objects:
            services.observations_correct(
                commitment=formset.instance,
                actor=request.user,
                changed=changed,
                removed=formset.deleted_objects,
            )
        formset.new_objects = [
            services.observation_add(observation=observation, actor=request.user)
            for observation in formset.new_objects
        ]

    def _save_party_accounts(self, request, commitment, formset) -> None:
        # Each new or changed row is recorded by its service (scoping, version, event); the
        # service replaces the country's earlier row.
        rows = formset.save(commit=False)
        saved = []
        for row in rows:
            service, fields = PARTY_ACCOUNT_SERVICES[type(row)]
            saved.append(
                getattr(services, service)(
                    commitment=commitment,
                    actor=request.user,
                    country=row.country_id,
                    note=row.note,
                    **{name: getattr(row, name) for name in fields},
                )
            )
        formset.new_objects, formset.changed_objects = saved, []

    def delete_model(self, request, obj):
        services.commitment_delete(commitment=obj, actor=request.user)
