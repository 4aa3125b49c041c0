"""Who may change what: actors, roles scoped by province, and the one check every write makes.

Cakupan is public and read-only by default. Identities come from outside (the sign-in provider,
or a shell on the server); the store keeps only who has which role. Every write path asks
:func:`require` *where the action happens* (the store's writer, the rollback, the user list),
so hiding a button is presentation, never security (STYLE.md 17).

Roles:

- ``viewer``: anyone, signed in or not; reads everything, changes nothing;
- ``editor``: scoped to one or more provinces; may import, publish, choose an upload over a
  published figure and roll back batches whose rows all lie in those provinces;
- ``admin``: everything, including user management.

The command line acts as the operator (an admin recorded as ``cli:<os user>``); the seed acts
as :data:`SYSTEM`.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from dataclasses import dataclass, field

from cakupan.core.errors import CakupanError

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
#: Actions that change data; each is recorded in the audit trail.
ACTIONS: tuple[str, ...] = ("import", "rollback", "prefer_upload", "alias", "users",
                            "boundaries", "mapping")
#: What an editor may do inside its provinces (user management stays with admins).
EDITOR_ACTIONS: frozenset[str] = frozenset({"import", "rollback", "prefer_upload", "alias",
                                            "mapping"})


class PermissionDenied(CakupanError):
    """The actor may not do this; the message says what and, for a scope, which provinces."""


@dataclass(frozen=True)
class Actor:
    """Someone acting on the store: ``id`` is what the audit trail records.

    ``id`` is ``"email:<address>"`` for a signed-in person, ``"cli:<os user>"`` for the
    operator, ``"system:seed"`` for the embedded dataset and ``"anonymous"`` otherwise.
    """

    id: str
    role: str = "viewer"
    provinces: frozenset[str] = field(default_factory=frozenset)
    email: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.id != ANONYMOUS_ID

    @property
    def can_edit(self) -> bool:
        """Whether any write is open to this actor (what the data-management page asks)."""
        return self.role == "admin" or (self.role == "editor" and bool(self.provinces))

    def out_of_scope(self, provinces: Iterable[str]) -> list[str]:
        """Province codes among ``provinces`` this actor may not change (empty for an admin)."""
        if self.role == "admin":
            return []
        return sorted({p for p in provinces if p not in self.provinces})

    def may(self, action: str, provinces: Iterable[str] = ()) -> bool:
        """Whether this actor may do ``action`` on rows of ``provinces``."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; expected one of {list(ACTIONS)}")
        if self.role == "admin":
            return True
        if self.role != "editor" or action not in EDITOR_ACTIONS or not self.provinces:
            return False
        return not self.out_of_scope(provinces)


ANONYMOUS_ID = "anonymous"
ANONYMOUS = Actor(ANONYMOUS_ID)
SYSTEM = Actor("system:seed", "admin")


def operator() -> Actor:
    """The person at the server's shell: an admin, recorded as ``cli:<os user>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        user = "unknown"
    return Actor(f"cli:{user}", "admin")


def person(email: str, role: str, provinces: Iterable[str] = ()) -> Actor:
    """A signed-in person with the role the store gives them."""
    if role not in ROLES:
        raise CakupanError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    address = email.strip().lower()
    return Actor(f"email:{address}", role, frozenset(provinces), address)


def require(actor: Actor | None, action: str, provinces: Iterable[str] = ()) -> Actor:
    """Return ``actor`` if it may do ``action`` on ``provinces``; else raise PermissionDenied.

    ``None`` counts as anonymous, so a caller that forgets to pass an actor is refused rather
    than let through.
    """
    who = actor or ANONYMOUS
    wanted = list(provinces)
    if who.may(action, wanted):
        return who
    if not who.signed_in:
        raise PermissionDenied("sign in with an editor or admin account to change data")
    outside = who.out_of_scope(wanted)
    if who.role == "editor" and who.provinces and outside and action in EDITOR_ACTIONS:
        raise PermissionDenied(
            f"{who.email or who.id} may change provinces {', '.join(sorted(who.provinces))} "
            f"only, not {', '.join(outside)}")
    raise PermissionDenied(f"{who.email or who.id} ({who.role}) may not {action.replace('_', ' ')}")
