"""The record's models, one module per subject; this package's face re-exports them.

The features' own models (reminders, events, ingestion) live in their folders and are registered
by their apps (`commitments.reminders`, `commitments.events`, `commitments.ingestion`), keeping
the app label `commitments`: nothing here imports them.
"""

from .builders import (
    RecordedActorMixin,
    SourceLanguageColumns,
    actor_user_field,
    commitment_field,
    http_url_validator,
    iso_alpha2_validator,
    normalized_text,
    one_actor_at_most,
    optional_source_field,
    party_country_field,
    public_uid_field,
    source_content_hash,
    system_actor_field,
)
from .commitment import (
    EVIDENCE_LABEL_CHARS,
    Commitment,
    CommitmentQuerySet,
    Evidence,
    ProgressObservation,
)
from .history import Review, StatusChange, TargetDateChange
from .parties import InstrumentParty, PartyPosition
from .people import CountryMembership, StaffProfile
from .reference import Category, Country, InstrumentType, Meeting, Source
from .tokens import ApiToken, ApiTokenManager, ApiTokenQuerySet

__all__ = [
    "EVIDENCE_LABEL_CHARS",
    "ApiToken",
    "ApiTokenManager",
    "ApiTokenQuerySet",
    "Category",
    "Commitment",
    "CommitmentQuerySet",
    "Country",
    "CountryMembership",
    "Evidence",
    "InstrumentParty",
    "InstrumentType",
    "Meeting",
    "PartyPosition",
    "ProgressObservation",
    "RecordedActorMixin",
    "Review",
    "Source",
    "SourceLanguageColumns",
    "StaffProfile",
    "StatusChange",
    "TargetDateChange",
    "actor_user_field",
    "commitment_field",
    "http_url_validator",
    "iso_alpha2_validator",
    "normalized_text",
    "one_actor_at_most",
    "optional_source_field",
    "party_country_field",
    "public_uid_field",
    "source_content_hash",
    "system_actor_field",
]
