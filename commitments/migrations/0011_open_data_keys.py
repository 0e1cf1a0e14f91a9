"""The open data's keys: a public identifier (UUID) for the rows that have no natural key
(sources, evidence, progress observations, status changes, target-date changes). Ids differ from
one database to another; the identifier travels with the row through export and import."""

import uuid

from django.db import migrations, models

MODELS = ("Source", "Evidence", "ProgressObservation", "StatusChange", "TargetDateChange")


def fill_uids(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("commitments", name)
        rows = [
            model(pk=pk, uid=uuid.uuid4())
            for pk in model.objects.filter(uid__isnull=True).values_list("pk", flat=True)
        ]
        model.objects.bulk_update(rows, ["uid"], batch_size=2000)


def _field(**options):
    return models.UUIDField(
        default=uuid.uuid4, editable=False, verbose_name="public identifier", **options
    )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0010_briefing_request")]

    operations = [
        *(
            migrations.AddField(model_name=name.lower(), name="uid", field=_field(null=True))
            for name in MODELS
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop, elidable=True),
        *(
            migrations.AlterField(model_name=name.lower(), name="uid", field=_field(unique=True))
            for name in MODELS
        ),
    ]
