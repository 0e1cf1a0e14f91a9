"""Who acts: a person (a user) or a named part of the system. Every write names one.

Services take an actor and never a bare `None`: a write with nobody behind it cannot skip the
permission checks by accident, and history records a system actor's name where no user is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class SystemActor(models.TextChoices):
    """Code that writes on its own, not on a request; its value is what history records."""

    SEED_LOADER = "seed_loader", _("seed loader")
    REMINDER_JOB = "reminder_job", _("reminder job")
    INGESTION = "ingestion", _("ingestion")
    DATA_GENERATOR = "data_generator", _("benchmark data generator")


SYSTEM_ACTOR_MAX_LENGTH = 40


@dataclass(frozen=True, slots=True)
class Actor:
    """Exactly one of `user` (a person, who may be refused) or `system` (a named job)."""

    user: AbstractBaseUser | AnonymousUser | None = None
    system: SystemActor | None = None

    def __post_init__(self) -> None:
        if (self.user is None) == (self.system is None):
            raise TypeError("An Actor is either a user or a SystemActor, not both or neither.")

    @classmethod
    def of(cls, who: ActorLike) -> Actor:
        """`who` as an Actor: an Actor, a SystemActor, or a user object. None is refused."""
        if isinstance(who, Actor):
            return who
        if isinstance(who, SystemActor):
            return cls(system=who)
        if who is None or isinstance(who, str):
            raise TypeError(
                f"Expected a user, a SystemActor or an Actor, got {who!r}: every write names "
                "who makes it."
            )
        return cls(user=who)

    @property
    def is_system(self) -> bool:
        return self.system is not None

    def history(self, user_field: str) -> dict[str, Any]:
        """The "who" columns of a history row: `<user_field>` and `<user_field>_system`."""
        return {user_field: self.user, f"{user_field}_system": self.system or ""}

    def __str__(self) -> str:
        if self.system is not None:
            return str(self.system.label)
        return self.user.get_username() if self.user is not None else ""


if TYPE_CHECKING:
    ActorLike = Actor | SystemActor | AbstractBaseUser | AnonymousUser
