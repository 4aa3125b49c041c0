"""Bring the published figures of ``../shared/research/`` into ``data/published/``.

The research folder holds ~430 figures from public sources (press, BPJS officials quoted in the
press, a transcription of Kemnaker's 2023 table, BPS Sakernas August 2023 as reported), each with
its URL, date and publisher, and the sentence behind it in ``NOTES.md`` section 5. This script
reads them, decides for every row which published file it belongs to, and rewrites the research
part of ``sources.csv``, ``observations.csv``, ``targets.csv`` and ``measures.csv`` (rows of the
five articles and the regulations are kept as they are), then the ``.meta.json`` files.

Where each figure goes (the readings are listed in ``data/README.md``):

- **observations** (coverage; the illustrative panel passes through each one in its period):
  an exact UCJ/BPJS coverage figure (a percentage, a covered count, its worker potential as
  ``eligible``) of one region and segment, at a month we can defend;
- **targets**: a stated target (a percentage or a count) with an id;
- **measures**: everything else: Kemnaker's and BPJS's active participants by membership type,
  BPS employed and labour force, a derived participants-per-100-employed ratio (``derived``),
  village counts, flags, award ranks, budgets, approximations ("sekitar"), ranges, undated
  figures, a second source for a coverage cell, national (``00``) figures and targets.

Every row gets a quote: the quoted fragment of its source's entry in ``NOTES.md`` section 5 that
holds the figure as printed ("191.618", "39,45"), else the entry's first fragment; BPS rows,
which NOTES does not quote, get the README sentence that describes their file. The data tests
check each quote against NOTES.md / README.md and each figure against the research files.

Usage::

    .venv/bin/python scripts/import_research.py            # research at ../shared/research
    .venv/bin/python scripts/import_research.py --research /path/to/research
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cakupan.store import seed  # noqa: E402

PUBLISHED = ROOT / "data" / "published"
DEFAULT_RESEARCH = ROOT.parent / "shared" / "research"
#: Research source ids start with this, so a re-run replaces exactly the rows it made.
PREFIX = "r-"
GITHUB_KEMNAKER = "github.com/alifinaaulia"
OLD_EXTENT = {"91": "91~pra2022", "92": "92~pra2022"}  # the 34-province Papua rows
ACCESSED = ""  # the research notes do not record when each page was read
LICENCE = ("figures and one quoted sentence per figure, for citation; the sentence as "
           "collected in ../shared/research/NOTES.md section 5; article (c) its publisher")

# --------------------------------------------------------------------------- NOTES section 5

#: Source URL (a distinctive part) -> the label of its entry in NOTES.md section 5.
NOTES_LABEL: dict[str, str] = {
    GITHUB_KEMNAKER: "Kemnaker 2023 table",
    "databoks.katadata": "Databoks:",
    "jakarta-jadi-provinsi": "GoodStats (Feb 2025)",
    "7-provinsi-dengan": "GoodStats (7 provinsi 2025)",
    "makassar.tribunnews.com/2021/12/13": "Tribun Timur 2021-12-13",
    "pemerintah-target-300-ribuan": "TribunAmbon 2025-07-01",
    "nusantaratv.com": "Nusantaratv 2022-11-16",
    "berita/176079": "ANTARA Ambon 176079",
    "berita/42896": "ANTARA Maluku 2018-01-25",
    "berita/35000": "ANTARA Maluku 2016-09-13",
    "berita/160026": "ANTARA Ambon 160026",
    "takberitai2": "Berita Maluku blog 2019",
    "halosultra.com/sultra-raya/25303": "Halosultra 2023-12-05",
    "zonasultra.id/pemda-wakatobi": "Zonasultra 2023-07-20 (Wakatobi)",
    "tegas.co": "tegas.co 2017",
    "radarkendari.id": "Radar Kendari 2022-06-08",
    "berita/155641": "ANTARA NTT 2025 (155641)",
    "kabarntt.co": "KabarNTT / Suara-NTT 2024-07-25",
    "suara-ntt.com/pemerintah-kabupaten": "KabarNTT / Suara-NTT 2024-07-25",
    "papilonnews": "Papilonnews 2025-07-21",
    "bali.tribunnews.com": "Tribun Bali 2023-08-30",
    "wartaekonomi": "Warta Ekonomi 2017",
    "bacapesan": "Bacapesan:",
    "radarhukum": "Radarhukum:",
    "harian.fajar": "Harian Fajar:",
    "voi.id": "VOI:",
    "referensia": "ReferensiA:",
    "trenstv45": "TransTV45:",
    "harianmalut": "Harian Malut:",
    "faktahukum": "Faktahukum:",
    "bisnis.com": "Bisnis Bali:",
    "ayonusa": "Ayonusa:",
    "idntimes": "IDN Times:",
    "empat-desa-di-sbt": "Beritabeta 2024-09-11 (SBT)",
    "194-desa-peroleh": "Beritabeta 2021-09-03 / Berita Kota Ambon (SBT)",
    "beritakotaambon": "Beritabeta 2021-09-03 / Berita Kota Ambon (SBT)",
    "siwalimanews.com/pemkab-anggarkan": "Siwalima (SBT)",
    "marrinnews": "Marrin News 2022-12-12 (Malra)",
    "suaradamai": "Suara Damai 2021-07-13 (Malra)",
    "dharapos": "Dharapos 2022-03-29 (Malra)",
    "malukunews": "Malukunews (Malra / Tual)",
    "puskominfo": "Puskominfo PPDI (Ambon)",
    "berita/112561": "ANTARA Ambon 112561 (Aru)",
    "balobe": "BalobeNews (MBD)",
    "ini-deretan-peraih": "TribunAmbon Paritrana",
    "18-ribu-pekerja": "Siwalima (Malteng)",
    "berita/313348": "ANTARA Sultra (Konut)",
    "zonasultra.com/bpjs-ketenagakerjaan-kendari": "Zonasultra 2018-02-20 (Bombana)",
    "faktasultra": "Faktasultra / Butonsatu (Buton)",
    "butonsatu": "Faktasultra / Butonsatu (Buton)",
    "kendaripos": "Kendari Pos 2024-10-31 (Buton)",
    "berita/462552": "ANTARA Sultra (Koltim)",
    "berita/438870": "ANTARA Sultra (Konsel)",
    "persadakita": "Persada Kita (Konawe)",
    "fakta1": "Fakta1 (Konawe)",
    "berita/510573": "ANTARA Sultra 510573 (Kota Kendari)",
    "kabarwakatobi": "Kabar Wakatobi 2025-07-21",
    "rubriksultra": "Rubriksultra (Buteng)",
    "sultranesia": "Sultranesia (Mubar)",
    "halosultra.com/sultra-raya/48555": "Halosultra (Paritrana Sultra)",
    "kendarinews": "Kendarinews 2025-09-28",
    "berita/755028": "ANTARA 755028 (2018)",
    "penamalaka": "Pena Malaka 2025-05-16",
    "timexkupang.fajar.co.id/2023/05/29": "Timex Kupang 2023 (Belu)",
    "kupang.tribunnews.com/2024/05/09": "Pos Kupang 2024-05-09 (Belu)",
    "nttonlinenow.com/new-2016/2025": "NTTOnlinenow 2025-09-20 (Belu)",
    "kupang.tribunnews.com/2025/07/08": "Pos Kupang 2025-07-08 (TTU)",
    "flores.tribunnews": "TribunFlores 2025-03-13 (Lembata)",
    "wahananews": "WahanaNews NTT (Sikka)",
    "timesntt": "TIMES NTT 2025-08-26 (SBD)",
    "sumbawa.times": "TIMES Sumbawa 2025-10-29 (SBD)",
    "selatanindonesia": "Selatan Indonesia (Sumba Timur)",
    "timexkupang.fajar.co.id/2022/08/30": "Timex Kupang 2022 (Cabang Sumba Timur)",
    "berita/71797": "ANTARA NTT (Manggarai raya)",
    "victorynews": "Victory News (Kab. Kupang)",
    "kupang.tribunnews.com/2018/11/09": "Pos Kupang 2018:",
    "berita/39561": "ANTARA 2020:",
    "suara-ntt.com/jumlah-kepesertaan": "Suara-NTT 2023:",
    "nttonlinenow.com/new-2016/2016": "NTTOnlinenow 2016:",
    "timexkupang.fajar.co.id/2022/04/12": "Timex Kupang 2022 (Rote Ndao)",
    "investigasi.news": "Investigasi.News (Ende)",
    "ekorantt": "Ekora NTT (Ende)",
    "timexkupang.fajar.co.id/2025/02/25": "Timex Kupang 2025-02-25 (Nagekeo)",
    "haluanntt": "Haluan NTT (Paritrana 2024-07-25)",
    "topnewsntt": "TopNewsNTT (Paritrana 2025-07-21)",
}

_FRAGMENT = re.compile(r'"([^"]+)"')


def notes_entries(notes: str) -> dict[str, list[str]]:
    """Label -> the quoted fragments of that entry in NOTES.md section 5."""
    section = notes.split("## 5. Exact wording", 1)[1].split("## 6.", 1)[0]
    out: dict[str, list[str]] = {}
    for line in section.splitlines():
        stripped = line.strip()
        if not stripped.startswith("- "):
            continue
        for label in set(NOTES_LABEL.values()):
            body = stripped[2:].replace("**", "")
            if body.startswith(label):
                out[label] = _FRAGMENT.findall(line)
    return out


def _label_of(url: str) -> str:
    for key, label in NOTES_LABEL.items():
        if key in url:
            return label
    raise SystemExit(f"no NOTES.md label for {url}")


def _printed(value: float) -> list[str]:
    """How an Indonesian text prints a figure: 191.618, 39,45, 1,327 juta, 156,03 ribu."""
    forms: list[str] = []
    if value == int(value):
        n = int(value)
        forms.append(f"{n:,}".replace(",", "."))
        for scale, word in ((1_000_000, "juta"), (1_000, "ribu")):
            if n >= scale and n % (scale // 100) == 0:
                text = f"{n / scale:.2f}".rstrip("0").rstrip(".").replace(".", ",")
                forms.append(f"{text} {word}")
        forms.append(str(n))  # "2645", "100": printed without a separator
        words = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
                 "sembilan", "sepuluh"]
        if n < len(words):
            forms.append(f"{words[n]} persen")
    else:
        forms.append(f"{value:g}".replace(".", ","))
    return forms


def quote_for(fragments: list[str], value: float | None, *, notes: str) -> str:
    """The fragment holding the figure as printed, else the entry's first fragment."""
    if value is not None:
        for form in _printed(value):
            pattern = re.compile(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)")
            for fragment in fragments:
                if pattern.search(fragment):
                    return fragment
    if not fragments:
        raise SystemExit("an entry without quoted text")
    assert fragments[0] in notes
    return fragments[0]


