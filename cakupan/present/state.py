"""What the user is looking at, as a value, and its round trip through the URL.

Every selection lives in the query string so that a copied link reopens the same view
(CONTRACTS.md, "Stable links"). This module is the only place that knows the parameter
names, their defaults and how bad values are handled; pages hold a :class:`ViewState` and
call :meth:`ViewState.to_params` / :func:`from_params`.

Rules
-----
* A bad or stale value never raises: it falls back to the page's default and adds a notice
  key (``notice.invalid.<param>``, ``notice.stale.period``) for :func:`cakupan.core.i18n.t`. The
  notice does not repeat the bad value, so nothing typed into a URL is echoed on the page.
* Unknown parameter *names* are ignored without a notice: messaging apps append their own
  (``fbclid``, ``utm_source``), and the link should still open quietly.
* ``region`` absent means Indonesia (CONTRACTS). Only a query string with no state parameter
  at all (a first visit to ``/``) takes the page's default region, which lets the overview
  open on Maluku while ``/?segment=all`` still means Indonesia. :meth:`ViewState.to_params`
  always writes ``segment``, ``programme``, ``metric`` and ``lang``, so a link it makes never
  looks like a first visit.
* ``period`` absent means "the latest month"; a link meant to pin a month must carry it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

from cakupan.core import vocabulary

#: Query parameters of the shared view, in the order links write them (CONTRACTS.md).
STATE_PARAMS: tuple[str, ...] = ("region", "segment", "programme", "period", "metric", "lang")
#: Page parameters every page understands (CONTRACTS.md: ``?mode=briefing``, ``slide``).
COMMON_EXTRAS: tuple[str, ...] = ("mode", "slide")

#: The shared vocabulary, in the order the controls list it (the default first).
SEGMENTS: tuple[str, ...] = ("all", *(s for s in vocabulary.SEGMENTS if s != "all"))
PROGRAMMES: tuple[str, ...] = (vocabulary.ANY_PROGRAMME, *vocabulary.PROGRAMMES)
#: Map metrics: status, coverage %, the gap to a named target's path (with page parameter
#: ``target=<target id>``), the UCJ categories, and Kemnaker's 2023 active participants
#: (another measure than UCJ: counts on the 34 provinces of 2023), and share and size together
#: (coverage % as colour, workers still unprotected as circles).
METRICS: tuple[str, ...] = ("status", "coverage", "gap", "ucj_category", "kemnaker_active",
                            "share_size")
LANGS: tuple[str, ...] = ("id", "en")
MODES: tuple[str, ...] = ("briefing",)
#: More slides than any briefing has; a larger number is a typo, not a slide.
MAX_SLIDE = 50

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_REGENCY_NO_DOT = re.compile(r"^\d{4}$")

#: Validates one page-specific parameter: the canonical value, or ``None`` if invalid.
ExtraRule = Callable[[str], "str | None"]


@dataclass(frozen=True)
class ViewState:
    """One view of the dashboard.

    Attributes
    ----------
    region
        ``None`` for Indonesia, ``"PP"`` for a province, ``"PP.RR"`` for a regency or city.
    segment, programme
        Codes from the CONTRACTS vocabulary; ``"all"`` and ``"any"`` mean no filter.
    period
        ``"YYYY-MM"``, or ``None`` for the latest month with data.
    metric
        ``"status"`` (categorical map), ``"coverage"`` (per cent), ``"gap"`` (points to a
        target's path) or ``"ucj_category"`` (UCJ categories).
    lang
        ``"id"`` or ``"en"``.
    extras
        Page-specific parameters (``mode``, ``slide``, a page's own) as strings. Stored
        read-only; left out of the hash so the state can still key a cache.
    """

    region: str | None = None
    segment: str = "all"
    programme: str = "any"
    period: str | None = None
    metric: str = "status"
    lang: str = "id"
    extras: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        frozen = MappingProxyType({k: str(v) for k, v in sorted(dict(self.extras).items())})
        object.__setattr__(self, "extras", frozen)

    def replace(self, **changes: Any) -> ViewState:
        """A copy with some fields changed (``extras`` may be a plain dict)."""
        return replace(self, **changes)

    def with_extras(self, **extras: str | int | None) -> ViewState:
        """A copy with page parameters set (``None`` removes one)."""
        merged = dict(self.extras)
        for key, value in extras.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = str(value)
        return replace(self, extras=merged)

    def extra(self, name: str, default: str | None = None) -> str | None:
        """One page parameter, or ``default``."""
        return self.extras.get(name, default)

    @property
    def briefing(self) -> bool:
        """Whether the link asks for projector mode (``?mode=briefing``)."""
        return self.extras.get("mode") == "briefing"

    def to_params(self) -> dict[str, str]:
        """Query parameters that restore exactly this view.

        Defaults are written too (a link should not change meaning when a page's defaults
        change); only ``None`` values are left out. Page parameters follow, sorted.
        """
        params: dict[str, str] = {}
        for name in STATE_PARAMS:
            value = getattr(self, name)
            if value is not None:
                params[name] = str(value)
        for name, value in self.extras.items():
            if name not in params:
                params[name] = value
        return params

    def resolved_period(self, valid_periods: Iterable[str]) -> str | None:
        """The month shown: the chosen one, else the latest with data (``None`` if none)."""
        if self.period is not None:
            return self.period
        periods = sorted(valid_periods)
        return periods[-1] if periods else None


def _last(value: str | Iterable[str] | None) -> str | None:
    """One value per parameter. Streamlit keeps the last of repeated keys; so do we."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    items = [str(v) for v in value]
    return items[-1].strip() if items else None


def _region(value: str, valid: set[str]) -> str | None:
    if value in valid:
        return value
    # "7401" for "74.01": spreadsheets and hand-typed links drop the dot.
    if _REGENCY_NO_DOT.match(value) and f"{value[:2]}.{value[2:]}" in valid:
        return f"{value[:2]}.{value[2:]}"
    return None


def _slide(value: str) -> str | None:
    return value if value.isdigit() and 1 <= int(value) <= MAX_SLIDE else None


def _choice(options: Iterable[str]) -> ExtraRule:
    allowed = frozenset(options)
    return lambda value: value.lower() if value.lower() in allowed else None


#: Rules for the parameters every page accepts besides the state ones.
_COMMON_RULES: dict[str, ExtraRule] = {"mode": _choice(MODES), "slide": _slide}


def from_params(
    params: Mapping[str, str | list[str]],
    *,
    valid_regions: set[str],
    valid_periods: list[str],
    defaults: ViewState,
    extras: Mapping[str, ExtraRule] | None = None,
    segments: Iterable[str] = SEGMENTS,
) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters, falling back to ``defaults`` for bad values.

    Parameters
    ----------
    params
        ``st.query_params.to_dict()`` or any mapping; list values take the last item.
    valid_regions
        Codes that exist (provinces ``PP`` and regencies ``PP.RR``).
    valid_periods
        Months with data; a well-formed month outside it is *stale* (notice
        ``notice.stale.period``). An empty list accepts any well-formed month.
    defaults
        The page's defaults, including its default ``extras``.
    extras
        Page-specific parameters and their rules (value -> canonical value or ``None``);
        ``mode`` and ``slide`` are always understood.
    segments
        Segments this page offers (a page may offer fewer than the vocabulary).

    Returns
    -------
    (ViewState, list[str])
        The view and the catalogue keys of notices to show, one per parameter that fell
        back, in parameter order. Never raises for any input.
    """
    notices: list[str] = []
    raw = {name: _last(value) for name, value in params.items()}
    raw = {name: value for name, value in raw.items() if value is not None}
    rules = {**_COMMON_RULES, **(extras or {})}
    fresh = not any(raw.get(name) for name in (*STATE_PARAMS, *rules))

    def pick(name: str, check: Callable[[str], str | None], default: Any) -> Any:
        value = raw.get(name)
        if not value:
            return default
        canonical = check(value)
        if canonical is None:
            notices.append(f"notice.invalid.{name}")
            return default
        return canonical

    region_default = defaults.region if fresh else None
    region = pick("region", lambda v: _region(v, valid_regions), region_default)
    if "notice.invalid.region" in notices:
        region = defaults.region
    segment = pick("segment", _choice(segments), defaults.segment)
    programme = pick("programme", _choice(PROGRAMMES), defaults.programme)

    period = defaults.period
    value = raw.get("period")
    if value:
        if not _PERIOD.match(value):
            notices.append("notice.invalid.period")
        elif valid_periods and value not in valid_periods:
            notices.append("notice.stale.period")
        else:
            period = value
    metric = pick("metric", _choice(METRICS), defaults.metric)
    lang = pick("lang", _choice(LANGS), defaults.lang)

    extra_values = dict(defaults.extras)
    for name, rule in rules.items():
        value = raw.get(name)
        if not value:
            continue
        canonical = rule(value)
        if canonical is None:
            key = f"notice.invalid.{name}" if name in _COMMON_RULES else "notice.invalid.other"
            if key not in notices:
                notices.append(key)
        else:
            extra_values[name] = canonical

    state = ViewState(region=region, segment=segment, programme=programme, period=period,
                      metric=metric, lang=lang, extras=extra_values)
    return state, notices


def share_url(base: str, page_path: str, state: ViewState) -> str:
    """The link that reopens ``state`` on a page: ``share_url("https://x.id", "peta", s)``.

    ``page_path`` is a CONTRACTS page path with or without slashes (``""`` or ``"/"`` for
    the overview). Dots in region codes and commas in lists stay readable.
    """
    root = base.rstrip("/")
    path = page_path.strip("/")
    query = urlencode(state.to_params(), safe=".,")
    return f"{root}/{path}?{query}" if path else f"{root}/?{query}"


def widget_key(name: str) -> str:
    """The ``st.session_state`` key of the widget that edits parameter ``name``.

    One naming scheme for every page, so a page can seed its widgets from the URL and
    the URL from its widgets without the two drifting apart.
    """
    return f"cakupan.{name}"
