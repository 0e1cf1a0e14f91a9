"""A commitment two countries share, and what its countries are now: for the scope tests of
the API and the admin, which check the same rules (`access`) from their two edges."""

from __future__ import annotations

from commitments.models import Commitment
from tests.support.factories import CommitmentFactory, CountryFactory


def shared_commitment(owner: str, partner: str) -> Commitment:
    """Owned by `owner` with `partner` as its partner; UZ exists and is not involved."""
    CountryFactory(code="UZ")
    return CommitmentFactory(
        owner_country=CountryFactory(code=owner), partners=[partner], title="Shared"
    )


def countries_of(commitment: Commitment) -> tuple[str, list[str], int]:
    """(owner code, sorted partner codes, version) as the database has them now."""
    commitment.refresh_from_db()
    partners = sorted(commitment.partner_countries.values_list("code", flat=True))
    return commitment.owner_country_id, partners, commitment.version
