"""Reminders remember the address a mail server refused for good (5xx), so a period retries it only
a few times, and again once the recipient's address changes (issue 26)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0004_webhook_secret_sealed'),
    ]

    operations = [
        migrations.AddField(
            model_name='reminder',
            name='refused_email',
            field=models.EmailField(blank=True, help_text="The address the mail server refused with a permanent error (5xx); retried only a few times, and again once the recipient's address changes.", max_length=254, verbose_name='address refused for good'),
        ),
    ]
