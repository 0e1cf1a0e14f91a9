"""Who may do what: one helper per action, the table admin, API and services all ask."""

import re

import pytest

from commitments import access, messages
from commitments.actors import Actor, SystemActor
from tests.support.factories import CommitmentFactory, CountryFactory, UserFactory

pytestmark = pytest.mark.django_db

ACTIONS = {
    "edit": lambda who, c: access.may_edit(who, c),
    "change status": lambda who, c: access.may_change_status(who, c),
    "add evidence": lambda who, c: access.may_add_evidence(who, c),
    "mark reviewed": lambda who, c: access.may_mark_reviewed(who, c),
    "change partners": lambda who, c: access.may_change_countries(who, c, "KZ"),
    "give to UZ": lambda who, c: access.may_change_countries(who, c, "UZ"),
    "create for KZ": lambda who, c: access.may_create(who, "KZ"),
    "delete": lambda who, c: access.may_delete(who, c),
}
INVOLVED = ("edit", "change status", "add evidence", "mark reviewed")

# The commitment is owned by KZ with KG as its partner. None means allowed.
EXPECTED = {
    "kz staff": {
        **dict.fromkeys(INVOLVED),
        "change partners": None,
        "give to UZ": messages.OWNER_MUST_STAY_YOURS,
        "create for KZ": None,
        "delete": messages.DELETE_SUPERUSERS_ONLY,
    },
    "kg staff": {
        **dict.fromkeys(INVOLVED),
        "change partners": messages.OWNER_STAFF_ONLY,
        "give to UZ": messages.OWNER_STAFF_ONLY,
        "create for KZ": messages.CREATE_OWN_COUNTRY_ONLY,
        "delete": messages.DELETE_SUPERUSERS_ONLY,
    },
    "uz staff": {
        **dict.fromkeys(INVOLVED, messages.NOT_INVOLVED),
        "change partners": messages.NOT_INVOLVED,
        "give to UZ": messages.NOT_INVOLVED,
        "create for KZ": messages.CREATE_OWN_COUNTRY_ONLY,
        "delete": messages.DELETE_SUPERUSERS_ONLY,
    },
    "no country": {
        **dict.fromkeys(ACTIONS, messages.NO_COUNTRY),
        "delete": messages.DELETE_SUPERUSERS_ONLY,
    },
    "inactive kz staff": {
        **dict.fromkeys(ACTIONS, messages.INACTIVE),
        "delete": messages.DELETE_SUPERUSERS_ONLY,
    },
    "superuser": dict.fromkeys(ACTIONS),
    "seed loader": {**dict.fromkeys(ACTIONS), "delete": messages.DELETE_SUPERUSERS_ONLY},
}


def make_actor(name):
    if name == "seed loader":
        return SystemActor.SEED_LOADER
    if name == "superuser":
        return UserFactory(is_superuser=True)
    if name == "no country":
        return UserFactory()
    if name == "inactive kz staff":
        return UserFactory(countries=["KZ"], is_active=False)
    return UserFactory(countries=[name[:2].upper()])


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("actor", list(EXPECTED))
def test_each_action_has_one_rule(kz, kg, actor, action):
    CountryFactory(code="UZ")
    commitment = CommitmentFactory(owner_country=kz, partners=["KG"])

    verdict = ACTIONS[action](make_actor(actor), commitment)

    expected = EXPECTED[actor][action]
    assert bool(verdict) is (expected is None)
    assert verdict.refusal == expected
    if expected is not None:
        with pytest.raises(access.EditNotAllowed, match=re.escape(str(expected))):
            verdict.require()


def test_nobody_is_not_an_actor(kz):
    commitment = CommitmentFactory(owner_country=kz)
    for helper in (access.may_edit, access.may_change_status, access.may_delete):
        with pytest.raises(TypeError):
            helper(None, commitment)
    with pytest.raises(TypeError):
        Actor(user=None, system=None)


def test_bulk_actions_scope_is_the_edit_rule_as_one_query(kz, kg):
    CountryFactory(code="UZ")
    owned = CommitmentFactory(owner_country=kz)
    partnered = CommitmentFactory(owner_country=kg, partners=["KZ"])
    CommitmentFactory(owner_country=kg, partners=["UZ"])
    officer = UserFactory(countries=["KZ"])

    assert set(access.editable_commitments(officer)) == {owned, partnered}
    assert access.editable_commitments(SystemActor.INGESTION).count() == 3
    assert not access.editable_commitments(UserFactory()).exists()
