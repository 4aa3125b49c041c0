"""The illustrative monthly panel: plausible demo figures that pass through every published one.

The articles publish a few dozen figures; a dashboard needs a value for every month, region and
segment to be useful before a branch loads its own spreadsheet. This module makes that panel,
deterministically (every random-looking number comes from a hash of the region code, segment and
a salt; no global RNG), and flags every row ``illustrative``. Assumptions (denominators, start
dates, growth shapes) are listed in ``data/illustrative_assumptions.md``.

How it works
------------
1. *Leaves*: one series per (regency, segment) for all 514 regencies and the six real segments,
   plus one "pemprov" non-ASN series per province (the provincial government as an employer).
   Everything else is a sum of leaves: a regency's ``all``, a province's segment (regencies +
   pemprov) and a province's ``all``. So province totals agree with their regencies by
   construction, as :mod:`cakupan.analysis.metrics` aggregates them.
2. *Denominators* (eligible) from village counts and regency kind, with a +-15% jitter.
3. *Baseline* registered = eligible x coverage, coverage = L / (1 + exp(-k (t - m))) from a
   start month s on (0 before: a local government registers its staff in a first batch).
4. *Anchors*: every published figure for a key the panel has (count, eligible or reported %) is
   turned into exact integer "knots" at its month; a count published with its percentage but
   no denominator (Maluku 191,618 = 39.45%) gets the denominator they imply. A figure on a
   sum (a province, a segment ``all``) is shared out over the leaves not already fixed, in
   proportion to their current values, never above their eligible. Published zeros move the
   start month after the zero. A percentage on a sum that its fixed parts already exceed
   makes room: the free leaves' denominators are lifted at that month (``_make_room``) and
   the panel is solved again.
5. *Paths*: each leaf's baseline is multiplied by a ratio interpolated linearly between its knots
   (constant outside), so the path equals the knot at each knot month and keeps the baseline's
   shape in between.

Only the three demo provinces (Maluku 81, Sulawesi Tenggara 74, NTT 53) get regency rows; all 38
provinces get province rows.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cakupan.core.errors import CakupanError
from cakupan.core.months import month_index, period_range
from cakupan.core.policy import inpres4_quota

log = logging.getLogger(__name__)

SOURCE_ID = "cakupan-illustrative"
DEMO_PROVINCES: tuple[str, ...] = ("53", "74", "81")
LEAF_SEGMENTS: tuple[str, ...] = ("non_asn", "aparatur_desa", "pekerja_rentan", "pu", "bpu",
                                  "jakon")
#: Segments whose size comes from the workforce, not a government's staff list: they absorb
#: corrections to published totals first (see ``_share_tiered``). Not pekerja rentan: under
#: Inpres 4/2022 a village government registers its 100 en bloc from Dana Desa, like its
#: apparatus; as a soft segment, Maluku's fall to 39.45% (Dec 2024) had taken every one of
#: its regencies' pekerja rentan to 0 from 2023 on, shown on the deck as "0 protected".
SOFT_SEGMENTS: tuple[str, ...] = ("pu", "bpu", "jakon")
PANEL_COLUMNS: list[str] = [
    "period", "region_code", "scope", "segment", "programme", "registered", "eligible",
    "coverage_pct", "illustrative", "source_id", "batch_id", "note",
]
REGION_COLUMNS = ("code", "level", "kind", "province_code", "desa", "villages")

# --- denominators (see data/illustrative_assumptions.md) -----------------------------------
#: Aparatur desa per desa: the KKT article (Antara 2024) counts seven per registered village.
APARATUR_PER_DESA = 7
#: Non-ASN staff of a regency government: base + per village, by kind.
NON_ASN_BASE = {"kabupaten": 1_000, "kota": 2_000}
NON_ASN_PER_VILLAGE = {"kabupaten": 10, "kota": 15}
#: Non-ASN staff of a provincial government (Maluku Dec 2017: 1,356 + 3,500 = 4,856 in ~49 UPT).
PEMPROV_NON_ASN = 4_800
#: Working population: base + per village, by kind; shares of it in each segment.
WORKFORCE_BASE = {"kabupaten": 10_000, "kota": 20_000}
WORKFORCE_PER_VILLAGE = {"kabupaten": 450, "kota": 1_800}
FORMAL_SHARE = {"kabupaten": 0.30, "kota": 0.55}
JAKON_SHARE = 0.03
#: Yearly growth of the workforce-based denominators (pu, bpu, jakon); sizes refer to 2024-06.
WORKFORCE_GROWTH = 0.015
SIZE_REFERENCE = "2024-06"
SIZE_JITTER = 0.15
#: A published count above the modelled denominator lifts it so the count is 95% of it.
FILL_WHEN_LIFTED = 0.95

# --- growth (month ranges are [from, to] start months; see the assumptions file) ------------
#: Segment -> (start from, start to, months from start to midpoint lo/hi, k lo/hi, L lo/hi).
#: Start None = registered before the panel begins.
GROWTH: dict[str, tuple] = {
    "non_asn": ("2015-01", "2020-01", (3, 24), (0.12, 0.30), (0.80, 0.98)),
    "aparatur_desa": ("2019-01", "2022-01", (2, 12), (0.15, 0.40), (0.85, 1.00)),
    "pekerja_rentan": ("2022-10", "2023-12", (6, 24), (0.10, 0.25), (0.05, 0.30)),
    "pu": (None, None, (-36, 36), (0.02, 0.05), (0.40, 0.75)),
    "bpu": (None, None, (60, 120), (0.02, 0.05), (0.30, 0.60)),
    "jakon": (None, None, (-12, 48), (0.03, 0.08), (0.40, 0.80)),
}
#: Start-month windows that override GROWTH for a region prefix and segment (documented facts
#: or assumptions drawn from the articles).
START_RULES: list[tuple[str, str, str, str]] = [
    # Maluku Dec 2017: cooperation done in 8 regencies; MBD, MTB (now Kepulauan Tanimbar) and
    # Maluku Tenggara not yet -> their non-ASN start in 2018 or later.
    ("81.02", "non_asn", "2018-01", "2019-06"),
    ("81.03", "non_asn", "2018-01", "2019-06"),
    ("81.08", "non_asn", "2018-01", "2019-06"),
    ("81", "non_asn", "2015-01", "2017-10"),
    # NTT Aug 2019: "many local governments not yet serious" -> later starts.
    ("53", "non_asn", "2018-06", "2021-06"),
    # Sultra Oct 2018: aparatur desa still being approached.
    ("74", "aparatur_desa", "2018-11", "2021-06"),
    # Maluku Mar 2023: Inpres 4/2022 started only in Kota Ambon.
    ("81.71", "pekerja_rentan", "2023-01", "2023-02"),
    ("81", "pekerja_rentan", "2023-04", "2024-06"),
]
#: A first batch is at least this share of the eventual level (g(s) >= MIN_FIRST_BATCH).
MIN_FIRST_BATCH = 0.05


@dataclass
class _Leaves:
    """The leaf series: parallel arrays plus index maps for the sums built on them."""

    code: np.ndarray
    scope: np.ndarray
    segment: np.ndarray
    province: np.ndarray
    kind: np.ndarray
    index: dict[tuple[str, str, str], int] = field(default_factory=dict)
    groups: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.code)


# --------------------------------------------------------------------------- helpers

def _unit(keys: np.ndarray, salt: str) -> np.ndarray:
    """Deterministic uniforms in [0, 1), one per key: a hash, so no RNG state is involved."""
    out = np.empty(len(keys))
    for i, key in enumerate(keys):
        digest = hashlib.blake2b(f"{salt}|{key}".encode(), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "big") / 2.0**64
    return out


def _between(u: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return lo + (hi - lo) * u


def _check_regions(regions: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REGION_COLUMNS if c not in regions.columns]
    if missing:
        raise CakupanError(f"regions frame lacks columns {missing}; "
                           f"expected {list(REGION_COLUMNS)}")
    return regions.astype({"code": str, "province_code": str, "desa": int, "villages": int})


def _leaves(regions: pd.DataFrame) -> _Leaves:
    regencies = regions[regions["level"] == "regency"]
    provinces = regions.loc[regions["level"] == "province", "code"].tolist()
    n_seg = len(LEAF_SEGMENTS)
    code = np.concatenate([np.repeat(regencies["code"].to_numpy(dtype=object), n_seg),
                           np.array(provinces, dtype=object)])
    segment = np.concatenate([np.tile(np.array(LEAF_SEGMENTS, dtype=object), len(regencies)),
                              np.full(len(provinces), "non_asn", dtype=object)])
    scope = np.concatenate([np.full(len(regencies) * n_seg, "region", dtype=object),
                            np.full(len(provinces), "pemprov", dtype=object)])
    province = np.array([c[:2] for c in code], dtype=object)
    kind = np.concatenate([np.repeat(regencies["kind"].to_numpy(dtype=object), n_seg),
                           np.full(len(provinces), "provinsi", dtype=object)])
    leaves = _Leaves(code, scope, segment, province, kind)
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, (c, sc, seg, prov) in enumerate(zip(code, scope, segment, province, strict=True)):
        leaves.index[(c, sc, seg)] = i
        groups[(c, sc, seg)].append(i)
        groups[(c, sc, "all")].append(i)
        groups[(prov, "region", seg)].append(i)
        groups[(prov, "region", "all")].append(i)
    leaves.groups = {k: np.array(v) for k, v in groups.items()}
    return leaves


def _level(key: tuple[str, str, str], leaves: _Leaves) -> int:
    """Order in which anchors are applied: leaves, regency/pemprov sums, province segment, all."""
    code, scope, segment = key
    if key in leaves.index:
        return 0
    if scope == "pemprov" or len(code) > 2:
        return 1
    return 2 if segment != "all" else 3


def _sizes(regions: pd.DataFrame, leaves: _Leaves, months: list[str]) -> np.ndarray:
    """Baseline eligible per leaf and month (float), before published anchors."""
    info = regions.set_index("code")
    desa = info["desa"].reindex(leaves.code).to_numpy(dtype=float)
    villages = info["villages"].reindex(leaves.code).to_numpy(dtype=float)
    is_kota = leaves.kind == "kota"
    workforce = np.where(is_kota, WORKFORCE_BASE["kota"], WORKFORCE_BASE["kabupaten"]) + villages \
        * np.where(is_kota, WORKFORCE_PER_VILLAGE["kota"], WORKFORCE_PER_VILLAGE["kabupaten"])
    formal = np.where(is_kota, FORMAL_SHARE["kota"], FORMAL_SHARE["kabupaten"])
    non_asn = np.where(is_kota, NON_ASN_BASE["kota"], NON_ASN_BASE["kabupaten"]) + villages \
        * np.where(is_kota, NON_ASN_PER_VILLAGE["kota"], NON_ASN_PER_VILLAGE["kabupaten"])
    seg = leaves.segment
    size = np.select(
        [seg == "aparatur_desa", seg == "pekerja_rentan", seg == "pu", seg == "bpu",
         seg == "jakon", leaves.scope == "pemprov"],
        [desa * APARATUR_PER_DESA, villages * inpres4_quota(1), workforce * formal,
         workforce * (1 - formal), workforce * JAKON_SHARE, np.full(len(seg), PEMPROV_NON_ASN)],
        default=non_asn,
    )
    keys = np.array([f"{c}|{s}|{g}" for c, s, g in zip(leaves.code, leaves.scope, seg,
                                                        strict=True)])
    jitter = 1 + SIZE_JITTER * (2 * _unit(keys, "size") - 1)
    # Village-based counts are rules (x7, x100), not estimates: no jitter there.
    jitter = np.where(np.isin(seg, ["aparatur_desa", "pekerja_rentan"]), 1.0, jitter)
    base = size * jitter
    years = (np.arange(len(months)) + month_index(months[0]) - month_index(SIZE_REFERENCE)) / 12
    grows = np.isin(seg, ["pu", "bpu", "jakon"]) & (leaves.scope == "region")
    growth = np.where(grows[:, None], (1 + WORKFORCE_GROWTH) ** years[None, :], 1.0)
    return base[:, None] * growth


# --------------------------------------------------------------------------- anchors

@dataclass(frozen=True)
class _Anchor:
    t: int
    key: tuple[str, str, str]
    level: int
    registered: int | None
    eligible: int | None
    pct: float | None


def _anchors(published: pd.DataFrame, months: list[str], leaves: _Leaves) -> list[_Anchor]:
    """Published figures on keys the panel has, one per (month, code, scope, segment).

    Only programme ``"any"`` figures count: the panel is not split by programme, and a figure
    for one programme says little about people in any programme (NTT 2019: nobody in JHT or
    JP, yet its non-ASN were in JKK and JKM).
    """
    if published is None or published.empty:
        return []
    pub = published.copy()
    for column, default in (("scope", "region"), ("programme", "any"), ("illustrative", False),
                            ("coverage_pct", np.nan), ("eligible", np.nan)):
        if column not in pub.columns:
            pub[column] = default
    keep = (~pub["illustrative"].astype(bool).to_numpy() & pub["period"].isin(months).to_numpy()
            & (pub["programme"] == "any").to_numpy())
    key = ["period", "region_code", "scope", "segment"]
    merged = pub[keep].groupby(key, as_index=False).agg(
        registered=("registered", "max"), eligible=("eligible", "max"),
        coverage_pct=("coverage_pct", "max"))
    start = month_index(months[0])
    anchors = []
    for row in merged.itertuples(index=False):
        scope, segment = str(row.scope), str(row.segment)
        if scope == "pemprov":  # the pemprov leaf is its non-ASN staff; its "all" is the same
            if segment not in ("non_asn", "all"):
                log.warning("illustrative panel: no pemprov %s series for %s", segment,
                            row.region_code)
                continue
            segment = "non_asn"
        anchor_key = (str(row.region_code), scope, segment)
        if anchor_key not in leaves.groups:
            log.warning("illustrative panel: published key %s not in the panel", anchor_key)
            continue
        registered = None if pd.isna(row.registered) else int(row.registered)
        eligible = None if pd.isna(row.eligible) else int(row.eligible)
        pct = None if pd.isna(row.coverage_pct) else float(row.coverage_pct)
        if eligible is None and registered and pct:
            # A count and its percentage without the denominator (Maluku, 31 Dec 2024:
            # 191,618 = 39.45%): the denominator they imply, so the panel meets both.
            eligible = round(registered * 100 / pct)
        anchors.append(_Anchor(
            t=month_index(row.period) - start, key=anchor_key, level=_level(anchor_key, leaves),
            registered=registered, eligible=eligible, pct=pct))
    return anchors


def _share_out(values: np.ndarray, total: int, cap: np.ndarray | None) -> np.ndarray:
    """Integers summing to ``total``, moved from ``values`` in logistic proportion, within [0, cap].

    The difference to ``total`` is shared in proportion to v x (1 - v / cap), the capacity to
    grow or shrink of a logistic curve: a regency at 95% or at 0% barely moves, the large
    half-covered segments absorb most of it. Without caps (denominators) it is shared in
    proportion to v. Leaves that would pass a bound are held there and the rest re-shared
    (water filling); largest remainders make the sum exact.
    """
    n = len(values)
    upper = np.full(n, np.inf) if cap is None else cap.astype(float)
    # A path interpolated between knots can sit above this month's cap (its denominator fell
    # since): start from the cap, or the leaf is held above it and clipped later, short.
    v = np.clip(values.astype(float), 0, upper)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if np.isfinite(upper).all() and total > upper.sum():
        log.warning("illustrative panel: %s exceeds the eligible total %s", total, upper.sum())
        return upper.astype(np.int64)
    if total <= 0:
        return np.zeros(n, dtype=np.int64)
    delta = total - v.sum()
    finite = np.isfinite(upper) & (upper > 0)
    weight = np.where(finite, v * (1 - v / np.where(finite, upper, 1.0)), v)
    weight = np.clip(weight, 0, None)
    if weight.sum() <= 0:  # all at a bound: share by the room in the needed direction
        weight = np.where(np.isfinite(upper), upper - v, 1.0) if delta > 0 else v.copy()
    x = v.copy()
    free = weight > 0
    for _ in range(n + 1):
        rest = total - x[~free].sum() - v[free].sum()
        if not free.any():
            break
        x[free] = v[free] + weight[free] * rest / weight[free].sum()
        low, high = free & (x < 0), free & (x > upper)
        if not (low.any() or high.any()):
            break
        x[low], x[high] = 0.0, upper[high]
        free &= ~(low | high)
    rest = total - x.sum()
    if rest > 0.5:  # the weighted leaves are full: the rest goes where there is room
        room = np.where(np.isfinite(upper), upper - x, 1.0)
        if room.sum() > 0:
            x = x + room * rest / room.sum()
    floor = np.floor(x + 1e-9)
    short = round(total - floor.sum())
    while short > 0:  # largest remainders, only where a leaf has room for one more
        fits = floor + 1 <= upper
        if not fits.any():
            break
        remainder = np.where(fits, x - floor, -np.inf)
        pick = np.argsort(-remainder, kind="stable")[:min(short, int(fits.sum()))]
        floor[pick] += 1
        short -= len(pick)
        x = floor.copy()
    return floor.astype(np.int64)


def _solve(anchors: list[_Anchor], current: np.ndarray, cap: np.ndarray | None,
           leaves: _Leaves, target_of, pinned: dict[int, int] | None = None,
           short: list | None = None) -> dict[int, int]:
    """Knots (leaf -> integer value) at one month that satisfy that month's anchors.

    Anchors apply from the leaves up; each locks every leaf of its group so a coarser anchor
    (Maluku ``all`` 40%) is shared out only over leaves not fixed by a finer one (Kepulauan
    Tanimbar's figures). ``pinned`` leaves are fixed before any anchor (a denominator lifted
    to hold a published count: Belu's 3,784 non-ASN in March 2024, a month whose regency
    total also fixes Belu's denominator). A percentage on a sum that its finer parts already
    exceed (Maluku's non-ASN 30% in September 2022, beside 89% and 90% in two cities) is
    reported in ``short`` so the caller can make room in the denominators.
    """
    value = np.round(current).astype(np.int64)
    locked = np.zeros(len(leaves), dtype=bool)
    for i, v in (pinned or {}).items():
        value[i], locked[i] = v, True
    for anchor in sorted(anchors, key=lambda a: a.level):
        target = target_of(anchor)
        if target is None:
            continue
        idx = leaves.groups[anchor.key]
        fixed, free = idx[locked[idx]], idx[~locked[idx]]
        need = target - int(value[fixed].sum())
        if len(free) == 0:
            if need != 0:
                log.warning("illustrative panel: %s at month %s cannot be met (all fixed)",
                            anchor.key, anchor.t)
            continue
        if need < 0:
            if short is not None and anchor.pct is not None and anchor.registered is None:
                short.append((anchor, free, int(value[fixed].sum())))
            else:
                log.warning("illustrative panel: %s at month %s is below its fixed parts",
                            anchor.key, anchor.t)
            need = 0
        _share_tiered(value, free, need, cap, leaves)
        locked[idx] = True
    return {int(i): int(value[i]) for i in np.flatnonzero(locked)}


def _share_tiered(value: np.ndarray, free: np.ndarray, need: int, cap: np.ndarray | None,
                  leaves: _Leaves) -> None:
    """Share ``need`` over ``free`` leaves in place: workforce segments first, then employers.

    Government employers (non-ASN, aparatur desa, pemprov; village governments for their
    pekerja rentan) register their people en bloc and their figures are the better known,
    so a correction to a total ("Maluku 40%") is absorbed by the workforce-based segments as
    far as their bounds allow.
    """
    if cap is not None:  # a path between knots may sit above this month's denominator
        value[free] = np.minimum(value[free], np.floor(cap[free])).astype(value.dtype)
    soft = np.isin(leaves.segment[free], SOFT_SEGMENTS) & (leaves.scope[free] == "region")
    tiers = [t for t in (free[soft], free[~soft]) if len(t)]
    for k, tier in enumerate(tiers):
        others = sum(int(value[t].sum()) for t in tiers[k + 1:])
        target = need - others
        if k < len(tiers) - 1:
            high = np.inf if cap is None else float(cap[tier].sum())
            target = int(min(max(target, 0), high))
        value[tier] = _share_out(value[tier], target, None if cap is None else cap[tier])
        need -= int(value[tier].sum())


def _apply_knots(base: np.ndarray, knots: dict[int, dict[int, int]]) -> np.ndarray:
    """Baseline times a ratio interpolated between knots, so each knot is hit exactly."""
    out = base.copy()
    steps = np.arange(base.shape[1])
    for i, by_month in knots.items():
        ts = np.array(sorted(by_month))
        vs = np.array([by_month[t] for t in ts], dtype=float)
        b = base[i, ts]
        if ((b <= 0) & (vs > 0)).any():
            # No baseline to scale (a figure before the modelled start): interpolate values.
            ramp = np.clip(1 - (ts[0] - steps) / 12, 0, 1) * vs[0]
            out[i] = np.where(steps < ts[0], ramp, np.interp(steps, ts, vs))
            continue
        ok = b > 0
        if ok.any():
            out[i] = base[i] * np.interp(steps, ts[ok], vs[ok] / b[ok])
    return out


# --------------------------------------------------------------------------- growth

def _starts(leaves: _Leaves, anchors: list[_Anchor], months: list[str]) -> np.ndarray:
    """Start month (relative to the panel's first month) of each leaf's registrations."""
    first = month_index(months[0])
    keys = np.array([f"{c}|{s}|{g}" for c, s, g in zip(leaves.code, leaves.scope, leaves.segment,
                                                        strict=True)])
    u = _unit(keys, "start")
    lo = np.full(len(leaves), -10_000.0)
    hi = np.full(len(leaves), -10_000.0)
    for segment, (s_from, s_to, *_rest) in GROWTH.items():
        if s_from is None:
            continue
        mask = leaves.segment == segment
        lo[mask], hi[mask] = month_index(s_from) - first, month_index(s_to) - first
    matched = np.zeros(len(leaves), dtype=bool)
    for prefix, segment, s_from, s_to in START_RULES:  # most specific rule first
        mask = ~matched & (leaves.segment == segment) & (leaves.scope == "region") \
            & np.array([c == prefix or c.startswith(prefix + ".") for c in leaves.code])
        lo[mask], hi[mask] = month_index(s_from) - first, month_index(s_to) - first
        matched |= mask
    start = np.floor(_between(u, lo, hi + 1))
    # Published zeros push the start after them; published counts pull it to or before them.
    after_zero = np.full(len(leaves), -np.inf)
    before_count = np.full(len(leaves), np.inf)
    for anchor in anchors:
        idx = leaves.groups[anchor.key]
        if anchor.registered == 0 or anchor.pct == 0:
            after_zero[idx] = np.maximum(after_zero[idx], anchor.t + 1)
        elif anchor.level == 0 and (anchor.registered or anchor.pct):
            before_count[idx] = np.minimum(before_count[idx], anchor.t)
    delay = np.floor(_unit(keys, "delay") * 12)
    start = np.where(start < after_zero, after_zero + delay, start)
    pulled = start > before_count
    start[pulled] = np.maximum(before_count[pulled] - 1 - delay[pulled], after_zero[pulled])
    return start


def _baseline(leaves: _Leaves, eligible: np.ndarray, anchors: list[_Anchor],
              months: list[str]) -> np.ndarray:
    """Registered before anchoring: eligible x L / (1 + exp(-k (t - m))) from the start month."""
    keys = np.array([f"{c}|{s}|{g}" for c, s, g in zip(leaves.code, leaves.scope, leaves.segment,
                                                        strict=True)])
    start = _starts(leaves, anchors, months)
    offset, k, level = (np.empty(len(leaves)) for _ in range(3))
    for segment, (_f, _t, (o_lo, o_hi), (k_lo, k_hi), (l_lo, l_hi)) in GROWTH.items():
        mask = leaves.segment == segment
        offset[mask] = _between(_unit(keys[mask], "mid"), o_lo, o_hi)
        k[mask] = _between(_unit(keys[mask], "k"), k_lo, k_hi)
        level[mask] = _between(_unit(keys[mask], "level"), l_lo, l_hi)
    pemprov = leaves.scope == "pemprov"
    level[pemprov] = _between(_unit(keys[pemprov], "level"), 0.85, 0.99)
    before_panel = start < -1_000
    mid = np.where(before_panel, offset, start + offset)
    # A first batch is never a handful of people: cap the distance from start to midpoint.
    max_gap = np.log(1 / MIN_FIRST_BATCH - 1) / k
    mid = np.where(before_panel, mid, np.minimum(mid, start + max_gap))

    # Fit the midpoint (and level if needed) to each leaf's first published count, so the
    # anchoring ratio stays near 1 and the path keeps a natural shape.
    first_count: dict[int, _Anchor] = {}
    for anchor in sorted(anchors, key=lambda a: a.t):
        if anchor.level == 0 and anchor.registered:
            first_count.setdefault(int(leaves.groups[anchor.key][0]), anchor)
    for i, anchor in first_count.items():
        share = anchor.registered / max(eligible[i, anchor.t], 1.0)
        level[i] = max(level[i], min(1.0, share / 0.85))
        g = min(max(share / level[i], 1e-3), 0.995)
        mid[i] = anchor.t - math.log(g / (1 - g)) / k[i]

    steps = np.arange(len(months))[None, :]
    curve = level[:, None] / (1 + np.exp(-k[:, None] * (steps - mid[:, None])))
    return np.where(steps >= start[:, None], curve, 0.0) * eligible


# --------------------------------------------------------------------------- the panel

def _anchored(base: np.ndarray, anchors: list[_Anchor], leaves: _Leaves, cap_of, target_of,
              extra=None, short: list | None = None) -> np.ndarray:
    """Apply anchors month by month (oldest first), re-deriving paths after each month."""
    knots: dict[int, dict[int, int]] = defaultdict(dict)
    path = base
    by_month: dict[int, list[_Anchor]] = defaultdict(list)
    for anchor in anchors:
        by_month[anchor.t].append(anchor)
    months = sorted(set(by_month) | (set(extra) if extra else set()))
    for t in months:
        current = path[:, t]
        pinned = {i: max(v, round(current[i])) for i, v in (extra or {}).get(t, {}).items()}
        solved = _solve(by_month.get(t, []), current, cap_of(t), leaves,
                        lambda a, t=t: target_of(a, t), pinned, short)
        for i, v in solved.items():
            knots[i][t] = v
        path = _apply_knots(base, knots)
    return path


#: Rounds of "make room" (see :func:`_make_room`) before a short anchor is given up.
ROOM_ROUNDS = 4


def _eligible(base_e: np.ndarray, anchors: list[_Anchor], with_eligible: list[_Anchor],
              leaves: _Leaves, lift: dict[int, dict[int, int]]) -> np.ndarray:
    """Anchored denominators, lifted where a published count would not fit in its leaf."""
    eligible = base_e
    for _ in range(4):
        added = False
        for a in anchors:
            if a.level == 0 and a.registered and a.eligible is None:
                i = int(leaves.groups[a.key][0])
                if a.registered > eligible[i, a.t] and i not in lift[a.t]:
                    lift[a.t][i] = math.ceil(a.registered / FILL_WHEN_LIFTED)
                    added = True
        if eligible is not base_e and not added:
            break
        eligible = np.round(_anchored(base_e, with_eligible, leaves, lambda t: None,
                                      lambda a, t: a.eligible, lift))
    return eligible


def _make_room(anchor: _Anchor, free: np.ndarray, fixed: int, eligible: np.ndarray,
               leaves: _Leaves, lift: dict[int, dict[int, int]]) -> None:
    """Lift the free leaves' denominators so a sum's percentage fits over its fixed parts.

    With p the sum's share, E its denominator, F the free leaves' and q = p / 2 the share the
    free leaves are given: fixed + q (F + d) = p (E + d), so d = (fixed + q F - p E) / (p - q).
    The free leaves keep their proportions; the lift is pinned at that month only.
    """
    p = anchor.pct / 100
    q = p / 2
    idx = leaves.groups[anchor.key]
    total, room = eligible[idx, anchor.t].sum(), eligible[free, anchor.t].sum()
    if p <= 0 or room <= 0:
        return
    d = (fixed + q * room - p * total) / (p - q)
    if d <= 0:
        return
    scale = (room + d) / room
    for j in free.tolist():
        lift[anchor.t][j] = max(lift[anchor.t].get(j, 0),
                                math.ceil(eligible[j, anchor.t] * scale))


def illustrative_panel(regions: pd.DataFrame, published: pd.DataFrame, *,
                       start: str = "2017-01", end: str = "2024-12") -> pd.DataFrame:
    """Monthly illustrative observations, passing exactly through every published figure.

    Parameters
    ----------
    regions
        The regions reference (``cakupan.regions.load_regions()``): code, level, kind,
        province_code, desa, villages.
    published
        Published observations (shared schema). For each key the panel has: a count is hit
        exactly, an eligible is used as the denominator, a reported percentage is hit as
        registered = round(pct x eligible / 100).
    start, end
        First and last month, ``"YYYY-MM"``.

    Returns
    -------
    DataFrame
        ``PANEL_COLUMNS``; programme ``"any"``, ``illustrative`` True, ``source_id``
        ``"cakupan-illustrative"``, ``batch_id`` None (the store fills it), ``note`` "".
        Regency rows for the demo provinces (a segment whose eligible is 0 throughout, such as
        aparatur desa in a city without desa, is left out), pemprov rows for them, and province
        rows for all 38 provinces.
    """
    regions = _check_regions(regions)
    months = period_range(start, end)
    leaves = _leaves(regions)
    anchors = _anchors(published, months, leaves)

    # 1. Eligible: published denominators, then room for published counts above the model
    #    (checked again after anchoring: a province's published denominator scales its
    #    regencies' down, below a published count of one of them).
    # 2. Registered. A percentage on a sum below its fixed parts sends us back to 1 with
    #    larger denominators for the sum's free leaves (at half the sum's percentage).
    base_e = _sizes(regions, leaves, months)
    lift: dict[int, dict[int, int]] = defaultdict(dict)
    with_eligible = [a for a in anchors if a.eligible is not None]
    count_anchors = [a for a in anchors if a.registered is not None or a.pct is not None]
    for _round in range(ROOM_ROUNDS):
        eligible = _eligible(base_e, anchors, with_eligible, leaves, lift)

        def registered_target(a: _Anchor, t: int, eligible=eligible) -> int | None:
            if a.registered is not None:
                return a.registered
            if a.pct is not None:
                return round(a.pct * eligible[leaves.groups[a.key], t].sum() / 100)
            return None

        short: list = []
        base_r = _baseline(leaves, eligible, anchors, months)
        registered = _anchored(base_r, count_anchors, leaves,
                               lambda t, eligible=eligible: eligible[:, t], registered_target,
                               short=short)
        if not short:
            break
        for anchor, free, fixed in short:
            _make_room(anchor, free, fixed, eligible, leaves, lift)
    for anchor, _free, _fixed in short:
        log.warning("illustrative panel: %s at month %s is below its fixed parts",
                    anchor.key, anchor.t)
    registered = np.clip(np.round(registered), 0, eligible)

    return _frame(leaves, registered.astype(np.int64), eligible.astype(np.int64), months)


def _frame(leaves: _Leaves, registered: np.ndarray, eligible: np.ndarray,
           months: list[str]) -> pd.DataFrame:
    """Stack the emitted series (demo leaves, their sums, every province) into rows."""
    emitted: list[tuple[str, str, str, np.ndarray]] = []
    demo = np.isin(leaves.province, DEMO_PROVINCES)
    for i in np.flatnonzero(demo):
        if eligible[i].any():
            emitted.append((leaves.code[i], leaves.scope[i], leaves.segment[i], np.array([i])))
    for code in dict.fromkeys(leaves.code[demo]):
        scope = "pemprov" if len(code) == 2 else "region"
        emitted.append((code, scope, "all", leaves.groups[(code, scope, "all")]))
    provinces = sorted(set(leaves.province))
    for prov in provinces:
        for segment in (*LEAF_SEGMENTS, "all"):
            emitted.append((prov, "region", segment, leaves.groups[(prov, "region", segment)]))

    reg = np.stack([registered[idx].sum(axis=0) for *_k, idx in emitted])
    elig = np.stack([eligible[idx].sum(axis=0) for *_k, idx in emitted])
    n_series, n_months = reg.shape
    frame = pd.DataFrame({
        "period": np.tile(np.array(months, dtype=object), n_series),
        "region_code": np.repeat(np.array([e[0] for e in emitted], dtype=object), n_months),
        "scope": np.repeat(np.array([e[1] for e in emitted], dtype=object), n_months),
        "segment": np.repeat(np.array([e[2] for e in emitted], dtype=object), n_months),
        "programme": "any",
        "registered": pd.array(reg.ravel(), dtype="Int64"),
        "eligible": pd.array(elig.ravel(), dtype="Int64"),
        "coverage_pct": pd.array([None] * reg.size, dtype="Float64"),
        "illustrative": True,
        "source_id": SOURCE_ID,
        "batch_id": None,
        "note": "",
    })
    frame = frame.astype({"period": str, "region_code": str, "scope": str, "segment": str,
                          "programme": str, "source_id": str, "note": str, "batch_id": object})
    order = frame.sort_values(["region_code", "scope", "segment", "period"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)[PANEL_COLUMNS]
