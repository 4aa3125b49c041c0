"""Words of the briefing deck: the ``brief.*`` entries of the one catalogue (``cakupan.core.i18n``).

Unknown languages fall back to Indonesian, the app's default, rather than failing a meeting.
"""

from __future__ import annotations

from cakupan.core.i18n import DEFAULT_LANG, LANGS, t


def text(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The catalogue sentence ``brief.<key>`` in ``lang``, with ``values`` filled in."""
    return t(f"brief.{key}", lang if lang in LANGS else DEFAULT_LANG, **values)
