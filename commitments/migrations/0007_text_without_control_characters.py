"""Drop the control characters (but tab and line breaks) stored in text columns before they were
refused where text comes in (issue 26): one in a status change's note took every Atom feed down.

A source's text and the quotes checked against it verbatim (evidence, suggestions, with their
offsets) are left as they are: the outputs write them through `rules.printable`."""

import re

from django.db import migrations, models

# rules.CONTROL_CHARACTERS and rules.CONTROL_CHARACTERS_SQL as they stood (a migration keeps its
# own copy).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
CONTROL_SQL = r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
VERBATIM = {("source", "text"), ("evidence", "quote"), ("suggestion", "quote")}


def clean(apps, schema_editor):
    for model in apps.get_app_config("commitments").get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.primary_key:
                continue
            if (model._meta.model_name, field.name) in VERBATIM:
                continue
            rows = model._base_manager.filter(**{f"{field.attname}__regex": CONTROL_SQL})
            for pk, value in rows.values_list("pk", field.attname).iterator():
                model._base_manager.filter(pk=pk).update(**{field.attname: CONTROL.sub("", value)})


class Migration(migrations.Migration):
    dependencies = [("commitments", "0006_commitment_profiles")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
