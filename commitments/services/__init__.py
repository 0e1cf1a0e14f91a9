"""Writes to commitments. Each service validates, saves and records history in one transaction.

Each also announces the change (`changes.announce`) in that transaction; the events' outbox writes
its event there, so the change feed and the webhooks see exactly the changes that committed.

Admin, API, management commands and Celery tasks call these; none of them save a Commitment,
Evidence or StatusChange on their own. Each names its `actor`: a user (checked by `access`, and
refused there when not allowed) or a SystemActor (recorded by name in history); never None.

One module per subject (a commitment itself, its deadlines, its evidence and figures, its
parties' own accounts); callers use this package: `services.commitment_update(...)`.
"""

from ..access import EditNotAllowed
from ..fields import EDITABLE_RELATIONS
from .base import VersionConflict, version_conflict
from .commitments import (
    COUNTRY_FIELDS,
    EDITABLE_FIELDS,
    commitment_change_status,
    commitment_create,
    commitment_delete,
    commitment_mark_reviewed,
    commitment_update,
    unique_slug,
)
from .evidence import evidence_add, observation_add, observations_correct
from .parties import instrument_dates_record, party_position_record

__all__ = [
    "COUNTRY_FIELDS",
    "EDITABLE_FIELDS",
    "EDITABLE_RELATIONS",
    "EditNotAllowed",
    "VersionConflict",
    "commitment_change_status",
    "commitment_create",
    "commitment_delete",
    "commitment_mark_reviewed",
    "commitment_update",
    "evidence_add",
    "instrument_dates_record",
    "observation_add",
    "observations_correct",
    "party_position_record",
    "unique_slug",
    "version_conflict",
]
