"""Helpers for admin tests: staff users with the secretariat group, and change-form POST data."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.urls import reverse

from commitments.staff import ensure_secretariat_group
from tests.support.factories import UserFactory


def staff_user(*countries: str, **kwargs):
    """A staff member of `countries` with the secretariat group's model permissions."""
    user = UserFactory(countries=list(countries), **kwargs)
    user.groups.add(ensure_secretariat_group())
    return user


def logged_in_staff(client, *countries: str, **kwargs):
    """`staff_user(*countries)`, logged in on `client`."""
    user = staff_user(*countries, **kwargs)
    client.force_login(user)
    return user


def changelist_url() -> str:
    return reverse("admin:commitments_commitment_changelist")


def change_url(commitment) -> str:
    return reverse("admin:commitments_commitment_change", args=[commitment.pk])


def open_change_page(client, commitment):
    """The commitment's admin change page, as `client` opens it (and is let in)."""
    response = client.get(change_url(commitment))
    assert response.status_code == 200
    return response


def add_url() -> str:
    return reverse("admin:commitments_commitment_add")


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _form_values(form, data: dict) -> None:
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if value is False or (value is None and isinstance(field, forms.ModelMultipleChoiceField)):
            continue
        if value is True:
            value = "on"
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = _as_post_value(part)
            continue
        data[bound.html_name] = _as_post_value(value)
        if field.show_hidden_initial:
            data[bound.html_initial_name] = _as_post_value(bound.initial)


def change_form_data(response, **overrides) -> dict:
    """The POST a browser would send back from a rendered admin add/change page, with overrides."""
    data: dict = {}
    _form_values(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_values(formset.management_form, data)
        for form in formset.initial_forms:
            _form_values(form, data)
    data.update(overrides)
    return data


def add_form_data(client, **overrides) -> dict:
    """`change_form_data` from the commitment add page `client` opens."""
    return change_form_data(client.get(add_url()), **overrides)


def add_inline_row(data: dict, prefix: str, **fields) -> dict:
    """Append one new row to the inline formset `prefix` in POST `data`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = _as_post_value(value)
    return data
