"""Webhook secrets sealed at rest (commitments/events/sealing.py): the column widens to text and
every secret stored in plain is sealed; going back opens them again."""

from django.db import migrations

import commitments.events.models
from commitments.events import sealing


def _rewrite(schema_editor, change) -> None:
    connection = schema_editor.connection
    table = connection.ops.quote_name("commitments_webhookendpoint")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret FROM {table}")  # noqa: S608 - a fixed table name
        rows = cursor.fetchall()
        for pk, value in rows:
            new = change(value)
            if new != value:
                cursor.execute(f"UPDATE {table} SET secret = %s WHERE id = %s", [new, pk])  # noqa: S608


def seal_plain(apps, schema_editor) -> None:
    _rewrite(schema_editor, lambda v: v if sealing.is_sealed(v) else sealing.seal(v))


def open_sealed(apps, schema_editor) -> None:
    _rewrite(schema_editor, lambda v: sealing.unseal(v) if sealing.is_sealed(v) else v)


class Migration(migrations.Migration):
    dependencies = [("commitments", "0003_events_ingestion_translations_parties")]

    operations = [
        migrations.AlterField(
            model_name="webhookendpoint",
            name="secret",
            field=commitments.events.models.SealedSecretField(
                default=commitments.events.models.new_secret,
                help_text="Signs each delivery (HMAC-SHA256); the receiver keeps a copy.",
                verbose_name="secret",
            ),
        ),
        migrations.RunPython(seal_plain, open_sealed, elidable=False),
    ]
