import datetime as dt
from decimal import Decimal

import factory

from commitments.models import ProgressObservation
from tests.factories import EvidenceFactory


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
