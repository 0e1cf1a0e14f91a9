"""Factories for test data; each builds valid rows through the models' own rules."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from commitments import services
from commitments.models import (
    Category,
    Commitment,
    Country,
    CountryMembership,
    Evidence,
    Meeting,
    ProgressObservation,
    Source,
    StatusChange,
)
from commitments.rules import Status

# A quote SourceFactory's text contains, as evidence must (`QUOTE_NOT_IN_SOURCE`).
QUOTE = "agreed to build a trade and logistics complex"


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "KZ"
    name = factory.LazyAttribute(
        lambda o: {"KZ": "Kazakhstan", "KG": "Kyrgyzstan", "UZ": "Uzbekistan"}.get(o.code, o.code)
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"officer{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        """`UserFactory(countries=["KZ"])` makes the user a member of those countries."""
        for code in extracted or ():
            CountryMembership.objects.create(user=self, country=CountryFactory(code=code))
        if create:
            self.save()


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    key = factory.Sequence(lambda n: f"meeting-{n}")
    name = factory.Sequence(lambda n: f"Intergovernmental Council session {n}")
    held_on = dt.date(2024, 12, 5)
    location = "Bishkek"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Council meets, article {n}")
    publisher = "Kazinform"
    published_on = dt.date(2024, 12, 5)
    text = f"The parties {QUOTE} on the border. Trade reached $1.3 billion in 2022."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"commitment-{n}")
    title = factory.Sequence(lambda n: f"Build border logistics complex {n}")
    description = "A trade and logistics complex on the Kazakh-Kyrgyz border."
    owner_country = factory.SubFactory(CountryFactory, code="KZ")
    category = Category.BORDER_TRANSPORT
    status = Status.ANNOUNCED
    last_reviewed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        """`CommitmentFactory(partners=["KG"])` sets partner countries by code."""
        if create and extracted:
            self.partner_countries.set([CountryFactory(code=code) for code in extracted])


_created = itertools.count()


def create_commitment(*, actor, **fields):
    """A commitment created as staff create one, through `services.commitment_create` (which also
    keeps its first target date, starts its status history and records its event). What the test
    does not name is made up as CommitmentFactory makes it up: a fresh slug and title, the border
    and transport category, Kazakhstan as owner."""
    n = next(_created)
    fields.setdefault("slug", f"created-{n}")
    if "title" not in fields and "title_en" not in fields:
        fields["title"] = f"Open border crossing {n}"
    fields.setdefault("category", Category.BORDER_TRANSPORT)
    if "owner_country" not in fields:
        fields["owner_country"] = CountryFactory(code="KZ")
    return services.commitment_create(actor=actor, **fields)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    commitment = factory.SubFactory(CommitmentFactory)
    source = factory.SubFactory(SourceFactory)
    quote = QUOTE
    observed_on = dt.date(2024, 12, 5)


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    commitment = factory.SubFactory(CommitmentFactory)
    old_status = ""
    new_status = Status.ANNOUNCED
    note = "Recorded."


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressObservation

    evidence = factory.SubFactory(EvidenceFactory)
    commitment = factory.SelfAttribute("evidence.commitment")
    value = Decimal("1300000000")
    unit = "USD"
    period_start = dt.date(2022, 1, 1)
    period_end = dt.date(2022, 12, 31)
    period_label = "2022"
