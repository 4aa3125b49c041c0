"""The region reference: 38 provinces and 514 regencies/cities with Kemendagri codes.

Read once from ``data/regions.csv`` (made by ``scripts/build_regions.py``; provenance in
``data/regions.meta.json``) and cached for the life of the process, because every page, import
and query looks regions up and the file never changes while the app runs.

Codes are Kemendagri's: ``"74"`` for a province, ``"74.05"`` for a regency or city.

Examples
--------
>>> name_of("74.05"), name_of("74.05", short=True), province_of("74.05")
('Kabupaten Konawe Selatan', 'Konawe Selatan', '74')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from cakupan.core.datafile import read_checked_csv
from cakupan.core.errors import CakupanError
from cakupan.core.settings import DATA_DIR

REGIONS_CSV: Path = DATA_DIR / "regions.csv"

#: Column -> dtype; the loader refuses a file that lacks any of them.
COLUMNS: dict[str, str] = {
    "code": "str", "level": "str", "kind": "str", "name": "str", "short_name": "str",
    "province_code": "str", "desa": "int64", "kelurahan": "int64", "villages": "int64",
}
LEVELS = ("province", "regency")
KINDS = ("provinsi", "kabupaten", "kota")


@dataclass(frozen=True)
class Region:
    """One row of the reference (see ``data/regions.meta.json`` for what each column means)."""

    code: str
    level: str  # "province" | "regency"
    kind: str  # "provinsi" | "kabupaten" | "kota"
    name: str  # official: "Kabupaten Konawe Selatan", "Kota Kendari", "Sulawesi Tenggara"
    short_name: str  # "Konawe Selatan", "Kendari"; a province's equals its name
    province_code: str  # a province's own code for a province
    desa: int
    kelurahan: int
    villages: int  # desa + kelurahan; for a province the sum over its regencies

    @property
    def is_province(self) -> bool:
        return self.level == "province"


def read_regions(path: Path = REGIONS_CSV) -> pd.DataFrame:
    """Read and check a regions file (uncached; :func:`load_regions` is the cached entry point).

    Checks up front so that a damaged file fails here with a message naming what was expected,
    not later as a ``KeyError`` in a page.
    """
    frame = read_checked_csv(path, list(COLUMNS),
                             missing_hint="region reference (run scripts/build_regions.py)")
    try:
        frame = frame.astype(COLUMNS)
    except ValueError as err:
        msg = f"{path.name}: desa/kelurahan/villages must be integers ({err})"
        raise CakupanError(msg) from err
    bad_level = sorted(set(frame["level"]) - set(LEVELS))
    bad_kind = sorted(set(frame["kind"]) - set(KINDS))
    if bad_level or bad_kind:
        raise CakupanError(f"{path.name}: unexpected level {bad_level} or kind {bad_kind}; "
                           f"expected level in {LEVELS}, kind in {KINDS}")
    dupes = sorted(frame.loc[frame["code"].duplicated(), "code"])
    if dupes:
        raise CakupanError(f"{path.name}: duplicate codes {dupes[:5]}")
    return frame


@cache
def _frame() -> pd.DataFrame:
    return read_regions()


@cache
def _by_code() -> dict[str, Region]:
    return {row.code: Region(**row._asdict()) for row in _frame().itertuples(index=False)}


def load_regions() -> pd.DataFrame:
    """All 552 regions (provinces and regencies), sorted by code, default index.

    Returns a copy, so a caller that adds columns cannot change what the next caller sees.
    """
    return _frame().copy()


def provinces() -> pd.DataFrame:
    """The 38 provinces, sorted by code."""
    frame = _frame()
    return frame[frame["level"] == "province"].reset_index(drop=True)


def regencies(province_code: str | None = None) -> pd.DataFrame:
    """The 514 regencies/cities, or those of one province (``"74"``), sorted by code.

    Raises
    ------
    CakupanError
        If ``province_code`` is given but is not a province code.
    """
    frame = _frame()
    frame = frame[frame["level"] == "regency"]
    if province_code is not None:
        if not is_province_code(province_code):
            raise CakupanError(f"unknown province code {province_code!r}; expected one of "
                               f"{', '.join(provinces()['code'])}")
        frame = frame[frame["province_code"] == province_code]
    return frame.reset_index(drop=True)


def get(code: str) -> Region:
    """The region with this Kemendagri code.

    Raises
    ------
    CakupanError
        If the code is not in the reference; the message shows the expected form.
    """
    region = _by_code().get(code.strip()) if isinstance(code, str) else None
    if region is None:
        raise CakupanError(f"unknown region code {code!r}; expected a Kemendagri code such as "
                           "'74' (province) or '74.05' (regency/city)")
    return region


def is_valid_code(code: object) -> bool:
    """Whether ``code`` is a province or regency code in the reference (``"74"``, ``"74.05"``)."""
    return isinstance(code, str) and code in _by_code()


def is_province_code(code: object) -> bool:
    """Whether ``code`` is one of the 38 province codes."""
    return is_valid_code(code) and _by_code()[code].is_province  # type: ignore[index]


def name_of(code: str, short: bool = False) -> str:
    """Official name (``"Kabupaten Konawe Selatan"``) or, with ``short``, ``"Konawe Selatan"``."""
    region = get(code)
    return region.short_name if short else region.name


def province_of(code: str) -> str:
    """Province code of a region; a province is its own province."""
    return get(code).province_code


def villages_of(code: str) -> int:
    """Number of villages (desa + kelurahan) of a regency, or of all regencies of a province."""
    return get(code).villages
