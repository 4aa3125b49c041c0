"""Every word the dashboard shows, in Bahasa Indonesia (default) and English.

The catalogue lives in ``cakupan/core/locales/{id,en}.json``, one flat file per language with
dotted keys sorted alphabetically, so a translator reads one file and a reviewer diffs two.
Tests keep the two files in step: the same keys, the same ``{placeholders}`` in each entry.

Lookups are strict on purpose. An unknown key or language raises instead of showing the raw
key to a governor: the AppTest run over every page in both languages catches the typo first.
Numbers are formatted before they reach :func:`t` (see :mod:`cakupan.present.fmt`), so a catalogue
entry never decides how a number looks.
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from typing import Literal

from babel import Locale

Lang = Literal["id", "en"]

#: Supported languages, default first.
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"
#: Babel locale of each language (also used by :mod:`cakupan.present.fmt`).
_LOCALES: dict[str, str] = {"id": "id_ID", "en": "en_US"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The whole message table of one language (read once per process).

    Raises
    ------
    ValueError
        For a language other than those in :data:`LANGS`.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {list(LANGS)}")
    path = resources.files("cakupan.core") / "locales" / f"{lang}.json"
    text = path.read_text(encoding="utf-8")
    return json.loads(text)


def normalise_lang(lang: object) -> Lang:
    """A supported language code for any input, falling back to Bahasa Indonesia.

    Meant for values from outside (a URL, a header); code that already holds a valid
    language passes it straight to :func:`t`.
    """
    value = str(lang or "").strip().lower()[:2]
    return value if value in LANGS else DEFAULT_LANG  # type: ignore[return-value]


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``kwargs``.

    Extra keyword arguments are ignored, so a caller may pass one dict of values to
    several messages.

    Raises
    ------
    KeyError
        For a key absent from the catalogue, or a placeholder without a value.
    ValueError
        For an unsupported language.

    Examples
    --------
    >>> t("status.unregistered"), t("status.unregistered", "en")
    ('Belum terdaftar', 'Not registered')
    >>> t("unit.people.other", "id", n="1.356")
    '1.356 orang'
    """
    table = catalogue(lang)
    try:
        template = table[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in the {lang!r} catalogue") from None
    return template.format_map(kwargs) if "{" in template else template


def has(key: str) -> bool:
    """Whether ``key`` exists (in the default catalogue; tests keep the others equal)."""
    return key in catalogue(DEFAULT_LANG)


def placeholders(template: str) -> frozenset[str]:
    """Names of the ``{placeholders}`` in one catalogue entry."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def status_label(status: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a status code: ``registered``, ``partial``, ``unregistered``, ``no_data``."""
    return t(f"status.{status}", lang)


def segment_label(segment: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a segment code from the CONTRACTS vocabulary (``non_asn``, ``all``...)."""
    return t(f"segment.{segment}", lang)


def programme_label(programme: str, lang: str = DEFAULT_LANG, *, long: bool = False) -> str:
    """Display name of a programme code.

    The acronyms (JKK, JKM, JHT, JP, JKP) are what people say in both languages, so the short
    form is the acronym and the long form adds the translated name: "JKK — Work accident
    insurance". ``any`` has no acronym and always reads "Semua program" / "Any programme".
    """
    if programme == "any":
        return t("programme.any", lang)
    name = t(f"programme.{programme}", lang)
    return f"{programme.upper()} — {name}" if long else programme.upper()


def babel_locale(lang: str) -> str:
    """The Babel locale name for a supported language ("id" -> "id_ID")."""
    if lang not in _LOCALES:
        raise ValueError(f"unknown language {lang!r}; expected one of {list(LANGS)}")
    return _LOCALES[lang]


@cache
def _babel(lang: str) -> Locale:
    return Locale.parse(babel_locale(lang))


def plural_key(stem: str, n: float, lang: str = DEFAULT_LANG) -> str:
    """``stem.one`` or ``stem.other`` per the language's plural rules (Indonesian: always
    ``other``; English: ``one`` only for exactly 1)."""
    key = f"{stem}.{_babel(lang).plural_form(abs(n))}"
    return key if key in catalogue(lang) else f"{stem}.other"
