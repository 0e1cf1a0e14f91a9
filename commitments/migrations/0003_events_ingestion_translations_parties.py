# The second release's schema in one migration (API tokens, system actors, reminder phases, events,
# translated labels and content, progress and parties, ingestion), then the data steps that carry
# a first-release database over: each is a no-op on an empty database.
#
# Collapsed by hand from the release's generated migrations: the new models are created whole
# (their relations, indexes and constraints included, with the columns in the order the generated
# migrations gave them), and the first release's fields are written once per model, as their models
# declare them. The builders below are the migration's own copies of the shapes commitments.models
# repeats; this file must not follow later changes of those models.

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


STATUS_CHOICES = [('announced', 'Announced'), ('agreed', 'Agreed'), ('in_progress', 'In progress'), ('completed', 'Completed'), ('stalled', 'Stalled'), ('cancelled', 'Cancelled')]
SYSTEM_ACTOR_CHOICES = [('seed_loader', 'seed loader'), ('reminder_job', 'reminder job'), ('ingestion', 'ingestion'), ('data_generator', 'benchmark data generator')]
CONTENT_LANGUAGES = ['en', 'kk', 'ky', 'ru']


def create_model(name, fields, bases=(models.Model,), **options):
    """A new model: Django's implicit primary key, then `fields`; `options` are its Meta's."""
    fields = [('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')), *fields]
    return migrations.CreateModel(name=name, fields=fields, options=options, bases=bases)


def add_fields(model_name, **fields):
    return [migrations.AddField(model_name=model_name, name=name, field=field) for name, field in fields.items()]


def alter_fields(model_name, **fields):
    return [migrations.AlterField(model_name=model_name, name=name, field=field) for name, field in fields.items()]


def language_columns(name, field_class, **options):
    """A translated field's column per language (django-modeltranslation's name_en, name_kk, ...)."""
    return {f'{name}_{code}': field_class(null=True, verbose_name=name, **options) for code in CONTENT_LANGUAGES}


def commitment_field(related_name, **options):
    return models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name=related_name, to='commitments.commitment', verbose_name='commitment', **options)


def optional_source_field():
    return models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.source', verbose_name='source')


def party_country_field():
    return models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.country', verbose_name='country')


def user_field(related_name, verbose_name='user', field_class=models.ForeignKey):
    """The user a row belongs to; deleted with them."""
    return field_class(on_delete=django.db.models.deletion.CASCADE, related_name=related_name, to=settings.AUTH_USER_MODEL, verbose_name=verbose_name)


def actor_user_field(verbose_name):
    return models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name=verbose_name)


def system_actor_field():
    return models.CharField(blank=True, choices=SYSTEM_ACTOR_CHOICES, default='', help_text='The system actor that wrote this row, when no user did.', max_length=40, verbose_name='system actor')


