"""Errors that carry a message meant for a person, not a programmer.

The command line and the app catch :class:`CakupanError` and show its message on one line;
anything else is a bug and is logged, never shown to a user as a traceback.
"""


class CakupanError(Exception):
    """Bad input or a refused operation; ``str(err)`` is the one-line message for the user."""


class GeoUnavailable(CakupanError):
    """Boundary files could neither be downloaded nor read from the mirror."""
