"""The one-line refusals of a boundary file, by message key, in both languages."""

from __future__ import annotations

from typing import Any

from cakupan.core.errors import CakupanError
from cakupan.core.i18n import t


class BoundaryFileError(CakupanError):
    """A boundary file that cannot be used, with a catalogue key (``geofile.error.<key>``)
    and parameters. ``str()`` is the Indonesian sentence (the command line and logs, as
    :class:`cakupan.ingest.read.IngestError`); :meth:`message` gives either language. It
    pickles by key and parameters, so the reading child can hand it back whole."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("id"))

    def message(self, lang: str = "id") -> str:
        """The sentence for a person in ``lang`` (plain text: render it as text)."""
        return t(f"geofile.error.{self.key}", lang, **self.params)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.key, self.params))


def _rebuild(cls: type, key: str, params: dict) -> BoundaryFileError:
    return cls(key, **params)
