"""Errors that carry a message meant for a person, not a programmer.

The command line and the app catch :class:`CakupanError` and show its message on one line;
anything else is a bug and is logged, never shown to a user as a traceback. ``kind`` names the
class of problem for machines: ``python -m cakupan ... --json`` prints
``{"error": message, "kind": kind}``.
"""


class CakupanError(Exception):
    """Bad input or a refused operation; ``str(err)`` is the one-line message for the user."""

    kind: str = "error"


class GeoUnavailable(CakupanError):
    """Boundary files could neither be downloaded nor read from the mirror."""

    kind = "geo_unavailable"


class StoreUnavailable(CakupanError):
    """The data store cannot be used right now: not reachable (or refusing the login), not
    answering in time, the connection lost mid-way, or a statement past its timeout.

    ``str(err)`` is one English line for the operator (where the store is, what to check),
    never the driver's text; the app shows its own translated notice (i18n
    ``msg.store_unavailable``) and retries. ``reason`` says which case it is:
    ``unreachable``, ``timeout`` (no answer within the connect timeout), ``lost`` (the
    connection broke), ``statement_timeout``, ``disk`` (SQLite: a full or failing disk).
    Whatever transaction was open is rolled back by the database, so nothing is half-written.
    """

    kind = "store_unavailable"

    def __init__(self, message: str, reason: str = "unreachable") -> None:
        super().__init__(message)
        self.reason = reason
