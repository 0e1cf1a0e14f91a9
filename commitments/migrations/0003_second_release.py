# The second release's schema in one migration (API tokens, system actors, reminder phases, events,
# translated labels and content, progress and parties, ingestion), then the data steps that carry
# a first-release database over: each is a no-op on an empty database.

import hashlib
import unicodedata
from datetime import timedelta

import commitments.events.models
import commitments.models
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


def hash_plaintext_tokens(apps, schema_editor):
    """Keys issued before this release lived in plaintext in DRF's authtoken table. Keep them
    working (hashed, named "migrated", expiring after the usual time) and erase the plaintext."""
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("commitments", "ApiToken")
    now = django.utils.timezone.now()
    expires = now + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id FROM authtoken_token")
        rows = cursor.fetchall()
        ApiToken.objects.bulk_create(
            ApiToken(
                user_id=user_id,
                name="migrated",
                prefix=key[:8],
                digest=hashlib.sha256(key.encode()).hexdigest(),
                created_at=now,
                expires_at=expires,
            )
            for key, user_id in rows
        )
        cursor.execute("DELETE FROM authtoken_token")


def phases_of_existing_rows(apps, schema_editor):
    # Before phases, `sent_at` on a pending row meant "handed to the mail server": keep such rows
    # in doubt (never resent) rather than let the new default make them claimable again.
    Reminder = apps.get_model("commitments", "Reminder")
    Reminder.objects.filter(delivery_status="pending", sent_at__isnull=False).update(
        phase="end_of_data"
    )
    Reminder.objects.filter(delivery_status="sent").update(phase="answered")


def copy_into_english(apps, schema_editor):
    """Existing text was written in English: it becomes the English column's."""
    Commitment = apps.get_model("commitments", "Commitment")
    Meeting = apps.get_model("commitments", "Meeting")
    Commitment.objects.update(title_en=models.F("title"), description_en=models.F("description"))
    Meeting.objects.update(name_en=models.F("name"))


def keep_original_target_dates(apps, schema_editor):
    """Every target date recorded so far is the original one: none has moved on record."""
    Commitment = apps.get_model("commitments", "Commitment")
    Commitment.objects.filter(target_date__isnull=False).update(
        original_target_date=models.F("target_date")
    )


