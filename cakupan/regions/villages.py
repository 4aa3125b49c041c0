"""The village reference: 83,762 desa and kelurahan with Kemendagri codes, kind and district.

Read once from ``data/villages.csv.gz`` (made by ``scripts/build_villages.py`` from the same
package and version as the regency reference; provenance in ``data/villages.meta.json``) and
cached for the life of the process. It is kept apart from ``reference`` because only the
village view, the importer's village rows and the store's code check need it: the other pages
never pay the ~0.2 s it takes to read.

Codes: ``"81.03.01.2002"`` for a village (``PP.RR.KK.DDDD``), ``"81.03.01"`` for its district
(kecamatan), ``"81.03"`` for its regency. ``kind`` is ``"desa"`` or ``"kelurahan"``; Inpres
4/2022's Dana Desa applies to desa only.

Examples
--------
>>> village("81.03.01.2002").name, village("81.03.01.2002").district_name
('Wowonda', 'Tanimbar Selatan')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from cakupan.core.datafile import read_checked_csv
from cakupan.core.errors import CakupanError
from cakupan.core.settings import DATA_DIR

VILLAGES_CSV: Path = DATA_DIR / "villages.csv.gz"
VILLAGE_COLUMNS = ("code", "kind", "name", "district_code", "district_name", "regency_code")
VILLAGE_KINDS = ("desa", "kelurahan")


@dataclass(frozen=True)
class Village:
    """One row of the village reference."""

    code: str  # PP.RR.KK.DDDD
    kind: str  # "desa" | "kelurahan"
    name: str  # official, e.g. "Negeri Lama", "Wowonda"
    district_code: str  # PP.RR.KK
    district_name: str  # "Tanimbar Selatan"
    regency_code: str  # PP.RR

    @property
    def is_desa(self) -> bool:
        return self.kind == "desa"


def read_villages(path: Path = VILLAGES_CSV) -> pd.DataFrame:
    """Read and check a village file (uncached; :func:`load_villages` is the cached entry)."""
    frame = read_checked_csv(path, VILLAGE_COLUMNS,
                             missing_hint="village reference (run scripts/build_villages.py)")
    bad_kind = sorted(set(frame["kind"]) - set(VILLAGE_KINDS))
    if bad_kind:
        raise CakupanError(f"{path.name}: unexpected kind {bad_kind}; expected {VILLAGE_KINDS}")
    dupes = sorted(frame.loc[frame["code"].duplicated(), "code"])
    if dupes:
        raise CakupanError(f"{path.name}: duplicate codes {dupes[:5]}")
    wrong = frame[(frame["code"].str.len() != 13)
                  | (frame["code"].str[:8] != frame["district_code"])
                  | (frame["code"].str[:5] != frame["regency_code"])]
    if len(wrong):
        raise CakupanError(f"{path.name}: codes not of the form PP.RR.KK.DDDD within their "
                           f"district and regency: {list(wrong['code'][:5])}")
    return frame


@cache
def _frame() -> pd.DataFrame:
    return read_villages()


@cache
def _by_code() -> dict[str, Village]:
    return {row[0]: Village(*row) for row in _frame().itertuples(index=False, name=None)}


@cache
def _districts() -> dict[str, str]:
    frame = _frame()
    return dict(zip(frame["district_code"], frame["district_name"], strict=False))


def load_villages() -> pd.DataFrame:
    """All villages, sorted by code (a copy: callers may add columns)."""
    return _frame().copy()


def villages_of(regency_code: str, district_code: str | None = None) -> pd.DataFrame:
    """The villages of one regency (``"81.03"``), or of one of its districts, sorted by code.

    Raises
    ------
    CakupanError
        If the regency has no villages in the reference, or the district is not in it.
    """
    frame = _frame()
    found = frame[frame["regency_code"] == regency_code]
    if found.empty:
        raise CakupanError(f"no villages for {regency_code!r}; expected a regency code PP.RR "
                           "such as '81.03'")
    if district_code is not None:
        if district_code not in _districts() or district_code[:5] != regency_code:
            raise CakupanError(f"unknown district {district_code!r} in {regency_code}; expected "
                               f"PP.RR.KK such as '{regency_code}.01'")
        found = found[found["district_code"] == district_code]
    return found.reset_index(drop=True)


def districts_of(regency_code: str) -> pd.DataFrame:
    """``code, name`` of the districts (kecamatan) of a regency, sorted by code."""
    frame = villages_of(regency_code)[["district_code", "district_name"]].drop_duplicates()
    return frame.rename(columns={"district_code": "code", "district_name": "name"}
                        ).reset_index(drop=True)


def village(code: str) -> Village:
    """The village with this code; a CakupanError naming the expected form otherwise."""
    found = _by_code().get(code.strip()) if isinstance(code, str) else None
    if found is None:
        raise CakupanError(f"unknown village code {code!r}; expected a Kemendagri code "
                           "PP.RR.KK.DDDD such as '81.03.01.2002'")
    return found


def is_village_code(code: object) -> bool:
    """Whether ``code`` is a village code in the reference."""
    return isinstance(code, str) and code in _by_code()


def is_district_code(code: object) -> bool:
    """Whether ``code`` is a district (kecamatan) code that holds villages in the reference."""
    return isinstance(code, str) and code in _districts()


def district_name(code: str) -> str:
    """Name of a district (``"81.03.01"`` -> ``"Tanimbar Selatan"``)."""
    if not is_district_code(code):
        raise CakupanError(f"unknown district code {code!r}; expected PP.RR.KK")
    return _districts()[code]
