"""A small record that holds everything a briefing reports: two councils, a commitment that moved
status, slipped, has figures, diverging accounts, an instrument's dates and a responsible officer,
and one that neither party of a KZ officer's scope owns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from commitments import services
from commitments.actors import SystemActor
from commitments.models import InstrumentType, ProgressObservation
from commitments.rules import Status
from tests.support.factories import (
    QUOTE,
    CountryFactory,
    MeetingFactory,
    SourceFactory,
    UserFactory,
    create_commitment,
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def record(db, media_root):
    system = SystemActor.SEED_LOADER
    kz, kg = CountryFactory(code="KZ"), CountryFactory(code="KG")
    CountryFactory(code="UZ")
    first = MeetingFactory(key="council-11", name="11th council", held_on=dt.date(2023, 9, 23))
    second = MeetingFactory(key="council-12", name="12th council", held_on=dt.date(2024, 12, 5))
    officer = UserFactory(username="aigerim", first_name="Aigerim", last_name="Nurlanova")
    trade = create_commitment(
        actor=system,
        title="Raise mutual trade to 2 billion USD",
        title_ru="Довести взаимный товарооборот до 2 млрд долларов США",
        title_kk="Өзара тауар айналымын 2 млрд АҚШ долларына жеткізу",
        owner_country=kz,
        partner_countries=[kg],
        meeting=first,
        target_amount=Decimal("2000000000"),
        target_unit="USD",
        target_date=dt.date(2030, 12, 31),
        instrument_type=InstrumentType.AGREEMENT,
        responsible_users=[officer],
    )
    services.commitment_change_status(
        commitment=trade, new_status=Status.AGREED, actor=system, note="Signed at the council."
    )
    trade.refresh_from_db()
    services.commitment_update(
        commitment=trade,
        actor=system,
        data={"target_date": dt.date(2031, 12, 31)},
        target_date_reason="Ratification took longer.",
    )
    source = SourceFactory(publisher="Kazinform", published_on=dt.date(2024, 12, 5))
    evidence = services.evidence_add(
        commitment=trade, actor=system, source=source, quote=QUOTE, observed_on=dt.date(2024, 12, 5)
    )
    for year, value in ((2022, "1300000000"), (2023, "1500000000")):
        services.observation_add(
            observation=ProgressObservation(
                commitment=trade,
                evidence=evidence,
                value=Decimal(value),
                unit="USD",
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                period_label=str(year),
                reported_by=kz,
            ),
            actor=system,
        )
    services.party_position_record(
        commitment=trade,
        actor=system,
        country="KZ",
        status=Status.IN_PROGRESS,
        reported_on=dt.date(2024, 12, 1),
    )
    services.party_position_record(
        commitment=trade,
        actor=system,
        country="KG",
        status=Status.AGREED,
        reported_on=dt.date(2024, 12, 2),
    )
    services.instrument_dates_record(
        commitment=trade,
        actor=system,
        country="KZ",
        signed_on=dt.date(2023, 9, 23),
        ratified_on=dt.date(2024, 3, 1),
    )
    services.instrument_dates_record(
        commitment=trade, actor=system, country="KG", signed_on=dt.date(2023, 9, 23)
    )
    water = create_commitment(
        actor=system, title="Exchange hydrological data", owner_country=kg, meeting=second
    )
    later = MeetingFactory(key="council-13", name="13th council", held_on=dt.date(2025, 9, 1))
    create_commitment(actor=system, title="Open a new crossing", owner_country=kz, meeting=later)
    done = create_commitment(
        actor=system, title="Finished long ago", owner_country=kz, meeting=first
    )
    for status in (Status.AGREED, Status.IN_PROGRESS, Status.COMPLETED):
        done.refresh_from_db()
        services.commitment_change_status(
            commitment=done, new_status=status, actor=system, note="Done."
        )
    trade.refresh_from_db()
    return {"trade": trade, "water": water, "done": done, "kz": kz, "kg": kg, "officer": officer}