# --------------------------------------------------------------------------- sources

def _published_of(text: str) -> str:
    if re.search(r"undated|year not print|likely", text):
        return ""
    found = re.match(r"\s*(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4})", text)
    return found.group(1) if found else ""


def _slug(text: str, length: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:length].strip("-")


def _title_of(url: str, publisher: str) -> str:
    if GITHUB_KEMNAKER in url:
        return ("Data on Active BPJS Ketenagakerjaan Participants by Type of Membership in 2023 "
                "(transcription of satudata.kemnaker.go.id/data/kumpulan-data/1726)")
    parts = [p for p in urlparse(url).path.split("/") if p and not p.isdigit() and p != "amp"]
    words = max(parts, key=len, default="") if parts else ""
    words = re.sub(r"\.html?$", "", words)
    if len(words) < 12 or "-" not in words:
        return f"{publisher} (headline not in the research notes)"
    return words.replace("-", " ").capitalize() + " (headline as in the URL)"


def _kind_of(url: str) -> str:
    host = urlparse(url).netloc
    if GITHUB_KEMNAKER in url or host.endswith("bps.go.id") or "scribd" in url \
            or "flipbuilder" in url:
        return "reference"
    return "article"


@dataclass
class Source:
    id: str
    url: str
    publisher: str
    published: str
    dates: list[str]
    kind: str
    title: str
    fragments: list[str]
    notes: str = ""


def _https(url: str) -> str:
    """Research URLs as given; an address without a scheme, or http, is written https."""
    url = url.strip()
    if url.startswith("http://"):
        return "https://" + url[len("http://"):]
    return url if url.startswith("https://") else "https://" + url


# --------------------------------------------------------------------------- readings

NOTE_SOURCE_DATE = "Source date as recorded: {date}."


@dataclass
class Out:
    """What one research row became: one of the three files, with its columns."""

    file: str
    row: dict