def one_actor_at_most(actor_field, name):
    return models.CheckConstraint(condition=models.Q((f'{actor_field}__isnull', True), (f'{actor_field}_system', ''), _connector='OR'), name=name)


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
    # Renamed from the name it was first applied under; a database that applied it under that
    # name takes this one as applied.
    replaces = [('commitments', '0003_second_release')]

    dependencies = [
        ('commitments', '0002_commitment_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        create_model(
            'ApiToken',
            [
                ('name', models.CharField(help_text='The system that uses this token.', max_length=100, verbose_name='name')),
                ('prefix', models.CharField(help_text='To recognise the key.', max_length=8, verbose_name='key starts with')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True, verbose_name='digest')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('user', user_field('api_tokens')),
            ],
            verbose_name='API token',
            verbose_name_plural='API tokens',
            ordering=['-created_at'],
        ),
        create_model(
            'Event',
            [
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
            verbose_name='event',
            verbose_name_plural='events',
            ordering=['xid', 'id'],
            indexes=[
                models.Index(fields=['xid', 'id'], name='event_feed_order'),
                models.Index(fields=['occurred_at'], name='event_occurred_at'),
                models.Index(fields=['commitment_id', 'id'], name='event_commitment'),
            ],
            constraints=[models.CheckConstraint(condition=models.Q(('type__in', ['commitment.created', 'commitment.updated', 'commitment.status_changed', 'commitment.reviewed', 'commitment.evidence_added', 'commitment.observation_added', 'commitment.target_date_changed', 'commitment.party_position_recorded', 'commitment.instrument_dates_recorded', 'commitment.deleted'])), name='event_type_valid')],
        ),
        create_model(
            'InstrumentParty',
            [
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='signed on')),
                ('ratified_on', models.DateField(blank=True, null=True, verbose_name='ratified or approved on')),
                ('in_force_on', models.DateField(blank=True, null=True, verbose_name='in force on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('recorded_by_system', system_actor_field()),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('commitment', commitment_field('instrument_parties')),
                ('country', party_country_field()),
                ('evidence', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='commitments.evidence', verbose_name='evidence')),
                ('recorded_by', actor_user_field('recorded by')),
            ],
            verbose_name='instrument dates of a party',
            verbose_name_plural='instrument dates per party',
            ordering=['country_id'],
            constraints=[
                models.UniqueConstraint(fields=('commitment', 'country'), name='instrument_party_once_per_country'),
                one_actor_at_most('recorded_by', 'instrument_party_one_actor'),
            ],
            bases=(commitments.models.RecordedActorMixin, models.Model),
        ),
        create_model(
            'MatchTerm',
            [
                ('term', models.CharField(max_length=200, verbose_name='term')),
                ('commitment', commitment_field('match_terms')),
            ],
            verbose_name='match term',
            verbose_name_plural='match terms',
            ordering=['commitment_id', 'term'],
            constraints=[
                models.UniqueConstraint(fields=('commitment', 'term'), name='match_term_unique'),
                models.CheckConstraint(condition=models.Q(('term', ''), _negated=True), name='match_term_not_empty'),
            ],
        ),
        create_model(
            'PartyPosition',
            [
                ('status', models.CharField(choices=STATUS_CHOICES, max_length=20, verbose_name='status as reported')),
                ('reported_on', models.DateField(verbose_name='reported on')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('recorded_by_system', system_actor_field()),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('commitment', commitment_field('party_positions')),
                ('country', party_country_field()),
                ('recorded_by', actor_user_field('recorded by')),
                ('source', optional_source_field()),
            ],
            verbose_name='party position',
            verbose_name_plural='party positions',
            ordering=['country_id'],
            constraints=[
                models.UniqueConstraint(fields=('commitment', 'country'), name='party_position_once_per_country'),
                models.CheckConstraint(condition=models.Q(('status__in', [value for value, _ in STATUS_CHOICES])), name='party_position_status_valid'),
                one_actor_at_most('recorded_by', 'party_position_one_actor'),
            ],
            bases=(commitments.models.RecordedActorMixin, models.Model),
        ),
        create_model(
            'StaffProfile',
            [
                ('language', models.CharField(blank=True, choices=[('en-gb', 'English'), ('ru', 'Русский'), ('kk', 'Қазақша'), ('ky', 'Кыргызча')], help_text="The language of the admin and of your reminder emails. Empty: the admin follows your browser's language, emails are in English.", max_length=10, verbose_name='language')),
                ('user', user_field('staff_profile', field_class=models.OneToOneField)),
            ],
            verbose_name='staff profile',
            verbose_name_plural='staff profiles',
        ),
        create_model(
            'Suggestion',
            [
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
                ('commitment', commitment_field('suggestions', blank=True, null=True)),
                ('reviewed_by', actor_user_field('reviewed by')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestions', to='commitments.source', verbose_name='source')),
            ],
            verbose_name='suggestion',
            verbose_name_plural='suggestions',
            ordering=['source_id', 'start', 'id'],
            indexes=[models.Index(fields=['status', 'source'], name='suggestion_status_source')],
            constraints=[
                models.UniqueConstraint(fields=('source', 'fingerprint'), name='suggestion_source_fingerprint_unique'),
                models.CheckConstraint(condition=models.Q(('start__lte', models.F('end'))), name='suggestion_offsets_ordered'),
                models.CheckConstraint(condition=models.Q(('kind__in', ['evidence', 'observation', 'commitment', 'meeting'])), name='suggestion_kind_valid'),
                models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'accepted', 'rejected'])), name='suggestion_status_valid'),
            ],
        ),
        create_model(
            'TargetDateChange',
            [
                ('old_date', models.DateField(blank=True, null=True, verbose_name='old target date')),
                ('new_date', models.DateField(blank=True, null=True, verbose_name='new target date')),
                ('is_postponement', models.BooleanField(default=False, verbose_name='postponement')),
                ('reason', models.TextField(verbose_name='reason')),
                ('changed_by_system', system_actor_field()),
                ('changed_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='changed at')),
                ('changed_by', actor_user_field('changed by')),
                ('commitment', commitment_field('target_date_changes')),
                ('source', optional_source_field()),
            ],
            verbose_name='target date change',
            verbose_name_plural='target date changes',
            ordering=['changed_at', 'id'],
            constraints=[one_actor_at_most('changed_by', 'target_date_change_one_actor')],
            bases=(commitments.models.RecordedActorMixin, models.Model),
        ),
        create_model(
            'WebhookEndpoint',
            [
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
                ('owner', user_field('webhook_endpoints', verbose_name='owner')),
            ],
            verbose_name='webhook endpoint',
            verbose_name_plural='webhook endpoints',
            ordering=['id'],
        ),
        create_model(
            'WebhookDelivery',
            [
                ('outcome', models.CharField(choices=[('delivered', 'delivered'), ('failed', 'failed, will retry'), ('refused', 'refused by the receiver, not retried'), ('blocked', 'blocked: unsafe address')], max_length=10, verbose_name='outcome')),
                ('is_redelivery', models.BooleanField(default=False, verbose_name='redelivery')),
                ('attempted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='attempted at')),
                ('duration_ms', models.PositiveIntegerField(default=0, verbose_name='duration (ms)')),
                ('response_status', models.PositiveSmallIntegerField(null=True, verbose_name='response code')),
                ('response_excerpt', models.CharField(blank=True, max_length=500, verbose_name='response excerpt')),
                ('error', models.CharField(blank=True, max_length=500, verbose_name='error')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='commitments.event')),
                ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='commitments.webhookendpoint')),
            ],
            verbose_name='webhook delivery',
            verbose_name_plural='webhook deliveries',
            ordering=['-attempted_at', '-id'],
            indexes=[models.Index(fields=['endpoint', '-attempted_at'], name='delivery_endpoint_time')],
        ),
        create_model(
            'WebhookRedelivery',
            [
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='redeliveries', to='commitments.webhookendpoint')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='commitments.event')),
            ],
            ordering=['id'],
            constraints=[models.UniqueConstraint(fields=('endpoint', 'event'), name='redelivery_once')],
        ),
        # The first release's models: their verbose names, and the fields this release adds.
        *[
            migrations.AlterModelOptions(name=name, options=options)
            for name, options in {
                'commitment': {'ordering': ['-updated_at', '-id'], 'verbose_name': 'commitment', 'verbose_name_plural': 'commitments'},
                'country': {'ordering': ['code'], 'verbose_name': 'country', 'verbose_name_plural': 'countries'},
                'countrymembership': {'verbose_name': 'country membership', 'verbose_name_plural': 'country memberships'},
                'evidence': {'ordering': ['observed_on', 'id'], 'verbose_name': 'evidence', 'verbose_name_plural': 'evidence'},
                'meeting': {'ordering': ['-held_on', 'name'], 'verbose_name': 'meeting', 'verbose_name_plural': 'meetings'},
                'progressobservation': {'ordering': ['period_end', 'period_start', 'id'], 'verbose_name': 'progress observation', 'verbose_name_plural': 'progress observations'},
                'reminder': {'ordering': ['-claimed_at'], 'verbose_name': 'reminder', 'verbose_name_plural': 'reminders'},
                'reminderpreference': {'verbose_name': 'reminder preference', 'verbose_name_plural': 'reminder preferences'},
                'review': {'ordering': ['reviewed_at', 'id'], 'verbose_name': 'review', 'verbose_name_plural': 'reviews'},
                'source': {'ordering': ['-published_on', 'title'], 'verbose_name': 'source', 'verbose_name_plural': 'sources'},
                'statuschange': {'get_latest_by': 'changed_at', 'ordering': ['changed_at', 'id'], 'verbose_name': 'status change', 'verbose_name_plural': 'status changes'},
            }.items()
        ],
        *add_fields(
            'commitment',
            **language_columns('description', models.TextField, blank=True),
            instrument_type=models.CharField(blank=True, choices=[('agreement', 'Agreement'), ('treaty', 'Treaty'), ('protocol', 'Protocol'), ('memorandum', 'Memorandum')], help_text='For a legal instrument: agreement, treaty, protocol or memorandum.', max_length=20, verbose_name='instrument type'),
            original_target_date=models.DateField(blank=True, editable=False, help_text='The first target date recorded; kept when the target date moves.', null=True, verbose_name='original target date'),
            positions_diverge=models.BooleanField(default=False, editable=False, help_text='The party countries report different statuses.', verbose_name="parties' positions diverge"),
            postponements=models.PositiveSmallIntegerField(default=0, editable=False, help_text='How many times the target date was moved later.', verbose_name='postponements'),
            progress=models.CharField(choices=[('on_track', 'On track'), ('needs_acceleration', 'Needs acceleration'), ('off_track', 'Off track'), ('not_enough_data', 'Not enough data')], default='not_enough_data', editable=False, help_text='Of the quantitative target, from the observations (least favourable party).', max_length=20, verbose_name='progress'),
            **language_columns('title', models.CharField, max_length=300),
        ),
        *add_fields('evidence', added_by_system=system_actor_field()),
        *add_fields('meeting', **language_columns('name', models.CharField, max_length=300)),
        *add_fields(
            'progressobservation',
            reported_by=models.ForeignKey(blank=True, help_text='The party country whose figure this is, when the source says so.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='commitments.country', verbose_name='reported by'),
        ),
        *add_fields(
            'reminder',
            catch_ups=models.PositiveSmallIntegerField(default=0, help_text='Later runs of the period that retried this digest after a failure.', verbose_name='catch ups'),
            claim_token=models.CharField(blank=True, default='', max_length=32, verbose_name='claim token'),
            phase=models.CharField(choices=[('claimed', 'Claimed, not yet sending'), ('connect', 'Connecting'), ('greeting', "Waiting for the server's greeting"), ('mail', 'Envelope (MAIL FROM, RCPT TO)'), ('data', 'Sending the message (DATA)'), ('end_of_data', "Message ended, waiting for the server's answer"), ('answered', 'Server answered the message')], default='claimed', max_length=16, verbose_name='SMTP phase reached'),
        ),
        *add_fields('review', reviewed_by_system=system_actor_field()),
        *add_fields(
            'source',
            content_hash=models.CharField(blank=True, editable=False, help_text='SHA-256 of the text: the same text added twice is the same source.', max_length=64, verbose_name='content hash'),
            language=models.CharField(choices=[('en', 'English'), ('ru', 'Русский'), ('kk', 'Қазақша'), ('ky', 'Кыргызча')], default='en', help_text='The language the article is written in; its quotes stay in it.', max_length=8, verbose_name='language'),
        ),
        *add_fields('statuschange', changed_by_system=system_actor_field()),
        *alter_fields(
            'commitment',
            announced_on=models.DateField(blank=True, null=True, verbose_name='announced on'),
            category=models.CharField(choices=[('trade', 'Trade'), ('investment', 'Investment'), ('industry', 'Industry'), ('energy', 'Energy'), ('water', 'Water'), ('agriculture', 'Agriculture'), ('infrastructure', 'Infrastructure'), ('border_transport', 'Border and transport'), ('tourism', 'Tourism'), ('humanitarian', 'Culture, education and humanitarian'), ('political', 'Political and legal'), ('other', 'Other')], max_length=32, verbose_name='category'),
            created_at=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
            description=models.TextField(blank=True, verbose_name='description'),
            last_reviewed_at=models.DateTimeField(default=django.utils.timezone.now, verbose_name='last reviewed at'),
            meeting=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='commitments', to='commitments.meeting', verbose_name='meeting'),
            notes=models.TextField(blank=True, help_text='Reviewer notes, e.g. where sources disagree.', verbose_name='notes'),
            owner_country=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='owned_commitments', to='commitments.country', verbose_name='owner country'),
            partner_countries=models.ManyToManyField(blank=True, related_name='partnered_commitments', to='commitments.country', verbose_name='partner countries'),
            responsible_users=models.ManyToManyField(blank=True, related_name='responsible_for', to=settings.AUTH_USER_MODEL, verbose_name='responsible users'),
            slug=models.SlugField(help_text='Stable identifier used in URLs.', max_length=120, unique=True, verbose_name='slug'),
            status=models.CharField(choices=STATUS_CHOICES, default='announced', max_length=20, verbose_name='status'),
            target_amount=models.DecimalField(blank=True, decimal_places=2, help_text='Quantitative target, e.g. 2000000000 with unit USD.', max_digits=20, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='target amount'),
            target_date=models.DateField(blank=True, null=True, verbose_name='target date'),
            target_unit=models.CharField(blank=True, max_length=20, verbose_name='target unit'),
            title=models.CharField(max_length=300, verbose_name='title'),
            updated_at=models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at'),
            version=models.PositiveIntegerField(default=1, editable=False, help_text="Bumped on every change; the API's ETag.", verbose_name='version'),
        ),
        *alter_fields('country', name=models.CharField(max_length=100, unique=True, verbose_name='name')),
        *alter_fields(
            'countrymembership',
            country=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='commitments.country', verbose_name='country'),
            is_coordinator=models.BooleanField(default=False, help_text='Coordinators receive reminders for commitments that have no responsible user.', verbose_name='is coordinator'),
            user=user_field('country_memberships'),
        ),
        *alter_fields(
            'evidence',
            added_by=actor_user_field('added by'),
            commitment=commitment_field('evidence'),
            created_at=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
            note=models.TextField(blank=True, verbose_name='note'),
            observed_on=models.DateField(default=django.utils.timezone.localdate, verbose_name='observed on'),
            quote=models.TextField(blank=True, help_text="Copied verbatim from the source's text.", verbose_name='quote'),
            source=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='commitments.source', verbose_name='source'),
            url=models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='URL'),
        ),
        *alter_fields(
            'meeting',
            held_on=models.DateField(verbose_name='held on'),
            key=models.SlugField(max_length=80, unique=True, verbose_name='key'),
            location=models.CharField(blank=True, max_length=200, verbose_name='location'),
            name=models.CharField(max_length=300, verbose_name='name'),
        ),
        *alter_fields(
            'progressobservation',
            commitment=commitment_field('observations'),
            created_at=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
            evidence=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='observations', to='commitments.evidence', verbose_name='evidence'),
            note=models.TextField(blank=True, verbose_name='note'),
            period_end=models.DateField(verbose_name='period end'),
            period_label=models.CharField(blank=True, max_length=100, verbose_name='period label'),
            period_start=models.DateField(verbose_name='period start'),
            unit=models.CharField(max_length=20, verbose_name='unit'),
            value=models.DecimalField(decimal_places=2, max_digits=20, verbose_name='value'),
        ),
        *alter_fields(
            'reminder',
            attempts=models.PositiveIntegerField(default=0, verbose_name='attempts'),
            claimed_at=models.DateTimeField(default=django.utils.timezone.now, verbose_name='claimed at'),
            commitments=models.ManyToManyField(related_name='reminders', to='commitments.commitment', verbose_name='commitments'),
            delivery_status=models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='delivery status'),
            last_error=models.TextField(blank=True, verbose_name='last error'),
            period=models.CharField(help_text='The reminder period, e.g. 2026-11-22.', max_length=32, verbose_name='period'),
            recipient=user_field('reminders', verbose_name='recipient'),
            sent_at=models.DateTimeField(blank=True, null=True, verbose_name='sent at'),
        ),
        *alter_fields(
            'reminderpreference',
            opted_out=models.BooleanField(default=False, verbose_name='opted out'),
            snoozed_until=models.DateField(blank=True, null=True, verbose_name='snoozed until'),
            updated_at=models.DateTimeField(auto_now=True, verbose_name='updated at'),
            user=user_field('reminder_preference', field_class=models.OneToOneField),
        ),
        *alter_fields(
            'review',
            commitment=commitment_field('reviews'),
            note=models.TextField(blank=True, verbose_name='note'),
            reviewed_at=models.DateTimeField(default=django.utils.timezone.now, verbose_name='reviewed at'),
            reviewed_by=actor_user_field('reviewed by'),
        ),
        *alter_fields(
            'source',
            created_at=models.DateTimeField(auto_now_add=True, verbose_name='created at'),
            published_on=models.DateField(verbose_name='published on'),
            publisher=models.CharField(blank=True, max_length=200, verbose_name='publisher'),
            seed_file=models.CharField(blank=True, help_text='The file in seeds/ this source was loaded from.', max_length=200, verbose_name='seed file'),
            text=models.TextField(verbose_name='text'),
            title=models.CharField(max_length=500, verbose_name='title'),
            url=models.URLField(blank=True, max_length=500, validators=[django.core.validators.URLValidator(schemes=['http', 'https'])], verbose_name='URL'),
        ),
        *alter_fields(
            'statuschange',
            changed_at=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='changed at'),
            changed_by=actor_user_field('changed by'),
            commitment=commitment_field('status_changes'),
            new_status=models.CharField(choices=STATUS_CHOICES, max_length=20, verbose_name='new status'),
            note=models.TextField(blank=True, verbose_name='note'),
            old_status=models.CharField(blank=True, choices=STATUS_CHOICES, help_text='Empty when the record began.', max_length=20, verbose_name='old status'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(('progress__in', ['on_track', 'needs_acceleration', 'off_track', 'not_enough_data'])), name='commitment_progress_valid'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(('instrument_type', ''), ('instrument_type__in', ['agreement', 'treaty', 'protocol', 'memorandum']), _connector='OR'), name='commitment_instrument_type_valid'),
        ),
        migrations.AddConstraint(model_name='evidence', constraint=one_actor_at_most('added_by', 'evidence_one_actor')),
        migrations.AddConstraint(model_name='review', constraint=one_actor_at_most('reviewed_by', 'review_one_actor')),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.UniqueConstraint(condition=models.Q(('content_hash', ''), _negated=True), fields=('content_hash',), name='source_content_hash_unique'),
        ),
        migrations.AddConstraint(model_name='statuschange', constraint=one_actor_at_most('changed_by', 'status_change_one_actor')),
        migrations.RunPython(hash_plaintext_tokens, migrations.RunPython.noop),
        migrations.RunPython(phases_of_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(copy_into_english, migrations.RunPython.noop),
        migrations.RunPython(keep_original_target_dates, migrations.RunPython.noop),
        migrations.RunPython(hash_existing_sources, migrations.RunPython.noop),
    ]
