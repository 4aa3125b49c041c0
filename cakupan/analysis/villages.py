"""One regency village by village: who has registered, and what closing the rest costs.

Two segments are counted per village: ``aparatur_desa`` (village apparatus: people registered
of those eligible in each desa) and ``pekerja_rentan`` (Inpres 4/2022: 100 vulnerable workers
per desa paid from Dana Desa). :func:`village_table` puts, for every village of the reference
(desa and kelurahan, with a boundary or not), its latest figure of each segment up to a month,
from the store (imported village rows, ``region_code`` = ``PP.RR.KK.DDDD``) or else from the
illustrative file (``data/village_illustrative.csv.gz``, three provinces, marked so).

The Inpres 4/2022 gap of a desa is ``100 - registered`` (never below 0); kelurahan have no Dana
Desa and are left out of it (``rentan_gap`` is missing for them, not zero). Its yearly cost is
the gap x the BPU rate (Rp16,800 per person per month, ``premium_rates.csv``) x 12, so
Rp20,160,000 for a desa with no worker registered.

Status per village, of the chosen segment: ``registered`` (registered >= eligible, or > 0 with
no eligible count), ``partial`` (0 < registered < eligible: only where an eligible count per
village is known), ``unregistered`` (0 registered) and ``no_data`` (no figure).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from cakupan.analysis.metrics import annual_budget
from cakupan.core.datafile import read_checked_csv
from cakupan.core.errors import CakupanError
from cakupan.core.settings import DATA_DIR
from cakupan.regions import villages as village_ref

ILLUSTRATIVE_CSV: Path = DATA_DIR / "village_illustrative.csv.gz"
ILLUSTRATIVE_COLUMNS = ("code", "period", "segment", "registered", "eligible", "funding",
                        "basis")
ILLUSTRATIVE_SOURCE_ID = "cakupan-illustrative"
SEGMENTS = ("aparatur_desa", "pekerja_rentan")
#: Inpres 4/2022: pekerja rentan per desa to be protected from Dana Desa.
QUOTA_PER_DESA = 100
MONTHS_PER_YEAR = 12
FUNDING = ("dana_desa", "apbd", "csr")
PREFIX = {"aparatur_desa": "aparatur", "pekerja_rentan": "rentan"}


@cache
def _illustrative() -> pd.DataFrame:
    frame = read_checked_csv(ILLUSTRATIVE_CSV, ILLUSTRATIVE_COLUMNS,
                             missing_hint="illustrative village figures "
                                          "(run scripts/make_village_illustrative.py)")
    frame = frame.assign(registered=pd.to_numeric(frame["registered"]).astype(float),
                         eligible=pd.to_numeric(frame["eligible"]).astype(float))
    frame["regency_code"] = frame["code"].str[:5]
    return frame


def illustrative_rows(regency: str) -> pd.DataFrame:
    """The illustrative file's rows of one regency (empty outside 81, 74, 53)."""
    frame = _illustrative()
    return frame[frame["regency_code"] == regency].reset_index(drop=True)


def _funding_of(rows: pd.DataFrame) -> pd.Series:
    """A stored pekerja rentan row keeps its funding source as its ``note`` (one word of
    :data:`FUNDING`; anything else is a free note, not a funding source)."""
    if "note" not in rows.columns:
        return pd.Series("", index=rows.index)
    notes = rows["note"].fillna("").astype(str).str.strip().str.lower()
    return notes.where(notes.isin(FUNDING), "")