def _num(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _period_month(text: str) -> str | None:
    found = re.match(r"(\d{4}-\d{2})", text)
    return found.group(1) if found else None


def _kemnaker_segment(metric: str) -> str:
    if metric == "active_participants_PU_incl_migrant":
        return "pu"
    if metric == "active_participants_excl_jakon":
        return "all"  # PU and BPU together, without jasa konstruksi (the measure says so)
    return {"PU": "pu", "BPU": "bpu", "jakon": "jakon", "total": "all"}.get(
        metric.rsplit("_", 1)[1], "all")


def read_research(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    return (read("published_provinces.csv"), read("published_regencies.csv"),
            read("more_facts.csv"), read("bps_employed_aug2023.csv"))


def _segment(text: str) -> str:
    text = text.strip()
    simple = {"non_asn": "non_asn", "aparatur_desa": "aparatur_desa",
              "pekerja_rentan": "pekerja_rentan", "PU": "pu", "BPU": "bpu",
              "jasa_konstruksi": "jakon", "all": "all", "": "all"}
    if text in simple:
        return simple[text]
    if text.startswith("pekerja_rentan ("):
        return "pekerja_rentan"
    return "mixed"


#: Observation (coverage) metrics: research metric -> the observation column it fills.
OBS_METRICS = {
    "participants_covered": "registered", "potential_participants": "eligible",
    "coverage_pct_of_potential": "coverage_pct", "ucj_coverage_pct": "coverage_pct",
    "ucj_covered_workers_non_asn_tni_polri": "registered", "ucj_covered_workers": "registered",
    "ucj_universe_workers": "eligible", "coverage_pct_formal_informal": "coverage_pct",
    "non_asn_coverage_pct": "coverage_pct", "coverage_pct": "coverage_pct",
    "active_participants": "registered", "labour_force_non_asn": "eligible",
    "labour_force_non_asn_tni_polri": "eligible", "perangkat_desa_registered_pct": "coverage_pct",
    "aparatur_desa_protected": "registered", "aparatur_desa_registered": "registered",
    "non_pns_participants": "registered", "perangkat_desa_and_saniri_registered": "registered",
    "pekerja_rentan_registered": "registered", "non_asn_registered": "registered",
    "pekerja_rentan_desa_registered": "registered", "non_asn_within_PU": "registered",
    "non_asn_protected": "registered", "perangkat_desa_protected": "registered",
    "informal_workers_protected": "registered", "pekerja_rentan_protected_APBD": "registered",
    "honorer_protected": "registered", "tenaga_kontrak_protected": "registered",
    "tkd_protected": "registered", "tkd_covered_so_far": "registered",
    "workers_in_companies_registered": "registered", "workers_in_companies_total": "eligible",
    "pekerja_rentan_allocated": "registered", "ucj_potential_target_workers": "eligible",
}

#: Research metric -> (measure, unit) for rows that are not coverage observations.
MEASURES = {
    "active_participants_PU": ("active_participants", "people"),
    "active_participants_BPU": ("active_participants", "people"),
    "active_participants_jakon": ("active_participants", "people"),
    "active_participants_total": ("active_participants", "people"),
    "active_participants_excl_jakon": ("active_participants_excl_jakon", "people"),
    "active_participants_PU_incl_migrant": ("active_participants_pu_incl_migrant", "people"),
    "registered_participants_BPU": ("registered_participants", "people"),
    "registered_companies": ("registered_companies", "companies"),
    "registered_workers_in_companies": ("registered_workers_in_companies", "people"),
    "share_of_national_active_pct": ("share_of_national_active_participants", "percent"),
    "informal_workers_potential": ("informal_workers_potential", "people"),
    "labour_force_approx": ("labour_force_approx", "people"),
    "workers_approx": ("workers_approx", "people"),
    "total_workers": ("total_workers", "people"),
    "informal_workers_approx": ("informal_workers_approx", "people"),
    "formal_workers_approx": ("formal_workers_approx", "people"),
    "informal_workers_covered_pct_approx": ("ucj_informal_coverage_pct_approx", "percent"),
    "ucj_coverage_formal_pct": ("ucj_formal_coverage_pct", "percent"),
    "ucj_coverage_informal_pct": ("ucj_informal_coverage_pct", "percent"),
    "coverage_pct_approx": ("ucj_coverage_pct_approx", "percent"),
    "ucj_coverage_pct_approx": ("ucj_coverage_pct_approx", "percent"),
    "participants_approx": ("ucj_covered_workers_range", "people"),
    "ucj_rank_of_38": ("ucj_rank_of_38_provinces", "rank"),
    "ucj_national_rank": ("ucj_national_rank", "rank"),
    "ucj_potential_workers": ("ucj_potential_workers", "people"),
    "workers_protected_via_APBD_APBDes_CSR": ("workers_funded_by_budgets_and_csr", "people"),
    "pekerja_rentan_funded_by_provincial_APBD": ("workers_funded_by_budget", "people"),
    "desa_total": ("desa_total", "villages"),
    "kelurahan_total": ("kelurahan_total", "villages"),
    "pbpu_vulnerable_workers_unprotected_approx": ("workers_unprotected_approx", "people"),
    "share_kabkota_protecting_non_asn_pct_approx": (
        "share_of_regencies_protecting_non_asn_approx", "percent"),
    "kabupaten_not_yet_running_jamsostek_non_asn": ("regencies_not_protecting_non_asn",
                                                   "bodies"),
    "pemprov_opd_without_non_asn_registered": ("pemprov_offices_without_non_asn_registered",
                                               "bodies"),
    "pemprov_opd_total": ("pemprov_offices_total", "bodies"),
    "kabkota_committed_to_protect_workers_approx": ("regencies_committed_approx", "bodies"),
    "kabkota_total": ("regencies_total", "bodies"),
    "nelayan_protected_buton_raya": ("fishers_protected", "people"),
    # regency level
    "desa_registered": ("desa_registered", "villages"),
    "desa_not_registered": ("desa_not_registered", "villages"),
    "desa_registered_pct_approx": ("desa_registered_pct_approx", "percent"),
    "ohoi_heads_and_staff_not_registered_ohoi": ("desa_not_registered", "villages"),
    "ohoi_total": ("desa_total", "villages"),
    "ohoi_not_registered": ("desa_not_registered", "villages"),
    "ohoi_budget_status_unknown": ("desa_budget_status_unknown", "villages"),
    "desa_paid_full_year": ("desa_paid_full_year", "villages"),
    "desa_covered": ("desa_covered", "villages"),
    "desa_participating": ("desa_registered", "villages"),
    "desa_total_approx": ("desa_total_approx", "villages"),
    "budget_rp": ("budget", "rupiah"),
    "budget_realised_rp": ("budget_realised", "rupiah"),
    "expected_participants": ("participants_expected", "people"),
    "budgeted_participants": ("participants_budgeted", "people"),
    "non_asn_coverage_pct_range": ("coverage_pct_range", "percent"),
    "implements_jamsostek_for_non_asn_and_aparatur_desa": ("implements_protection_flag", "flag"),
    "workers_premium_paid_by_pemkab": ("workers_funded_by_budget", "people"),
    "paritrana_pemda_rank": ("paritrana_rank", "rank"),
    "workers_not_registered_approx": ("workers_not_registered_approx", "people"),
    "registered_workers_total": ("agreement_workers", "people"),
    "registered_non_asn": ("agreement_workers", "people"),
    "registered_aparatur_desa": ("agreement_workers", "people"),
    "registered_pekerja_rentan": ("agreement_workers", "people"),
    "non_asn_budgeted": ("participants_budgeted", "people"),
    "non_asn_protected_approx": ("covered_workers_approx", "people"),
    "formal_workers_protected_incl_non_asn_aparatur_desa": ("formal_workers_protected", "people"),
    "coverage_pct_of_labour_force_approx": ("coverage_pct_of_labour_force_approx", "percent"),
    "all_aparatur_desa_incl_BPD_registered": ("all_registered_flag", "flag"),
    "not_registered": ("workers_not_registered", "people"),
    "pekerja_rentan_coverage_pct_over": ("coverage_pct_lower_bound", "percent"),
    "reported_PU": ("reported_segment_participants", "people"),
    "reported_BPU": ("reported_segment_participants", "people"),
    "reported_jakon": ("reported_segment_participants", "people"),
    "total_workforce_approx": ("labour_force_approx", "people"),
    "workers_guaranteed_total": ("workers_funded_by_budget", "people"),
    "nelayan_not_registered_approx": ("fishers_not_registered_approx", "people"),
    "non_asn_registered_approx": ("covered_workers_approx", "people"),
    "coverage_pct_stated": ("coverage_pct_stated_korpri", "percent"),
    "exceeded_ucj_2025_target": ("exceeded_ucj_target_flag", "flag"),
    "non_asn_registered_flag": ("registered_flag", "flag"),
    "workers_protected_jan_mar": ("workers_protected_in_quarter", "people"),
    "PU_formal": ("reported_segment_participants", "people"),
    "BPU": ("reported_segment_participants", "people"),
    "jakon": ("reported_segment_participants", "people"),
    "pekerja_rentan_funded_by_prov_APBD": ("workers_funded_by_budget", "people"),
    "pekerja_rentan_funded_by_kab_APBD": ("workers_funded_by_budget", "people"),
    "pekerja_rentan_protected_PKS": ("workers_funded_by_budget", "people"),
    "badan_usaha_registered": ("registered_companies", "companies"),
    "bpd_members_planned": ("participants_planned", "people"),
    "opd_count": ("offices_total", "bodies"),
    "pekerja_rentan_protected": ("covered_workers_approx", "people"),
    "pekerja_rentan_funded_prov_APBD": ("workers_funded_by_budget", "people"),
    "pekerja_rentan_funded_kab_APBD": ("workers_funded_by_budget", "people"),
    "poor_and_extreme_poor_residents": ("poor_residents", "people"),
    "non_asn": ("workers_funded_by_budget", "people"),
    "pekerja_rentan": ("workers_funded_by_budget", "people"),
    "tkd_in_process": ("participants_in_process", "people"),
    "target_participants": ("participants_target", "people"),
    "non_pns_participants_rsud_bula": ("covered_workers_undated", "people"),
}

#: Target metrics -> the target column.
TARGET_METRICS = {"ucj_target_pct": "target_pct", "ucj_target_workers": "target_count",
                  "coverage_target_pct": "target_pct", "participants_target": "target_count",
                  "pekerja_rentan_target_at_50_per_desa": "target_count",
                  "aparatur_desa_to_be_registered": "target_count",
                  "ptt_to_be_protected": "target_count",
                  "effective_date_non_asn_aparatur_desa_coverage_plan": "target_pct"}
#: National (00) figures have no Kemendagri code: they go to measures under these names.
NATIONAL_MEASURES = {"ucj_coverage_pct": ("ucj_coverage_pct", "percent"),
                     "ucj_target_pct": ("ucj_target_pct", "percent"),
                     "rpjmn_target_pct": ("rpjmn_target_pct", "percent"),
                     "rkp_target_pct": ("rkp_target_pct", "percent"),
                     "ucj_national_target_pct_cited": ("ucj_target_pct_cited", "percent")}

# --------------------------------------------------------------------------- conversion

#: (URL part, metric) -> (file, column or measure, note): readings that differ from the
#: defaults above. The reasons are in data/README.md ("Reading the research figures").
SECOND = "Second source for a cell that has a coverage observation ({other}); stored here so "
OVERRIDES: dict[tuple[str, str], tuple[str, str, str]] = {
    ("voi.id", "coverage_pct"): ("measures", "ucj_coverage_pct",
                                 "Second source for Sulawesi Tengah, December 2021: disagrees "
                                 "with Tribun Timur (327,272 of 978,084 = 33%), which the "
                                 "coverage observation and the illustrative panel follow."),
    ("voi.id", "total_workers"): ("measures", "ucj_potential_workers",
                                  "Second source for Sulawesi Tengah, December 2021 (total "
                                  "tenaga kerja); the observation follows Tribun Timur."),
    ("voi.id", "active_participants_total"): (
        "measures", "ucj_covered_workers",
        "Second source for Sulawesi Tengah, December 2021 (kepesertaan aktif); the "
        "observation follows Tribun Timur."),
    ("suara-ntt.com/pemerintah", "ucj_coverage_pct"): (
        "measures", "ucj_coverage_pct",
        "Second source of the same sentence as KabarNTT (the coverage observation cites "
        "KabarNTT; both print 33,7 persen)."),
    ("beritakotaambon", "non_pns_participants"): (
        "measures", "covered_workers",
        "Second source of the same figure as Beritabeta (the observation cites Beritabeta)."),
    ("halosultra.com/sultra-raya/25303", "active_participants_total"): (
        "observations", "registered",
        "UCJ covered workers ('peserta aktif') beside 'kepesertaan ... 42 persen'; the "
        "denominator is not printed (284,207 / 42% = about 676,700; the 'sekira 1 juta "
        "lebih' angkatan kerja includes ASN/TNI/Polri)."),
    ("halosultra.com/sultra-raya/25303", "active_participants_PU"): (
        "measures", "active_participants",
        "Printed segment; BPU and Jakon are both printed 66.647 (probably a typo) and the "
        "three add up to 284,707, not the 284,207 total: kept as printed, not anchored."),
    ("halosultra.com/sultra-raya/25303", "active_participants_BPU"): (
        "measures", "active_participants",
        "Printed 66.647, the same as Jakon (probably a typo); kept as printed."),
    ("halosultra.com/sultra-raya/25303", "active_participants_jakon"): (
        "measures", "active_participants",
        "Printed 66.647, the same as BPU (probably a typo); kept as printed."),
    ("harian.fajar", "ucj_covered_workers"): (
        "measures", "ucj_covered_workers_approx",
        "'1,327 juta': a count rounded to thousands; the same month's 52.89% (Radarhukum) "
        "is the coverage observation."),
    ("harian.fajar", "ucj_potential_workers"): (
        "measures", "ucj_potential_workers",
        "Potensi behind the 2025 target (1,763,259 = 62.93% of it)."),
    ("referensia", "active_participants_total"): (
        "measures", "covered_workers_approx",
        "'baru sekitar 459.455 pekerja' of 'sekitar 1,5 juta': approximate, not anchored."),
    ("sultranesia", "coverage_pct_stated"): (
        "measures", "coverage_pct_stated_korpri",
        "NOT a UCJ figure: '100 persen' after registering all Korpri members."),
    ("investigasi.news", "pekerja_rentan_protected"): (
        "measures", "covered_workers_approx",
        "'sekitar 10.252'; its parts 9,731 + 1,521 = 11,252, and Ekora NTT prints 10,521 "
        "(the observation for August 2025). Kept as printed."),
}

#: Observation rows whose month is read from a year or a phrase (the note says so).
MONTH_READINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("faktahukum", "ucj_coverage_pct"): (
        "2024-12", "Month assumed: 'tahun 2024' read as the position at the end of 2024 "
        "(the Paritrana 2024 assessment year)."),
    ("bisnis.com", "ucj_coverage_pct"): ("2025-01", "Month assumed: 'awal 2025' read as "
                                                    "January 2025."),
    ("radarhukum", "ucj_coverage_pct"): ("2025-06", "Month of the statement (26 June 2025)."),
    ("harianmalut", "ucj_potential_target_workers"): (
        "2025-05", "The 'target potensi UCJ' is the denominator of the 41,64 persen "
                   "(176,604 / 424,131 = 41.64%), stored as eligible."),
    ("timexkupang.fajar.co.id/2022/04/12", "tkd_protected"): (
        "2021-12", "Month assumed: 'tahun 2021 lalu' read as December 2021."),
    ("victorynews", "honorer_protected"): (
        "2021-06", "Month assumed: the event 'Rabu (30/6)', year not printed; 30 June was a "
        "Wednesday in 2021."),
    ("nttonlinenow.com/new-2016/2016", "workers_in_companies_registered"): (
        "2015-12", "Month assumed: 'pada tahun 2015' read as December 2015."),
    ("nttonlinenow.com/new-2016/2016", "workers_in_companies_total"): (
        "2015-12", "Month assumed: 'pada tahun 2015' read as December 2015."),
    ("nttonlinenow.com/new-2016/2016", "coverage_pct"): (
        "2015-12", "Printed '60 persen' although 11,002 / 19,255 = 57.1%: kept as printed."),
    ("investigasi.news", "coverage_pct"): (
        "2025-11", "Month of publication (29 November 2025); 'telah mencapai 45%'."),
    ("kupang.tribunnews.com/2025/07/08", "pekerja_rentan_protected_APBD"): (
        "2025-07", "Month of the launch and publication (8 July 2025); 'tahun 2025'."),
}

#: URL part -> what an observation from that source needs said (added to its note).
EXTRA_NOTES: dict[str, str] = {
    "makassar.tribunnews.com/2021/12/13": (
        "BPJS Ketenagakerjaan Kanwil Sulawesi Maluku's figures as reported on 13 December "
        "2021, read as December 2021; 'potensi peserta' is stored as eligible; the printed "
        "percentage is the two counts' ratio rounded to a whole percent. The research notes "
        "quote the Maluku and Sulawesi Tenggara lines; the other five provinces' lines follow "
        "the same pattern and are not quoted there."),
    "pemerintah-target-300-ribuan": (
        "UCJ: workers outside ASN, TNI and Polri. The denominator is not printed "
        "(191,618 / 39.45% = about 485,700)."),
    "nusantaratv.com": (
        "'hingga periode September 2022'. Segment all = formal and informal workers; "
        "non_asn = the share of the non-ASN staff of the local governments."),
    "kabarntt.co": (
        "Suara-NTT prints the same sentence (kept in measures.csv as a second source); the "
        "formal 65.9% / informal 13.6% split is in measures.csv (UCJ's formal/informal is not "
        "the panel's segments)."),
    "puskominfo": "'100 persen non ASN kategori perangkat desa telah terdaftar' in Kota Ambon.",
    "bali.tribunnews.com": "Perangkat desa of NTT's 3,215 desa (198 kelurahan have none).",
    "kupang.tribunnews.com/2018/11/09": (
        "The sentence says 'NTT', the headline 'Pemkot Kupang': stored for Kota Kupang as the "
        "headline says."),
    "kupang.tribunnews.com/2024/05/09": (
        "Active participants in March 2024; the segment figures printed beside them add up "
        "to 92,763, neither 58,658 nor the headline's 92,229 (kept in measures.csv)."),
    "victorynews": "Honorer of 55 OPD of the Kabupaten Kupang government.",
    "bacapesan": "'semesta Coverage' stored as eligible (1,159,887 / 2,871,182 = 40.40%).",
}

#: The dashboard's months (the illustrative panel's): coverage observations live on this grid.
GRID = ("2017-01", "2024-12")

_DATE = r"\d{4}-\d{2}-\d{2}(?!\d)|\d{4}-\d{2}(?!\d)|\d{4}(?!\d)"


def measure_period(period: str, source_date: str) -> str:
    """A measure's period, as precise as the row says: an award day, an as-of day, a month..."""
    for pattern in (rf"awarded ({_DATE})", rf"as of ({_DATE})", rf"as stated ({_DATE})",
                    rf"^\s*(?:from |PKS |ca\. )?({_DATE})"):
        found = re.search(pattern, period)
        if found:
            return found.group(1)
    found = re.search(rf"({_DATE})", period) or re.search(rf"({_DATE})", source_date)
    return found.group(1) if found else ""


def obs_month(period: str) -> str | None:
    """The month of an observation when the row states one (else None: not an observation)."""
    found = re.match(r"\s*(\d{4}-\d{2})(-\d{2})?(?!\d)", period)
    if found:
        return found.group(1)
    found = re.search(r"as of (\d{4}-\d{2})", period)
    return found.group(1) if found else None


def as_at(period: str) -> str:
    day = re.match(r"\s*(\d{4}-\d{2}-\d{2})", period)
    return f" As at {day.group(1)}." if day else ""

KEMNAKER_HOSTS = (GITHUB_KEMNAKER, "databoks.katadata", "goodstats")
KEMNAKER_README = ("Data on Active BPJS Ketenagakerjaan Participants by Type of Membership in "
                   "2023 Source: https://satudata.kemnaker.go.id/data/kumpulan-data/1726")
BPS_README = ("BPS Sakernas August 2023 employed population and labour force (thousands) for 24 "
              "provinces and the national total, as reported by BPS offices or the press.")


class Importer:
    """Collects the output rows; one instance per run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notes = (folder / "NOTES.md").read_text("utf-8")
        self.readme = (folder / "README.md").read_text("utf-8")
        self.entries = notes_entries(self.notes)
        self.sources: dict[str, dict] = {}
        self.observations: dict[tuple, dict] = {}
        self.targets: dict[tuple, dict] = {}
        self.measures: list[dict] = []
        self.province_codes = self._province_codes()

    # ----------------------------------------------------------------------- sources
    @staticmethod
    def _province_codes() -> dict[str, str]:
        from cakupan import regions
        names = {r.name: r.code for r in regions.provinces().itertuples()}
        names.update({"Papua Barat (incl. Papua Barat Daya)": "92~pra2022",
                      "Papua (incl. the three 2022 provinces)": "91~pra2022",
                      "Indonesia": "00", "DI Yogyakarta": names.get("Daerah Istimewa Yogyakarta",
                                                                   "34")})
        return names

    def source(self, url: str, *, publisher: str, source_date: str, kind: str | None = None,
               title: str | None = None, quote: str | None = None, notes: str = "") -> str:
        if url in self.sources:
            src = self.sources[url]
            if source_date and source_date not in src["_dates"]:
                src["_dates"].append(source_date)
            return src["id"]
        host = urlparse(url).netloc if "://" in url else url.split("/")[0]
        host = re.sub(r"^(www|amp|m)\.", "", host)
        published = _published_of(source_date)
        base = PREFIX + _slug(host.replace(".com", "").replace(".id", "").replace(".co", ""), 24)
        sid = f"{base}-{published}" if published else base
        taken = {s["id"] for s in self.sources.values()}
        n = 2
        while sid in taken:
            sid = f"{base}-{published}-{n}" if published else f"{base}-{n}"
            n += 1
        if quote is None:
            fragments = self.entries.get(_label_of(url), [])
            quote = fragments[0] if fragments else None
        outlet = re.split(r" \(|, (?:quoting|citing)| - ", publisher)[0].strip()
        if outlet != publisher:
            notes = f"Publisher as recorded: {publisher}. {notes}".strip()
        self.sources[url] = {
            "id": sid, "kind": kind or _kind_of(url), "publisher": outlet,
            "title": title or _title_of(url, publisher),
            "url": _https(url) if url and ("/" in url) else "",
            "published": published, "accessed": ACCESSED, "quote": quote, "licence": LICENCE,
            "stored_copy": "", "_dates": [source_date] if source_date else [], "_notes": notes}
        return sid

    def quote(self, url: str, value: float | None, province_name: str = "") -> str:
        if GITHUB_KEMNAKER in url:
            entry = self.notes.split("**Kemnaker 2023 table**", 1)[1].split("\n", 1)[0]
            for row in re.findall(r"`([^`;]+;[^`]+)`", entry):
                if row.startswith(province_name + ";"):
                    return row
            return KEMNAKER_README
        return quote_for(self.entries[_label_of(url)], value, notes=self.notes)

    # ----------------------------------------------------------------------- rows
    def region_of(self, row: dict, level: str) -> tuple[str, str]:
        if level == "regency":
            code = row["regency_code"]
            return (row["province_code"], code) if ";" in code else (code, "")
        code = row["province_code"]
        if any(h in row["source_url"] for h in KEMNAKER_HOSTS) and code in OLD_EXTENT:
            return OLD_EXTENT[code], ""
        return code, ""

    def add(self, row: dict, level: str) -> None:
        url, metric, text = row["source_url"], row["metric"], row["value"].strip()
        low = high = None
        if re.fullmatch(r"\d+(\.\d+)?-\d+(\.\d+)?", text):
            low, high = (float(v) for v in text.split("-"))
        value = _num(text) if low is None else low
        sid = self.source(url, publisher=row["publisher"], source_date=row["source_date"])
        region, members = self.region_of(row, level)
        period = row["period"]
        seg_text = row.get("segment", "")
        printed = f"Period as printed: '{period}'." if period else ""
        override = next((v for (part, m), v in OVERRIDES.items() if part in url and m == metric),
                        None)
        reading = next((v for (part, m), v in MONTH_READINGS.items()
                        if part in url and m == metric), None)
        quote = self.quote(url, value, row.get("province_name", ""))
        if metric == "effective_date_non_asn_aparatur_desa_coverage_plan":
            self.target(sid, region, "non_asn", "target_pct", 100.0, deadline="2018-01",
                        period=period, publisher=row["publisher"], quote=quote,
                        note="Reading: 'Per 1 Januari 2018, tenaga kerja non ASN di lingkup "
                             "Pemda dan Aparatur Desa ... akan mendapatkan Layanan'; the "
                             "article gives the date (2018-01-01), the 100% is our reading "
                             "of 'all non-ASN of the local governments' (aparatur desa in the "
                             "same sentence).")
            return
        if override:
            file, name, note = override
            if file == "observations":
                self.observation(sid, obs_month(period) or "", region, "all", name, value,
                                 quote, note + as_at(period))
            else:
                unit = "percent" if "pct" in name else "people"
                segment = (_kemnaker_segment(metric) if metric.startswith("active_participants_")
                           else "all") if level == "province" else _segment(seg_text)
                self.measure(name, measure_period(period, row["source_date"]), region, members,
                             segment, value, high, unit, sid, f"{note} {printed}", quote)
            return
        if region == "00":
            name, unit = NATIONAL_MEASURES.get(metric, MEASURES.get(metric, (metric, "people")))
            if metric.startswith("active_participants"):
                name = "kemnaker_active_participants" if any(
                    h in url for h in KEMNAKER_HOSTS) else "active_participants"
            segment = _kemnaker_segment(metric) if metric.startswith("active_participants_") \
                else "all"
            self.measure(name, measure_period(period, row["source_date"]), "00", "", segment,
                         value, high, unit, sid, f"Indonesia (national). {printed}", quote)
            return
        if (metric in TARGET_METRICS and level == "province") or metric in (
                "pekerja_rentan_target_at_50_per_desa", "aparatur_desa_to_be_registered",
                "ptt_to_be_protected", "coverage_target_pct"):
            segment = _segment(seg_text) if level == "regency" else "all"
            deadline = self.deadline(period, metric)
            self.target(sid, region, segment, TARGET_METRICS[metric], value, deadline=deadline,
                        period=period, publisher=row["publisher"], quote=quote, note=printed)
            return
        if metric in OBS_METRICS:
            month = reading[0] if reading else obs_month(period)
            segment = _segment(seg_text) if level == "regency" else {
                "non_asn_coverage_pct": "non_asn",
                "aparatur_desa_protected": "aparatur_desa"}.get(metric, "all")
            if month and segment != "mixed" and not members:
                note = (reading[1] if reading else printed) + as_at(period)
                note += "".join(" " + v for k, v in EXTRA_NOTES.items() if k in url)
                self.observation(sid, month, region, segment, OBS_METRICS[metric], value,
                                 quote, note)
                return
            name = {"registered": "covered_workers", "eligible": "potential_workers",
                    "coverage_pct": "coverage_pct"}[OBS_METRICS[metric]]
            if not month:
                name += "_undated"
            unit = "percent" if name.startswith("coverage_pct") else "people"
            why = ("Undated: no month can be defended, so it is shown as published and does "
                   "not anchor the panel." if not month else
                   "Over several segments or regencies: not one coverage cell.")
            self.measure(name, measure_period(period, row["source_date"]), region, members,
                         segment, value, high, unit, sid, f"{why} {printed}", quote)
            return
        if metric in MEASURES:
            name, unit = MEASURES[metric]
            if name == "active_participants" and any(h in url for h in KEMNAKER_HOSTS):
                name = "kemnaker_active_participants"
            segment = (_kemnaker_segment(metric) if metric.startswith("active_participants_")
                       and level == "province" else
                       _segment(seg_text) if level == "regency" else "all")
            note = printed
            if region.endswith("~pra2022"):
                note = ("Old extent: the 34-province table's '" + row["province_name"]
                        + f"' row (coded {row['province_code']} in the research file) covers "
                        "the province before the 2022 splits, not today's province. " + note)
            if members:
                note = f"Over the regencies {members.replace(';', ', ')} together " \
                       f"({row['regency_name']}). " + note
            self.measure(name, measure_period(period, row["source_date"]), region, members,
                         segment, value, high, unit, sid, note, quote)
            return
        raise SystemExit(f"no reading for {metric} from {url}")

    @staticmethod
    def deadline(period: str, metric: str) -> str:
        if metric == "pekerja_rentan_target_at_50_per_desa" or period.strip() == "target":
            return ""
        found = re.search(r"(\d{4}-\d{2})", period)
        if found:
            return found.group(1)
        year = re.search(r"(\d{4})", period)
        return f"{year.group(1)}-12" if year else ""

    def observation(self, sid: str, month: str, region: str, segment: str, column: str,
                    value: float | None, quote: str, note: str) -> None:
        key = (month, region, "region", segment)
        row = self.observations.setdefault(key, {
            "period": month, "region_code": region, "scope": "region", "segment": segment,
            "programme": "any", "registered": None, "eligible": None, "coverage_pct": None,
            "source_id": sid, "_notes": [], "_quotes": []})
        if row["source_id"] != sid:
            raise SystemExit(f"two sources for the observation {key}: {row['source_id']}, {sid}")
        if row[column] is not None and row[column] != value:
            raise SystemExit(f"two values for {column} of {key}")
        row[column] = value
        if note.strip() and note.strip() not in row["_notes"]:
            row["_notes"].append(note.strip())
        if quote not in row["_quotes"]:
            row["_quotes"].append(quote)

    def target(self, sid: str, region: str, segment: str, column: str, value: float | None,
               *, deadline: str, period: str, publisher: str, quote: str, note: str) -> None:
        key = (sid, region, segment, period)
        row = self.targets.setdefault(key, {
            "id": "", "region_code": region, "segment": segment, "programme": "any",
            "target_pct": None, "target_count": None, "deadline": deadline,
            "baseline_period": "", "basis": f"Stated target ({publisher.split(' (')[0]})",
            "source_id": sid, "_notes": [], "_quotes": []})
        row[column] = value
        if note and note not in row["_notes"]:
            row["_notes"].append(note)
        if quote not in row["_quotes"]:
            row["_quotes"].append(quote)

    def measure(self, name: str, period: str, region: str, members: str, segment: str,
                value: float | None, high: float | None, unit: str, sid: str, note: str,
                quote: str | None, derived: bool = False) -> None:
        if value is None:
            raise SystemExit(f"no number for {name} {region} {period}")
        self.measures.append({
            "measure": name, "period": period, "region_code": region, "members": members,
            "segment": segment, "value": value, "value_high": high, "unit": unit,
            "derived": derived, "source_id": sid, "note": note.strip(), "quote": quote or ""})

    def off_grid(self, row: dict) -> None:
        """A coverage figure outside the dashboard's months: kept as measures, one per value.

        The pages' month pickers and default month come from the observations' months, so a
        2025 figure there would make the newest month one with a handful of figures and no
        panel. It is shown as a published point (``published_measures``) instead.
        """
        names = {"registered": ("covered_workers", "people"),
                 "eligible": ("potential_workers", "people"),
                 "coverage_pct": ("coverage_pct", "percent")}
        day = re.search(r"As at (\d{4}-\d{2}-\d{2})", " ".join(row["_notes"]))
        period = day.group(1) if day else row["period"]
        for column, (name, unit) in names.items():
            if row[column] is None:
                continue
            fragment = next((q for q in row["_quotes"] if any(
                f in q for f in _printed(row[column]))), row["_quotes"][0])
            self.measure(name, period, row["region_code"], "", row["segment"], row[column],
                         None, unit, row["source_id"],
                         f"Outside the dashboard's months ({GRID[0]} to {GRID[1]}): a "
                         "published coverage figure shown as a point, not a cell of the "
                         "monthly grid. " + " ".join(row["_notes"]), fragment)

    # ----------------------------------------------------------------------- the other files
    def add_bps(self, bps: pd.DataFrame) -> None:
        for row in bps.to_dict("records"):
            code = self.province_codes[row["province_name"]]
            raw = row["source"]
            address = re.search(r"([a-z0-9.-]+\.[a-z]{2,}/[^\s)]*)", raw)
            url = address.group(1) if address else ""
            dated = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", url) or re.search(
                r"/(20\d\d)(\d\d)(\d\d)/", url)
            published = "-".join(dated.groups()) if dated else ""
            kind = "reference" if "bps" in raw.lower() and "press release" in row["note"] \
                else "article"
            title = (raw if not address or raw != url else
                     f"BPS Sakernas August 2023, {row['province_name']} ({url.split('/')[0]})")
            key = url or raw
            host = (url or raw).split("/")[0].split(" (")[0]
            publisher = (f"Badan Pusat Statistik ({host})" if host.endswith("bps.go.id")
                         else raw.split(" (")[0] if raw.startswith("BPS") else host)
            sid = self.source(key if "/" in key else raw, publisher=publisher,
                              source_date=published, kind=kind, title=title, quote=BPS_README,
                              notes="" if published else "Publication date not recorded in "
                              "the research file; the figures are BPS Sakernas August 2023.")
            extent = ("Old extent: " + row["province_name"] + " (34-province geography). "
                      if code.endswith("~pra2022") else "")
            for column, measure in (("employed_thousands", "bps_employed"),
                                    ("labour_force_thousands", "bps_labour_force")):
                if row[column].strip():
                    self.measure(measure, "2023-08", code, "", "all", float(row[column]), None,
                                 "thousand_people", sid,
                                 f"{extent}BPS Sakernas August 2023, thousands of people, as "
                                 f"reported ({row['note']}).", BPS_README)

    def add_derived(self) -> None:
        """Participants per 100 employed: Kemnaker 2023 total over BPS employed August 2023."""
        kem = {m["region_code"]: m for m in self.measures
               if m["measure"] == "kemnaker_active_participants" and m["period"] == "2023"
               and m["segment"] == "all"}
        for m in [m for m in self.measures if m["measure"] == "bps_employed"]:
            k = kem.get(m["region_code"])
            if k is None:
                continue
            ratio = round(k["value"] / (m["value"] * 1000) * 100, 1)
            self.measure(
                "participants_per_100_employed", "2023", m["region_code"], "", "all", ratio,
                None, "per_100_employed", k["source_id"],
                f"Derived by Cakupan, not published: Kemnaker 2023 active participants "
                f"{int(k['value']):,} / BPS employed August 2023 {m['value']:g} thousand x 100 "
                f"(BPS source {m['source_id']}). Two different measures: Kemnaker counts "
                "active BPJS Ketenagakerjaan participants (wage earners, informal and "
                "construction workers; month of 2023 not stated), BPS every employed person "
                "(ASN included). A derived indicator, NOT UCJ coverage.", None, derived=True)

    def add_more_facts(self, more: pd.DataFrame) -> None:
        """more_facts.csv: a figure already imported maps to its row; the rest are measures."""
        for row in more.to_dict("records"):
            value = float(row["value"])
            host = row["source"].split(" ")[0].split("/")[0]
            known = [u for u in self.sources if host in u]
            if known and self._holds(row["code"], value, {self.sources[u]["id"] for u in known}):
                continue
            date = re.search(r"\((\d{4}-\d{2}-\d{2})\)", row["source"])
            sid = self.source(row["source"].split(" (")[0], publisher=host,
                              source_date=date.group(1) if date else row["period"],
                              kind="article", title=f"{host} (article not identified in the "
                              "research notes)", quote="",
                              notes="Only the site is recorded (more_facts.csv); publication "
                                    "date " + (date.group(1) if date else "not recorded") + ".")
            self.measure("ucj_coverage_pct", row["period"], row["code"], "", "all", value, None,
                         "percent", sid,
                         f"No sentence for this figure in the research notes (more_facts.csv "
                         f"gives the site only; '{row['note']}'); shown as published, does not "
                         "anchor the panel.", None)

    def _holds(self, code: str, value: float, sids: set[str]) -> bool:
        for o in self.observations.values():
            if o["source_id"] in sids and o["region_code"] == code and value in (
                    o["coverage_pct"], o["registered"]):
                return True
            if o["source_id"] in sids and o["region_code"] == code and o["registered"] \
                    and o["eligible"] and round(o["registered"] / o["eligible"] * 100, 2) == value:
                return True
        return any(m["source_id"] in sids and m["region_code"] == code and m["value"] == value
                   for m in self.measures)


# --------------------------------------------------------------------------- writing

def _fmt(value: float | None, integer: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if integer or float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def frames(imp: Importer) -> dict[str, pd.DataFrame]:
    """The research rows as frames with the published files' columns."""
    sources = []
    for src in imp.sources.values():
        dates = "; ".join(dict.fromkeys(src.pop("_dates")))
        extra = src.pop("_notes")
        src["notes"] = " ".join(p for p in (
            f"From ../shared/research (source date as recorded: {dates})." if dates else
            "From ../shared/research.", extra,
            "" if src["published"] else "Undated or partly dated: publication date not "
            "recorded.") if p)
        sources.append(src)
    obs = []
    for key, row in list(imp.observations.items()):
        if not GRID[0] <= row["period"] <= GRID[1]:  # a published point off the monthly grid
            del imp.observations[key]
            imp.off_grid(row)
    for row in imp.observations.values():
        row["note"] = " ".join(row.pop("_notes"))
        row["quote"] = " | ".join(row.pop("_quotes"))
        for column in ("registered", "eligible"):
            row[column] = _fmt(row[column], integer=True)
        row["coverage_pct"] = _fmt(row["coverage_pct"])
        obs.append(row)
    targets = []
    for row in imp.targets.values():
        size = _fmt(row["target_pct"]) or _fmt(row["target_count"], integer=True)
        row["id"] = _slug(f"{PREFIX}{row['region_code']}-{row['segment']}-"
                          f"{row['deadline'] or 'open'}-{size}", 80).replace("r-", PREFIX, 1)
        row["note"] = " ".join(row.pop("_notes"))
        row["quote"] = " | ".join(row.pop("_quotes"))
        row["target_pct"] = _fmt(row["target_pct"])
        row["target_count"] = _fmt(row["target_count"], integer=True)
        targets.append(row)
    ids = pd.Series([t["id"] for t in targets])
    for i, dup in enumerate(ids.duplicated(keep=False)):
        if dup:
            targets[i]["id"] += "-" + targets[i]["source_id"][len(PREFIX):][:20]
    measures = []
    for row in imp.measures:
        row = dict(row)
        row["value"] = _fmt(row["value"])
        row["value_high"] = _fmt(row["value_high"])
        row["derived"] = "true" if row["derived"] else "false"
        measures.append(row)
    return {
        "sources.csv": pd.DataFrame(sources, columns=seed.FILES["sources.csv"]),
        "observations.csv": pd.DataFrame(obs, columns=seed.FILES["observations.csv"]),
        "targets.csv": pd.DataFrame(targets, columns=seed.FILES["targets.csv"]),
        "measures.csv": pd.DataFrame(measures, columns=seed.FILES["measures.csv"]),
    }


META = {
    "measures.csv": {
        "title": "Published figures of other measures than UCJ coverage (Kemnaker and BPJS "
                 "active participants, BPS employed and labour force, villages, ranks, budgets, "
                 "approximations, undated and second-source figures)",
        "notes": [
            "One published figure per row: measure, unit, period as precise as its source "
            "(YYYY, YYYY-MM or YYYY-MM-DD), region (Kemendagri code; 00 = Indonesia; "
            "91~pra2022 / 92~pra2022 = Papua / Papua Barat before the 2022 splits), segment.",
            "members: a branch office's regencies joined by ';' (region_code is then their "
            "province); value_high: the top of a published range.",
            "derived = true only for participants_per_100_employed, computed by Cakupan from "
            "two published figures (Kemnaker 2023 / BPS August 2023); NOT UCJ coverage.",
            "None of these rows anchors the illustrative panel; data/README.md lists every "
            "measure and the readings.",
            "Rows made by scripts/import_research.py from ../shared/research (source ids r-...).",
        ],
    },
}


def write(out: dict[str, pd.DataFrame], folder: Path = PUBLISHED) -> dict[str, int]:
    """Replace the research rows of each file (source ids ``r-``), keep the others."""
    counts = {}
    for name, new in out.items():
        path = folder / name
        column = "id" if name == "sources.csv" else "source_id"
        if path.exists():
            old = pd.read_csv(path, dtype=str, keep_default_na=False)
            old = old[~old[column].str.startswith(PREFIX)]
        else:
            old = pd.DataFrame(columns=seed.FILES[name])
        frame = pd.concat([old, new.astype(str).replace({"None": "", "nan": ""})],
                          ignore_index=True)[seed.FILES[name]]
        frame.to_csv(path, index=False, lineterminator="\n")
        counts[name] = len(new)
        _write_meta(path, frame, name)
    return counts


def _write_meta(path: Path, frame: pd.DataFrame, name: str) -> None:
    meta_path = path.with_name(name.replace(".csv", ".meta.json"))
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {
        "title": META[name]["title"], "file": f"data/published/{name}",
        "publisher": "Cakupan project, compiled from the sources listed in "
                     "data/published/sources.csv", "url": None, "accessed": "",
        "licence": "compilation CC0-1.0; quoted sentences remain the publishers' and are "
                   "quoted for citation only", "notes": META[name]["notes"]}
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    meta["rows"] = len(frame)
    meta["columns"] = list(frame.columns)
    note = ("Rows citing sources r-... come from ../shared/research via "
            "scripts/import_research.py (readings in data/README.md).")
    if note not in meta["notes"]:
        meta["notes"].append(note)
    ordered = {k: meta[k] for k in ("title", "file", "publisher", "url", "accessed", "licence",
                                    "sha256", "rows", "columns", "notes")}
    meta_path.write_text(json.dumps(ordered, indent=2, ensure_ascii=False) + "\n", "utf-8")


def run(folder: Path) -> dict[str, int]:
    prov, reg, more, bps = read_research(folder)
    imp = Importer(folder)
    for row in prov.to_dict("records"):
        imp.add(row, "province")
    for row in reg.to_dict("records"):
        imp.add(row, "regency")
    imp.add_more_facts(more)
    imp.add_bps(bps)
    imp.add_derived()
    return write(frames(imp))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--research", type=Path, default=DEFAULT_RESEARCH)
    args = parser.parse_args(argv)
    counts = run(args.research)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