def hash_existing_sources(apps, schema_editor):
    """Sources already recorded get their content hash (as commitments.models.source_content_hash
    computes it), so an article added again is found to be the same source. Texts recorded
    twice keep an empty hash: which of them is "the" source is for staff to decide."""
    Source = apps.get_model("commitments", "Source")
    seen: set[str] = set()
    for source in Source.objects.filter(content_hash="").order_by("pk"):
        text = unicodedata.normalize("NFC", source.text).strip()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest in seen or Source.objects.filter(content_hash=digest).exists():
            continue
        seen.add(digest)
        Source.objects.filter(pk=source.pk).update(content_hash=digest)


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0002_issue_perf_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The system that uses this token.', max_length=100, verbose_name='name')),
                ('prefix', models.CharField(help_text='To recognise the key.', max_length=8, verbose_name='key starts with')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True, verbose_name='digest')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='event id')),
                ('xid', models.BigIntegerField(default=0, editable=False)),
                ('type', models.CharField(choices=[('commitment.created', 'commitment created'), ('commitment.updated', 'commitment updated'), ('commitment.status_changed', 'status changed'), ('commitment.reviewed', 'commitment reviewed'), ('commitment.evidence_added', 'evidence added'), ('commitment.observation_added', 'observation added'), ('commitment.target_date_changed', 'target date changed'), ('commitment.party_position_recorded', 'party position recorded'), ('commitment.instrument_dates_recorded', 'instrument dates recorded'), ('commitment.deleted', 'commitment deleted')], max_length=40, verbose_name='type')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='occurred at')),
                ('commitment_id', models.BigIntegerField(verbose_name='commitment id')),
                ('commitment_slug', models.CharField(max_length=120, verbose_name='commitment slug')),
                ('owner_country', models.CharField(max_length=2, verbose_name='owner country')),
                ('partner_countries', models.JSONField(default=list, verbose_name='partner countries')),
                ('countries', models.CharField(editable=False, max_length=200)),
                ('version', models.PositiveIntegerField(verbose_name='version')),
                ('actor_user_id', models.BigIntegerField(blank=True, null=True)),
                ('actor_name', models.CharField(blank=True, max_length=150, verbose_name='by')),
                ('actor_is_system', models.BooleanField(default=False)),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='data')),
            ],
            options={
                'verbose_name': 'event',
                'verbose_name_plural': 'events',
                'ordering': ['xid', 'id'],
            },
        ),
        migrations.CreateModel(
            name='InstrumentParty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='signed on')),
                ('ratified_on', models.DateField(blank=True, null=True, verbose_name='ratified or approved on')),
                ('in_force_on', models.DateField(blank=True, null=True, verbose_name='in force on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('recorded_by_system', models.CharField(blank=True, choices=[('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')], default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'instrument dates of a party',
                'verbose_name_plural': 'instrument dates per party',
                'ordering': ['country_id'],
            },
            bases=(commitments.models.RecordedActorMixin, models.Model),
        ),
        migrations.CreateModel(
            name='MatchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=200, verbose_name='term')),
            ],
            options={
                'verbose_name': 'match term',
                'verbose_name_plural': 'match terms',
                'ordering': ['commitment_id', 'term'],
            },
        ),
        migrations.CreateModel(
            name='PartyPosition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('announced', 'Announced'), ('agreed', 'Agreed'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('stalled', 'Stalled'), ('cancelled', 'Cancelled')], max_length=20, verbose_name='status as reported')),
                ('reported_on', models.DateField(verbose_name='reported on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('recorded_by_system', models.CharField(blank=True, choices=[('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')], default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
            ],
            options={
                'verbose_name': 'party position',
                'verbose_name_plural': 'party positions',
                'ordering': ['country_id'],
            },
            bases=(commitments.models.RecordedActorMixin, models.Model),
        ),
        migrations.CreateModel(
            name='StaffProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(blank=True, choices=[('en-gb', 'English'), ('ru', 'Русский'), ('kk', 'Қазақша'), ('ky', 'Кыргызча')], help_text="The language of the admin and of your reminder emails. Empty: the admin follows your browser's language, emails are in English.", max_length=10, verbose_name='language')),
            ],
            options={
                'verbose_name': 'staff profile',
                'verbose_name_plural': 'staff profiles',
            },
        ),
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('evidence', 'Evidence'), ('observation', 'Progress figure'), ('commitment', 'New commitment'), ('meeting', 'Meeting')], max_length=20, verbose_name='kind')),
                ('quote', models.TextField(help_text='A whole sentence of the source, verbatim.', verbose_name='quote')),
                ('start', models.PositiveIntegerField(verbose_name='start')),
                ('end', models.PositiveIntegerField(verbose_name='end')),
                ('score', models.FloatField(verbose_name='score')),
                ('method', models.CharField(max_length=60, verbose_name='method')),
                ('method_version', models.CharField(max_length=20, verbose_name='method version')),
                ('payload', models.JSONField(blank=True, default=dict, verbose_name='details')),
                ('fingerprint', models.CharField(editable=False, max_length=64, verbose_name='fingerprint')),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], default='pending', max_length=10, verbose_name='status')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'suggestion',
                'verbose_name_plural': 'suggestions',
                'ordering': ['source_id', 'start', 'id'],
            },
        ),
        migrations.CreateModel(
            name='TargetDateChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_date', models.DateField(blank=True, null=True, verbose_name='old target date')),
                ('new_date', models.DateField(blank=True, null=True, verbose_name='new target date')),
                ('is_postponement', models.BooleanField(default=False, verbose_name='postponement')),
                ('reason', models.TextField(verbose_name='reason')),
                ('changed_by_system', models.CharField(blank=True, choices=[('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')], default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor')),
                ('changed_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='changed at')),
            ],
            options={
                'verbose_name': 'target date change',
                'verbose_name_plural': 'target date changes',
                'ordering': ['changed_at', 'id'],
            },
            bases=(commitments.models.RecordedActorMixin, models.Model),
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('delivered', 'delivered'), ('failed', 'failed, will retry'), ('refused', 'refused by the receiver, not retried'), ('blocked', 'blocked: unsafe address')], max_length=10, verbose_name='outcome')),
                ('is_redelivery', models.BooleanField(default=False, verbose_name='redelivery')),
                ('attempted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='attempted at')),
                ('duration_ms', models.PositiveIntegerField(default=0, verbose_name='duration (ms)')),
                ('response_status', models.PositiveSmallIntegerField(null=True, verbose_name='response code')),
                ('response_excerpt', models.CharField(blank=True, max_length=500, verbose_name='response excerpt')),
                ('error', models.CharField(blank=True, max_length=500, verbose_name='error')),
            ],
            options={
                'verbose_name': 'webhook delivery',
                'verbose_name_plural': 'webhook deliveries',
                'ordering': ['-attempted_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='URL')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                ('secret', models.CharField(default=commitments.events.models.new_secret, help_text='Signs each delivery (HMAC-SHA256); the receiver keeps a copy.', max_length=200, verbose_name='secret')),
                ('event_types', models.JSONField(blank=True, default=list, help_text='Empty: every type.', verbose_name='event types')),
                ('countries', models.JSONField(blank=True, default=list, help_text='ISO codes; events of commitments involving any of them. Empty: all.', verbose_name='countries')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('disabled_at', models.DateTimeField(blank=True, null=True, verbose_name='disabled at')),
                ('disabled_reason', models.CharField(blank=True, max_length=300, verbose_name='disabled because')),
                ('consecutive_failures', models.PositiveIntegerField(default=0, verbose_name='consecutive failures')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                ('cursor_xid', models.BigIntegerField(default=0, editable=False)),
                ('cursor_event_id', models.BigIntegerField(default=0, editable=False)),
                ('claim_token', models.CharField(blank=True, editable=False, max_length=32)),
                ('claimed_until', models.DateTimeField(blank=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
            ],
            options={
                'verbose_name': 'webhook endpoint',
                'verbose_name_plural': 'webhook endpoints',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='WebhookRedelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.AlterModelOptions(
            name='commitment',
            options={'ordering': ['-updated_at', '-id'], 'verbose_name': 'commitment', 'verbose_name_plural': 'commitments'},
        ),
        migrations.AlterModelOptions(
            name='country',
            options={'ordering': ['code'], 'verbose_name': 'country', 'verbose_name_plural': 'countries'},
        ),
        migrations.AlterModelOptions(
            name='countrymembership',
            options={'verbose_name': 'country membership', 'verbose_name_plural': 'country memberships'},
        ),
        migrations.AlterModelOptions(
            name='evidence',
            options={'ordering': ['observed_on', 'id'], 'verbose_name': 'evidence', 'verbose_name_plural': 'evidence'},
        ),
        migrations.AlterModelOptions(
            name='meeting',
            options={'ordering': ['-held_on', 'name'], 'verbose_name': 'meeting', 'verbose_name_plural': 'meetings'},
        ),
        migrations.AlterModelOptions(
            name='progressobservation',
            options={'ordering': ['period_end', 'period_start', 'id'], 'verbose_name': 'progress observation', 'verbose_name_plural': 'progress observations'},
        ),
        migrations.AlterModelOptions(
            name='reminder',
            options={'ordering': ['-claimed_at'], 'verbose_name': 'reminder', 'verbose_name_plural': 'reminders'},
        ),
        migrations.AlterModelOptions(
            name='reminderpreference',
            options={'verbose_name': 'reminder preference', 'verbose_name_plural': 'reminder preferences'},
        ),
        migrations.AlterModelOptions(
            name='review',
            options={'ordering': ['reviewed_at', 'id'], 'verbose_name': 'review', 'verbose_name_plural': 'reviews'},
        ),
        migrations.AlterModelOptions(
            name='source',
            options={'ordering': ['-published_on', 'title'], 'verbose_name': 'source', 'verbose_name_plural': 'sources'},
        ),
        migrations.AlterModelOptions(
            name='statuschange',
            options={'get_latest_by': 'changed_at', 'ordering': ['changed_at', 'id'], 'verbose_name': 'status change', 'verbose_name_plural': 'status changes'},
        ),
        migrations.AddField(
            model_name='commitment',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='description_kk',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='description_ky',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='description_ru',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='instrument_type',
            field=models.CharField(blank=True, choices=[('agreement', 'Agreement'), ('treaty', 'Treaty'), ('protocol', 'Protocol'), ('memorandum', 'Memorandum')], help_text='For a legal instrument: agreement, treaty, protocol or memorandum.', max_length=20, verbose_name='instrument type'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='original_target_date',
            field=models.DateField(blank=True, editable=False, help_text='The first target date recorded; kept when the target date moves.', null=True, verbose_name='original target date'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='positions_diverge',
            field=models.BooleanField(default=False, editable=False, help_text='The party countries report different statuses.', verbose_name="parties' positions diverge"),
        ),
        migrations.AddField(
            model_name='commitment',
            name='postponements',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='How many times the target date was moved later.', verbose_name='postponements'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='progress',
            field=models.CharField(choices=[('on_track', 'On track'), ('needs_acceleration', 'Needs acceleration'), ('off_track', 'Off track'), ('not_enough_data', 'Not enough data')], default='not_enough_data', editable=False, help_text='Of the quantitative target, from the observations (least favourable party).', max_length=20, verbose_name='progress'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='title_en',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='title_kk',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='title_ky',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='commitment',
            name='title_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='evidence',
            name='added_by_system',
            field=models.CharField(blank=True, choices=[('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')], default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='name_en',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='name_kk',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='name_ky',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='name_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='progressobservation',
            name='reported_by',
            field=models.ForeignKey(blank=True, help_text='The party country whose figure this is, when the source says so.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.country', verbose_name='reported by'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='catch_ups',
            field=models.PositiveSmallIntegerField(default=0, help_text='Later runs of the period that retried this digest after a failure.', verbose_name='catch ups'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='claim_token',
            field=models.CharField(blank=True, default='', max_length=32, verbose_name='claim token'),
        ),
        migrations.AddField(
            model_name='reminder',
            name='phase',
            field=models.CharField(choices=[('claimed', 'Claimed, not yet sending'), ('connect', 'Connecting'), ('greeting', "Waiting for the server's greeting"), ('mail', 'Envelope (MAIL FROM, RCPT TO)'), ('data', 'Sending the message (DATA)'), ('end_of_data', "Message ended, waiting for the server's answer"), ('answered', 'Server answered the message')], default='claimed', max_length=16, verbose_name='SMTP phase reached'),
        ),
        migrations.AddField(
            model_name='review',
            name='reviewed_by_system',
            field=models.CharField(blank=True, choices=[('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')], default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor'),
        ),
        migrations.AddField(
            model_name='source',
            name='content_hash',
            field=models.CharField(blank=True, editable=False, help_text='SHA-256 of the text: the same text added twice is the same source.', max_length=64, verbose_name='content hash'),
        ),
        migrations.AddField(
            model_name='source',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ru', 'Русский'), ('kk', 'Қазақша'), ('ky', 'Кыргызча')], default='en', help_text='The language the article is written in; its quotes stay in it.', max_length=8, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='statuschange',
            name='changed_by_system',
            field=models.CharField(blank=True, choices=[('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')], default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='announced_on',
            field=models.DateField(blank=True, null=True, verbose_name='announced on'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='category',
            field=models.CharField(choices=[('trade', 'Trade'), ('investment', 'Investment'), ('industry', 'Industry'), ('energy', 'Energy'), ('water', 'Water'), ('agriculture', 'Agriculture'), ('infrastructure', 'Infrastructure'), ('border_transport', 'Border and transport'), ('tourism', 'Tourism'), ('humanitarian', 'Culture, education and humanitarian'), ('political', 'Political and legal'), ('other', 'Other')], max_length=32, verbose_name='category'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='description',
            field=models.TextField(blank=True, verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='last_reviewed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='last reviewed at'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='meeting',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to='commitments.meeting', verbose_name='meeting'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='notes',
            field=models.TextField(blank=True, help_text='Reviewer notes, e.g. where sources disagree.', verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='owner_country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='owned_commitments', to='commitments.country', verbose_name='owner country'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='partner_countries',
            field=models.ManyToManyField(blank=True, related_name='partnered_commitments', to='commitments.country', verbose_name='partner countries'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='responsible_users',
            field=models.ManyToManyField(blank=True, related_name='responsible_for', to=settings.AUTH_USER_MODEL, verbose_name='responsible users'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='slug',
            field=models.SlugField(help_text='Stable identifier used in URLs.', max_length=120, unique=True, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='status',
            field=models.CharField(choices=[('announced', 'Announced'), ('agreed', 'Agreed'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('stalled', 'Stalled'), ('cancelled', 'Cancelled')], default='announced', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='target_amount',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='Quantitative target, e.g. 2000000000 with unit USD.', max_digits=20, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='target amount'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='target_date',
            field=models.DateField(blank=True, null=True, verbose_name='target date'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='target_unit',
            field=models.CharField(blank=True, max_length=20, verbose_name='target unit'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='title',
            field=models.CharField(max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at'),
        ),
        migrations.AlterField(
            model_name='commitment',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text="Bumped on every change; the API's ETag.", verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='country',
            name='name',
            field=models.CharField(max_length=100, unique=True, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='countrymembership',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='commitments.country', verbose_name='country'),
        ),
        migrations.AlterField(
            model_name='countrymembership',
            name='is_coordinator',
            field=models.BooleanField(default=False, help_text='Coordinators receive reminders for commitments that have no responsible user.', verbose_name='is coordinator'),
        ),
        migrations.AlterField(
            model_name='countrymembership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='country_memberships', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='added_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='added by'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='observed_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='observed on'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='quote',
            field=models.TextField(blank=True, help_text="Copied verbatim from the source's text.", verbose_name='quote'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='commitments.source', verbose_name='source'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='url',
            field=models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='URL'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='held_on',
            field=models.DateField(verbose_name='held on'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='key',
            field=models.SlugField(max_length=80, unique=True, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='location',
            field=models.CharField(blank=True, max_length=200, verbose_name='location'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='name',
            field=models.CharField(max_length=300, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='evidence',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='commitments.evidence', verbose_name='evidence'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='period_end',
            field=models.DateField(verbose_name='period end'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='period_label',
            field=models.CharField(blank=True, max_length=100, verbose_name='period label'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='period_start',
            field=models.DateField(verbose_name='period start'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='unit',
            field=models.CharField(max_length=20, verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='progressobservation',
            name='value',
            field=models.DecimalField(decimal_places=2, max_digits=20, verbose_name='value'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='attempts',
            field=models.PositiveIntegerField(default=0, verbose_name='attempts'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='claimed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='claimed at'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='commitments',
            field=models.ManyToManyField(related_name='reminders', to='commitments.commitment', verbose_name='commitments'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='delivery_status',
            field=models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='delivery status'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='last_error',
            field=models.TextField(blank=True, verbose_name='last error'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='period',
            field=models.CharField(help_text='The reminder period, e.g. 2026-11-22.', max_length=32, verbose_name='period'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='recipient'),
        ),
        migrations.AlterField(
            model_name='reminder',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='sent at'),
        ),
        migrations.AlterField(
            model_name='reminderpreference',
            name='opted_out',
            field=models.BooleanField(default=False, verbose_name='opted out'),
        ),
        migrations.AlterField(
            model_name='reminderpreference',
            name='snoozed_until',
            field=models.DateField(blank=True, null=True, verbose_name='snoozed until'),
        ),
        migrations.AlterField(
            model_name='reminderpreference',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.AlterField(
            model_name='reminderpreference',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_preference', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AlterField(
            model_name='review',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AlterField(
            model_name='review',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='review',
            name='reviewed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='reviewed at'),
        ),
        migrations.AlterField(
            model_name='review',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AlterField(
            model_name='source',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='source',
            name='published_on',
            field=models.DateField(verbose_name='published on'),
        ),
        migrations.AlterField(
            model_name='source',
            name='publisher',
            field=models.CharField(blank=True, max_length=200, verbose_name='publisher'),
        ),
        migrations.AlterField(
            model_name='source',
            name='seed_file',
            field=models.CharField(blank=True, help_text='The file in seeds/ this source was loaded from.', max_length=200, verbose_name='seed file'),
        ),
        migrations.AlterField(
            model_name='source',
            name='text',
            field=models.TextField(verbose_name='text'),
        ),
        migrations.AlterField(
            model_name='source',
            name='title',
            field=models.CharField(max_length=500, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='source',
            name='url',
            field=models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='URL'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='changed_at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='changed at'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='changed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='new_status',
            field=models.CharField(choices=[('announced', 'Announced'), ('agreed', 'Agreed'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('stalled', 'Stalled'), ('cancelled', 'Cancelled')], max_length=20, verbose_name='new status'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='statuschange',
            name='old_status',
            field=models.CharField(blank=True, choices=[('announced', 'Announced'), ('agreed', 'Agreed'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('stalled', 'Stalled'), ('cancelled', 'Cancelled')], help_text='Empty when the record began.', max_length=20, verbose_name='old status'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(('progress__in', ['on_track', 'needs_acceleration', 'off_track', 'not_enough_data'])), name='commitment_progress_valid'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(('instrument_type', ''), ('instrument_type__in', ['agreement', 'treaty', 'protocol', 'memorandum']), _connector='OR'), name='commitment_instrument_type_valid'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(('added_by__isnull', True), ('added_by_system', ''), _connector='OR'), name='evidence_one_actor'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.CheckConstraint(condition=models.Q(('reviewed_by__isnull', True), ('reviewed_by_system', ''), _connector='OR'), name='review_one_actor'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.UniqueConstraint(condition=models.Q(('content_hash', ''), _negated=True), fields=('content_hash',), name='source_content_hash_unique'),
        ),
        migrations.AddConstraint(
            model_name='statuschange',
            constraint=models.CheckConstraint(condition=models.Q(('changed_by__isnull', True), ('changed_by_system', ''), _connector='OR'), name='status_change_one_actor'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['xid', 'id'], name='event_feed_order'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['occurred_at'], name='event_occurred_at'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['commitment_id', 'id'], name='event_commitment'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('type__in', ['commitment.created', 'commitment.updated', 'commitment.status_changed', 'commitment.reviewed', 'commitment.evidence_added', 'commitment.observation_added', 'commitment.target_date_changed', 'commitment.party_position_recorded', 'commitment.instrument_dates_recorded', 'commitment.deleted'])), name='event_type_valid'),
        ),
        migrations.AddField(
            model_name='instrumentparty',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='instrument_parties', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AddField(
            model_name='instrumentparty',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.country', verbose_name='country'),
        ),
        migrations.AddField(
            model_name='instrumentparty',
            name='evidence',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='commitments.evidence', verbose_name='evidence'),
        ),
        migrations.AddField(
            model_name='instrumentparty',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='matchterm',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='match_terms', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AddField(
            model_name='partyposition',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='party_positions', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AddField(
            model_name='partyposition',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.country', verbose_name='country'),
        ),
        migrations.AddField(
            model_name='partyposition',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='partyposition',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.source', verbose_name='source'),
        ),
        migrations.AddField(
            model_name='staffprofile',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='staff_profile', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='commitment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='suggestions', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestions', to='commitments.source', verbose_name='source'),
        ),
        migrations.AddField(
            model_name='targetdatechange',
            name='changed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by'),
        ),
        migrations.AddField(
            model_name='targetdatechange',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='target_date_changes', to='commitments.commitment', verbose_name='commitment'),
        ),
        migrations.AddField(
            model_name='targetdatechange',
            name='source',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.source', verbose_name='source'),
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='commitments.event'),
        ),
        migrations.AddField(
            model_name='webhookendpoint',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_endpoints', to=settings.AUTH_USER_MODEL, verbose_name='owner'),
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='endpoint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='commitments.webhookendpoint'),
        ),
        migrations.AddField(
            model_name='webhookredelivery',
            name='endpoint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='redeliveries', to='commitments.webhookendpoint'),
        ),
        migrations.AddField(
            model_name='webhookredelivery',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='commitments.event'),
        ),
        migrations.AddConstraint(
            model_name='instrumentparty',
            constraint=models.UniqueConstraint(fields=('commitment', 'country'), name='instrument_party_once_per_country'),
        ),
        migrations.AddConstraint(
            model_name='instrumentparty',
            constraint=models.CheckConstraint(condition=models.Q(('recorded_by__isnull', True), ('recorded_by_system', ''), _connector='OR'), name='instrument_party_one_actor'),
        ),
        migrations.AddConstraint(
            model_name='matchterm',
            constraint=models.UniqueConstraint(fields=('commitment', 'term'), name='match_term_unique'),
        ),
        migrations.AddConstraint(
            model_name='matchterm',
            constraint=models.CheckConstraint(condition=models.Q(('term', ''), _negated=True), name='match_term_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='partyposition',
            constraint=models.UniqueConstraint(fields=('commitment', 'country'), name='party_position_once_per_country'),
        ),
        migrations.AddConstraint(
            model_name='partyposition',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['announced', 'agreed', 'in_progress', 'completed', 'stalled', 'cancelled'])), name='party_position_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='partyposition',
            constraint=models.CheckConstraint(condition=models.Q(('recorded_by__isnull', True), ('recorded_by_system', ''), _connector='OR'), name='party_position_one_actor'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['status', 'source'], name='suggestion_status_source'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.UniqueConstraint(fields=('source', 'fingerprint'), name='suggestion_source_fingerprint_unique'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('start__lte', models.F('end'))), name='suggestion_offsets_ordered'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['evidence', 'observation', 'commitment', 'meeting'])), name='suggestion_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'accepted', 'rejected'])), name='suggestion_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='targetdatechange',
            constraint=models.CheckConstraint(condition=models.Q(('changed_by__isnull', True), ('changed_by_system', ''), _connector='OR'), name='target_date_change_one_actor'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['endpoint', '-attempted_at'], name='delivery_endpoint_time'),
        ),
        migrations.AddConstraint(
            model_name='webhookredelivery',
            constraint=models.UniqueConstraint(fields=('endpoint', 'event'), name='redelivery_once'),
        ),
        migrations.RunPython(hash_plaintext_tokens, migrations.RunPython.noop),
        migrations.RunPython(phases_of_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(copy_into_english, migrations.RunPython.noop),
        migrations.RunPython(keep_original_target_dates, migrations.RunPython.noop),
        migrations.RunPython(hash_existing_sources, migrations.RunPython.noop),
    ]