def _latest(rows: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Latest row per (code, segment) at or before ``period`` (all months without one)."""
    if rows.empty:
        return rows
    if period is not None:
        rows = rows[rows["period"].astype(str) <= period]
    return rows.sort_values("period").groupby(["code", "segment"], as_index=False).tail(1)


def _status(registered: float, eligible: float) -> str:
    if np.isnan(registered):
        return "no_data"
    if registered <= 0:
        return "unregistered"
    if not np.isnan(eligible) and registered < eligible:
        return "partial"
    return "registered"


def village_table(regency: str, period: str | None, store_rows: pd.DataFrame | None = None,
                  with_boundary: set[str] | frozenset[str] | None = None,
                  segment: str = "aparatur_desa",
                  rupiah_per_person_month: int = 16_800) -> pd.DataFrame:
    """Every village of ``regency`` with its latest figures up to ``period``.

    Parameters
    ----------
    store_rows
        Village rows from the store (columns ``region_code, period, segment, registered,
        eligible, illustrative, source_id, note``; ``note`` holds the funding of a pekerja
        rentan row). They win over the illustrative file, village by village and segment by
        segment.
    with_boundary
        Codes the boundary build drew; ``None`` when boundaries are unavailable.
    segment
        Which segment's status colours the village (``status``).

    Columns: ``code, name, kind, district_code, district_name, has_boundary``, per segment
    prefix (``aparatur_``, ``rentan_``) ``registered, eligible, period, illustrative,
    source``, ``rentan_funding``, ``rentan_gap`` and ``rentan_cost`` (desa only) and
    ``status``.
    """
    if segment not in SEGMENTS:
        raise CakupanError(f"segment {segment!r} is not counted per village; expected one of "
                           f"{list(SEGMENTS)}")
    ref = village_ref.villages_of(regency)
    codes = set(ref["code"])
    parts = []
    illus = illustrative_rows(regency)
    if not illus.empty:
        parts.append(pd.DataFrame({
            "code": illus["code"], "period": illus["period"], "segment": illus["segment"],
            "registered": illus["registered"], "eligible": illus["eligible"],
            "illustrative": True, "source": ILLUSTRATIVE_SOURCE_ID,
            "funding": illus["funding"], "rank": 0}))
    if store_rows is not None and not store_rows.empty:
        mine = store_rows[store_rows["region_code"].astype(str).isin(codes)
                          & store_rows["segment"].isin(SEGMENTS)]
        if not mine.empty:
            parts.append(pd.DataFrame({
                "code": mine["region_code"].astype(str), "period": mine["period"].astype(str),
                "segment": mine["segment"],
                "registered": pd.to_numeric(mine["registered"]).astype(float),
                "eligible": pd.to_numeric(mine["eligible"]).astype(float),
                "illustrative": mine["illustrative"].astype(bool),
                "source": mine["source_id"].astype(str),
                "funding": _funding_of(mine),
                "rank": 1}))
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["code", "period", "segment", "registered", "eligible", "illustrative",
                 "source", "funding", "rank"])
    if not rows.empty:
        # stored figures beat illustrative ones for the same village and segment
        has_store = rows[rows["rank"] == 1][["code", "segment"]].drop_duplicates()
        keyed = rows.merge(has_store.assign(stored=True), on=["code", "segment"], how="left")
        rows = keyed[(keyed["rank"] == 1) | keyed["stored"].isna()].drop(columns="stored")
    latest = _latest(rows, period)
    out = ref[["code", "name", "kind", "district_code", "district_name"]].copy()
    out["has_boundary"] = (out["code"].isin(with_boundary) if with_boundary is not None
                           else False)
    for seg, prefix in PREFIX.items():
        part = latest[latest["segment"] == seg].set_index("code") if not latest.empty else None
        for col in ("registered", "eligible", "period", "illustrative", "source"):
            out[f"{prefix}_{col}"] = (out["code"].map(part[col]) if part is not None
                                      else np.nan)
        if seg == "pekerja_rentan":
            out["rentan_funding"] = (out["code"].map(part["funding"]).fillna("")
                                     if part is not None else "")
    for col in ("aparatur_registered", "aparatur_eligible", "rentan_registered",
                "rentan_eligible"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    desa = out["kind"] == "desa"
    gap = (QUOTA_PER_DESA - out["rentan_registered"].fillna(0)).clip(lower=0)
    out["rentan_gap"] = gap.where(desa).astype("Int64")
    out["rentan_cost"] = [annual_budget(int(g), rupiah_per_person_month) if pd.notna(g)
                          else pd.NA for g in out["rentan_gap"]]
    out["rentan_cost"] = out["rentan_cost"].astype("Int64")
    prefix = PREFIX[segment]
    out["status"] = [_status(r, e) for r, e in zip(out[f"{prefix}_registered"],
                                                   out[f"{prefix}_eligible"], strict=True)]
    return out


def district_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts and Inpres 4/2022 gap per district, then a regency total row (code ``""``).

    Columns: ``district_code, district_name, villages, desa, with_boundary, registered,
    partial, unregistered, no_data, rentan_not_started, rentan_gap, rentan_cost``
    (``rentan_not_started``: desa with no pekerja rentan registered).
    """
    t = table.assign(
        desa=table["kind"] == "desa",
        not_started=(table["kind"] == "desa") & (table["rentan_registered"].fillna(0) <= 0),
        **{s: table["status"] == s for s in ("registered", "partial", "unregistered",
                                             "no_data")})
    grouped = t.groupby(["district_code", "district_name"], as_index=False).agg(
        villages=("code", "size"), desa=("desa", "sum"), with_boundary=("has_boundary", "sum"),
        registered=("registered", "sum"), partial=("partial", "sum"),
        unregistered=("unregistered", "sum"), no_data=("no_data", "sum"),
        rentan_not_started=("not_started", "sum"),
        rentan_gap=("rentan_gap", lambda s: int(s.fillna(0).sum())),
        rentan_cost=("rentan_cost", lambda s: int(s.fillna(0).sum())))
    total = grouped.drop(columns=["district_code", "district_name"]).sum()
    total_row = pd.DataFrame([{"district_code": "", "district_name": "", **total.to_dict()}])
    return pd.concat([grouped, total_row], ignore_index=True)


def regency_totals(table: pd.DataFrame) -> dict[str, int]:
    """The briefing's sentence in numbers: desa, desa with aparatur registered, desa where
    Inpres 4/2022 has not started, and the yearly cost of closing the gap."""
    desa = table[table["kind"] == "desa"]
    return {
        "villages": len(table), "desa": len(desa),
        "aparatur_registered_desa": int((desa["aparatur_registered"].fillna(0) > 0).sum()),
        "rentan_not_started_desa": int((desa["rentan_registered"].fillna(0) <= 0).sum()),
        "rentan_gap": int(desa["rentan_gap"].fillna(0).sum()),
        "rentan_cost": int(desa["rentan_cost"].fillna(0).sum()),
        "with_boundary": int(table["has_boundary"].sum()),
    }
