"""A view's boundaries as a file with its content in its name, fetched once per browser.

Why: a plotly figure that carries its GeoJSON is sent whole on every rerun that changes it
(a month step on the national map resent ~1.1 MB of geometry). plotly's ``Choroplethmap``
also accepts the GeoJSON as a URL, which plotly.js fetches once per page and keeps; the URL
names the content (``81.<sha256 prefix>.json``), so the browser and nginx may keep the file for
a year (``immutable``): a rebuilt view with other coordinates gets another name.

Every replica computes the same name for the same build (the name is a digest of the view's
built text), so any replica can answer a request for it: :func:`asset` rebuilds nothing
it cannot check, and answers ``None`` for a name that is malformed, of an unknown view or of
another build (a stale page after a redeploy): the route then says 404 and the figure's next
rerun names the current file.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from cakupan.core.errors import CakupanError
from cakupan.geo import villages as village_geo
from cakupan.geo.cache import check_view
from cakupan.geo.loaders import view_geojson_text

#: Hex digits of the sha256 kept in the name: 64 bits, ample against accidental clashes
#: between the builds one deployment ever serves, and short in every figure's JSON.
DIGEST_CHARS = 16
#: ``<view>.<digest>.json``: the national view or a two-digit province code.
NAME = re.compile(rf"^(national|[0-9]{{2}})\.([0-9a-f]{{{DIGEST_CHARS}}})\.json$")
MEDIA_TYPE = "application/geo+json"
#: ``kel-PP.RR.<digest>.json`` (a regency's villages) or ``kec-PP.RR.<digest>.json`` (its
#: districts): built on demand per regency (:mod:`cakupan.geo.villages`).
VILLAGE_NAME = re.compile(
    rf"^(kel|kec)-([0-9]{{2}}\.[0-9]{{2}})\.([0-9a-f]{{{DIGEST_CHARS}}})\.json$")


@dataclass(frozen=True)
class Asset:
    """One view's boundary file: its name, its bytes (the view as built, names escaped), and
    their gzip, made once."""

    name: str
    raw: bytes
    gzipped: bytes

    @property
    def etag(self) -> str:
        return f'"{self.name}"'


@lru_cache(maxsize=64)
def _asset_of(view: str, text: str) -> Asset:
    # Keyed by the text itself: a rebuilt view (new text) gets a new entry, never a stale one.
    # Names are HTML-escaped here once: plotly reads hover text as (limited) HTML, and the
    # map's tooltip takes each region's name from this file (``%{properties.name}``).
    data = json.loads(text)
    for feature in data["features"]:
        props = feature.get("properties") or {}
        if "name" in props:
            props["name"] = html.escape(str(props["name"]))
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()[:DIGEST_CHARS]
    # mtime=0: the same bytes on every replica and every start (no timestamp in the header).
    return Asset(f"{view}.{digest}.json", raw, gzip.compress(raw, compresslevel=9, mtime=0))


def view_asset(view: str) -> Asset:
    """The current build's file for ``view`` (built on first need, as every loader).

    Raises :class:`cakupan.core.errors.GeoUnavailable` when the boundaries cannot be had.
    """
    view = check_view(view)
    return _asset_of(view, view_geojson_text(view))


def asset_name(view: str) -> str:
    """The file name a figure refers to for ``view``, e.g. ``81.3f2a9c0d5e6b7a18.json``."""
    return view_asset(view).name


def village_asset(layer: str, regency: str) -> Asset:
    """A regency's village (``layer="kel"``) or district (``"kec"``) boundaries as a file.

    Raises :class:`cakupan.core.errors.GeoUnavailable` when the regency's files cannot be had.
    """
    regency = village_geo.check_regency(regency)
    text = (village_geo.village_geojson_text(regency) if layer == "kel"
            else village_geo.district_geojson_text(regency))
    return _asset_of(f"{layer}-{regency}", text)


def _village_asset_named(name: str) -> Asset | None:
    match = VILLAGE_NAME.match(name or "")
    if not match:
        return None
    try:
        current = village_asset(match.group(1), match.group(2))
    except CakupanError:  # not a pinned regency, or (GeoUnavailable) no files to build from
        return None
    return current if current.name == name else None


def asset(name: str) -> Asset | None:
    """The file called ``name`` if it is the current build of its view, else ``None``.

    Never raises for a name from outside: a malformed name, an unknown view and a name of
    another build are all ``None``. Boundaries that cannot be had raise ``GeoUnavailable``.
    """
    match = NAME.match(name or "")
    if not match:
        return _village_asset_named(name)
    try:
        view = check_view(match.group(1))
    except CakupanError:  # two digits that are not a province
        return None
    current = view_asset(view)
    return current if current.name == name else None
