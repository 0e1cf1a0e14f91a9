"""One suggestion per distinct proposal of a source (issue 26: 5 MB of one repeated announcement
gave 74,883 pending suggestions). Existing rows get their proposal key; of a source's pending
suggestions proposing the same, the first stays and the others go; reviewed ones all stay (their
key made distinct), as the record of a decision."""

import hashlib
import json

from django.db import migrations, models


def proposal_key(kind, commitment_id, quote, payload):
    # ingestion.models.proposal_key as it stood (a migration keeps its own copy).
    raw = json.dumps([kind, commitment_id, quote, payload], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def fill(apps, schema_editor):
    Suggestion = apps.get_model("commitments", "Suggestion")
    seen = set()
    rows = Suggestion.objects.order_by("source_id", "pk").only(
        "pk", "source_id", "kind", "commitment_id", "quote", "payload", "status"
    )
    duplicates = []
    for row in rows.iterator(chunk_size=2000):
        key = proposal_key(row.kind, row.commitment_id, row.quote, row.payload)
        if (row.source_id, key) in seen:
            if row.status == "pending":
                duplicates.append(row.pk)
                continue
            key = hashlib.sha256(f"{key}|{row.pk}".encode()).hexdigest()
        seen.add((row.source_id, key))
        Suggestion.objects.filter(pk=row.pk).update(proposal_key=key)
    for start in range(0, len(duplicates), 500):
        Suggestion.objects.filter(pk__in=duplicates[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [("commitments", "0007_text_without_control_characters")]

    operations = [
        migrations.AddField(
            model_name="suggestion",
            name="proposal_key",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="proposal"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="suggestion",
            constraint=models.UniqueConstraint(
                fields=("source", "proposal_key"), name="suggestion_source_proposal_unique"
            ),
        ),
    ]
