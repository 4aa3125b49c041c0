"""Name resolution: the seed names of the five source articles, normalisation, ambiguity,
province scoping, the alias table's soundness and the command line's JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from cakupan import regions
from cakupan.core.errors import CakupanError
from cakupan.regions.resolve import (
    Alias,
    Resolution,
    alias_report,
    key,
    load_aliases,
    resolve,
    resolve_one,
    split_kind,
    tokens,
    unmatched,
)

ROOT = Path(__file__).resolve().parents[3]

# Every region the five articles in ../shared/sources name, as they write it, with the code
# checked by hand against data/regions.csv.
ARTICLE_NAMES = {
    # Antaranews Maluku 2017
    "Kota Ambon": "81.71", "Maluku Barat Daya (MBD)": "81.08", "Maluku Barat Daya": "81.08",
    "MBD": "81.08", "Maluku Tenggara Barat (MTB)": "81.03", "MTB": "81.03",
    "Kabupaten Maluku Tenggara": "81.02", "Pemprov Maluku": "81", "Provinsi Maluku": "81",
    # Zonasultra 2018
    "Sultra": "74", "Pemprov Sultra": "74", "Provinsi Sulawesi Tenggara": "74",
    "Kendari": "74.71", "Kota Kendari": "74.71", "Kabupaten Bombana": "74.06",
    "Konawe": "74.02", "Konawe Selatan (Konsel)": "74.05", "Konsel": "74.05", "Kolaka": "74.01",
    "Kolaka Timur (Koltim)": "74.11", "Koltim": "74.11", "Kabupaten Wakatobi": "74.07",
    "Kota Baubau": "74.72", "Kabupaten Muna": "74.03", "Muna Barat": "74.13", "Mubar": "74.13",
    "Buton": "74.04", "Buton Selatan": "74.15", "Busel": "74.15", "Buton Tengah": "74.14",
    "Buteng": "74.14", "Kolaka Utara": "74.08", "Kolut": "74.08", "Buton Utara": "74.10",
    "Butur": "74.10", "Konawe Utara": "74.09", "Konut": "74.09", "Konawe Kepulauan": "74.12",
    "Konkep": "74.12",
    # Terasmaluku 2023
    "Maluku": "81",
    # Antaranews NTT 2019: Labuan Bajo is a town, the capital of Manggarai Barat (documented)
    "NTT": "53", "Nusa Tenggara Timur": "53", "Kabupaten Manggarai Barat": "53.15",
    "Manggarai Barat": "53.15", "Labuan Bajo": None, "Kupang": None,
    # Antaranews Maluku 2024
    "Kabupaten Kepulauan Tanimbar (KKT)": "81.03", "KKT": "81.03", "Kepulauan Tanimbar": "81.03",
}

# Common abbreviations and short forms for every regency of Maluku, Sulawesi Tenggara and NTT.
ABBREVIATIONS = {
    "Malteng": "81.01", "Malra": "81.02", "Maluku Tenggara": "81.02", "Tanimbar": "81.03",
    "Buru": "81.04", "SBT": "81.05", "SBB": "81.06", "Aru": "81.07", "Kepulauan Aru": "81.07",
    "Bursel": "81.09", "Buru Selatan": "81.09", "Ambon": "81.71", "Tual": "81.72",
    "Bombana": "74.06", "Wakatobi": "74.07", "Muna": "74.03", "Baubau": "74.72",
    "Kabupaten Kupang": "53.01", "TTS": "53.02", "TTU": "53.03", "Belu": "53.04",
    "Alor": "53.05", "Flotim": "53.06", "Sikka": "53.07", "Ende": "53.08", "Ngada": "53.09",
    "Manggarai": "53.10", "Sumba Timur": "53.11", "Sumba Barat": "53.12", "Lembata": "53.13",
    "Rote Ndao": "53.14", "Rote": "53.14", "Mabar": "53.15", "Nagekeo": "53.16",
    "Sumba Tengah": "53.17", "Sumba Barat Daya": "53.18", "SBD": "53.18", "Matim": "53.19",
    "Sabu Raijua": "53.20", "Sarai": "53.20", "Malaka": "53.21", "Kota Kupang": "53.71",
}


@pytest.mark.unit
@pytest.mark.parametrize(("name", "code"), sorted({**ARTICLE_NAMES, **ABBREVIATIONS}.items()))
def test_seed_names_resolve_to_the_right_code(name: str, code: str | None) -> None:
    result = resolve_one(name)
    assert result.code == code, result
    if code is None:
        assert (result.method, result.name, result.score) == ("none", None, 0.0)
    else:
        assert result.name == regions.name_of(code)
        assert result.method in ("exact", "alias") and result.score == 1.0


@pytest.mark.unit
@pytest.mark.parametrize("written", [
    "Bau-Bau", "Baubau", "Bau Bau", "BAU BAU", "Kota Bau-Bau", "Kota Baubau", "  kota   bau bau ",
    "Pemkot Baubau", "Pemerintah Kota Bau-Bau", "Kotamadya Bau Bau",
])
def test_spellings_of_baubau(written: str) -> None:
    assert resolve_one(written).code == "74.72"


@pytest.mark.unit
@pytest.mark.parametrize(("written", "code"), [
    ("Kab. Konawe Selatan", "74.05"), ("Kab Konawe Selatan", "74.05"),
    ("KABUPATEN KONAWE SELATAN", "74.05"), ("kabupaten konawe-selatan", "74.05"),
    ("Konawe Selatan.", "74.05"), ("Kab. Konsel", "74.05"), ("Pemkab Konsel", "74.05"),
    ("Prov. Maluku", "81"), ("Provinsi Sultra", "74"), ("Pemerintah Provinsi Maluku", "81"),
    ("Kep. Tanimbar", "81.03"), ("Kab. Kep. Aru", "81.07"),
    ("Toli-Toli", "72.04"), ("Tolitoli", "72.04"),  # official spelling "Toli-Toli"
    ("Kep. Seribu", "31.01"),  # "Kabupaten Administrasi Kepulauan Seribu"
    ("Kota Baru", "63.02"),  # no such kota: the literal reading finds Kabupaten Kotabaru
    ("Kota Kotamobagu", "71.74"),
    ("Nusa Tenggara Timur", "53"), ("Nūsa Tenggara Timur", "53"),  # accents dropped
])
def test_normalisation(written: str, code: str) -> None:
    result = resolve_one(written)
    assert (result.code, result.method) == (code, result.method)
    assert result.method in ("exact", "alias")


@pytest.mark.unit
def test_tokens_and_keys() -> None:
    assert tokens("Kab. Bau-Bau") == ["kab", "bau", "bau"]
    assert tokens("Kep. Aru") == ["kepulauan", "aru"]
    assert key("Bau-Bau") == key("Baubau") == key("bau  bau") == "baubau"
    assert split_kind(["kab", "buton"]) == ("kabupaten", ["buton"])
    assert split_kind(["pemprov", "sultra"]) == ("provinsi", ["sultra"])
    assert split_kind(["kota"]) == (None, ["kota"])  # a prefix alone is not stripped


@pytest.mark.unit
@pytest.mark.parametrize(("name", "expected"), [
    ("Buton", "74.04"), ("Buton Utara", "74.10"), ("Buton Selatan", "74.15"),
    ("Buton Tengah", "74.14"), ("Maluku Tenggara", "81.02"), ("Maluku Tenggara Barat", "81.03"),
    ("Maluku Tengah", "81.01"), ("Maluku", "81"), ("Maluku Utara", "82"),
])
def test_names_that_are_prefixes_of_others_stay_apart(name: str, expected: str) -> None:
    assert resolve_one(name).code == expected


@pytest.mark.unit
def test_every_shared_short_name_is_ambiguous_and_lists_its_candidates() -> None:
    """Derived from the data: each short name used by 2+ regions resolves to none."""
    owners: dict[str, list[str]] = defaultdict(list)
    for row in regions.load_regions().itertuples():
        owners[key(row.short_name)].append(row.code)
    shared = {codes[0]: codes for codes in owners.values() if len(codes) > 1}
    assert len(shared) >= 25  # Kupang, Bogor, Malang, Gorontalo, Jambi, Banjar, ...
    for first, codes in shared.items():
        result = resolve_one(regions.name_of(first, short=True))
        assert (result.code, result.method) == (None, "none")
        assert set(result.candidates) == set(codes)


@pytest.mark.unit
@pytest.mark.parametrize(("name", "code"), [
    ("Kota Kupang", "53.71"), ("Kabupaten Kupang", "53.01"), ("Kab. Kupang", "53.01"),
    ("Provinsi Gorontalo", "75"), ("Kabupaten Gorontalo", "75.01"), ("Kota Gorontalo", "75.71"),
    ("Kota Jambi", "15.71"), ("Provinsi Jambi", "15"),
])
def test_a_kind_word_settles_an_ambiguous_name(name: str, code: str) -> None:
    assert resolve_one(name).code == code


@pytest.mark.unit
def test_every_official_name_resolves_to_its_own_code() -> None:
    frame = regions.load_regions()
    wrong = []
    for row in frame.itertuples():
        written = f"Provinsi {row.name}" if row.level == "province" else row.name
        if resolve_one(written).code != row.code:
            wrong.append((written, row.code, resolve_one(written).code))
    assert wrong == []


@pytest.mark.unit
def test_a_kind_word_that_contradicts_the_alias_gives_none() -> None:
    assert resolve_one("Kab. Konsel").code == "74.05"
    assert resolve_one("Kota Konsel").code is None  # Konawe Selatan is a kabupaten


@pytest.mark.unit
@pytest.mark.parametrize(("typo", "code"), [
    ("Konawe Selatn", "74.05"), ("Buton Utra", "74.10"), ("Kolaka Timr", "74.11"),
    ("Maluku Tenggara Brat", "81.03"), ("Kepulauan Tanimbr", "81.03"), ("Manggarai Barta", "53.15"),
    ("Kota Ambn", "81.71"), ("Konsl", "74.05"),
])
def test_fuzzy_accepts_a_clear_typo(typo: str, code: str) -> None:
    result = resolve_one(typo)
    assert (result.code, result.method) == (code, "fuzzy")
    assert 0.86 <= result.score < 1.0


@pytest.mark.unit
@pytest.mark.parametrize(("name", "candidates"), [
    ("Seram Bagian", {"81.05", "81.06"}),  # Seram Bagian Timur or Barat?
    ("Tana Toraja Utara", {"73.18", "73.26"}),  # Tana Toraja or Toraja Utara?
    ("Maluku Barat", {"81.08", "82"}),  # Maluku Barat Daya or Maluku Utara?
])
def test_fuzzy_refuses_a_close_call(name: str, candidates: set[str]) -> None:
    result = resolve_one(name)
    assert (result.code, result.method, result.score) == (None, "none", 0.0)
    assert set(result.candidates) == candidates


@pytest.mark.unit
@pytest.mark.parametrize("name", [
    "Xyzzy", "", "   ", "---", "Labuan Bajo", "Saumlaki", "Kota Bim", "TTX", "Desa Wawatu",
])
def test_names_that_are_not_regions_give_none(name: str) -> None:
    assert resolve_one(name).code is None


@pytest.mark.unit
def test_province_scope_settles_a_name_shared_across_provinces() -> None:
    # Kota Banjar (Jawa Barat) and Kabupaten Banjar (Kalimantan Selatan)
    assert resolve_one("Banjar").code is None
    assert resolve_one("Banjar", province="63").code == "63.03"
    assert resolve_one("Banjar", province="32").code == "32.79"


@pytest.mark.unit
def test_province_scope_is_a_constraint() -> None:
    assert [r.code for r in resolve(["Konsel", "Mabar", "Sultra", "NTT"], province="53")] == [
        None, "53.15", None, "53"]
    assert resolve_one("Kupang", province="53").code is None  # both Kupang are in NTT
    assert resolve_one("Konawe Selatn", province="74").code == "74.05"
    assert resolve_one("Konawe Selatn", province="81").code is None


@pytest.mark.unit
def test_province_scope_narrows_fuzzy_matching() -> None:
    # A typo of "Banjar" is a close call between Kota Banjar (32.79) and Kabupaten Banjar
    # (63.03); inside Kalimantan Selatan only the kabupaten is left, a clear match.
    assert resolve_one("Banjr").candidates == ("32.79", "63.03")
    scoped = resolve_one("Banjr", province="63")
    assert (scoped.code, scoped.method) == ("63.03", "fuzzy")


@pytest.mark.unit
@pytest.mark.parametrize(("name", "province", "code"), [
    ("Konawe Selatan (Konsel)", None, "74.05"),  # how the articles introduce abbreviations
    ("Konawe Selatan (Koltim)", None, None),  # contradicts itself
    ("Buton (Sultra)", None, "74.04"),  # an aside naming the province qualifies
    ("Banjar (Kalsel)", None, "63.03"),  # ... and scopes an otherwise ambiguous name
    ("Banjar (Jabar)", None, "32.79"),
    ("Banjar (Kalsel)", "32", None),  # aside and --province disagree
    ("Kupang (NTT)", None, None),  # still ambiguous inside NTT
    ("Konsel (NTT)", None, None),
    ("(Konsel)", None, "74.05"),
])
def test_a_parenthesis_qualifies_or_contradicts(name: str, province: str | None,
                                                code: str | None) -> None:
    result = resolve_one(name, province=province)
    assert result.code == code
    assert result.input == name


@pytest.mark.unit
@pytest.mark.parametrize("bad", ["99", "74.05", "Sultra"])
def test_an_unknown_province_scope_is_a_user_error(bad: str) -> None:
    with pytest.raises(CakupanError, match="unknown province code"):
        resolve(["Konsel"], province=bad)


@pytest.mark.unit
def test_to_dict_has_exactly_the_contract_keys() -> None:
    result = resolve_one("Maluku Tenggara Brat")
    assert result.to_dict() == {"input": "Maluku Tenggara Brat", "code": "81.03",
                                "name": "Kabupaten Kepulauan Tanimbar", "method": "fuzzy",
                                "score": round(result.score, 4)}
    assert resolve_one("Kupang").to_dict() == {"input": "Kupang", "code": None, "name": None,
                                               "method": "none", "score": 0.0}


@pytest.mark.unit
def test_resolve_keeps_order_and_repeats() -> None:
    names = ["Konsel", "Xyzzy", "Konsel", "Kupang", "Xyzzy"]
    results = resolve(names)
    assert [r.input for r in results] == names
    assert unmatched(results) == ["Xyzzy", "Kupang"]


# --- the alias table --------------------------------------------------------------------

@pytest.mark.data
def test_alias_table_is_sound() -> None:
    report = alias_report()
    assert report.unknown_codes == []
    assert report.duplicates == []
    assert report.collisions == []
    assert report.redundant == []
    assert report.ok


@pytest.mark.data
def test_alias_table_rows_have_a_kind_and_a_note() -> None:
    rows = load_aliases()
    assert len(rows) >= 50
    assert {a.kind for a in rows} == {"abbreviation", "former_name", "variant"}
    assert all(len(a.note) > 10 for a in rows)


@pytest.mark.data
def test_every_alias_resolves_to_its_own_code_through_the_alias_step() -> None:
    wrong = [(a.alias, a.code, r.code, r.method) for a in load_aliases()
             for r in [resolve_one(a.alias)] if (r.code, r.method, r.alias) != (a.code, "alias",
                                                                                 a.alias)]
    assert wrong == []


@pytest.mark.data
def test_aliases_used_and_unused_by_a_batch() -> None:
    results = resolve(["Konsel", "kab. konsel", "MBD", "Kota Kendari", "Xyzzy"])
    report = alias_report(results)
    assert "Konsel" not in report.unused and "MBD" not in report.unused
    assert "KKT" in report.unused
    assert len(report.unused) == len(load_aliases()) - 2


@pytest.mark.unit
def test_alias_report_finds_each_kind_of_problem() -> None:
    rows = [
        Alias("Konsel", "74.05", "abbreviation", "fine"),
        Alias("KONSEL", "74.05", "abbreviation", "duplicate of the row above"),
        Alias("Nowhere", "74.99", "variant", "unknown code"),
        Alias("Kendari", "74.02", "former_name", "collides with Kota Kendari's official name"),
        Alias("Bau-Bau", "74.72", "variant", "equals its own official name"),
    ]
    report = alias_report(aliases=rows)
    assert report.duplicates == ["konsel"]
    assert report.unknown_codes == ["Nowhere -> 74.99"]
    assert report.collisions == ["Kendari (74.02) = official name of 74.71"]
    assert report.redundant == ["Bau-Bau"]
    assert not report.ok


@pytest.mark.unit
def test_load_aliases_says_what_it_expected(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("alias,code\nKonsel,74.05\n", encoding="utf-8")
    with pytest.raises(CakupanError, match=r"lacks columns \['kind', 'note'\]"):
        load_aliases(path)
    path.write_text("alias,code,kind,note\nKonsel,74.05,nickname,x\n", encoding="utf-8")
    with pytest.raises(CakupanError, match=r"rows \[\(2, 'nickname'\)\]"):
        load_aliases(path)


@pytest.mark.unit
def test_resolution_is_frozen() -> None:
    result: Resolution = resolve_one("Konsel")
    with pytest.raises(AttributeError):
        result.code = "74.01"  # type: ignore[misc]


# --- command line -------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cakupan", "regions", "resolve", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.unit
def test_cli_json_shape() -> None:
    proc = _cli("--json", "Konsel", "Kota Baubau", "Xyzzy")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    payload = json.loads(proc.stdout)
    assert payload == [
        {"input": "Konsel", "code": "74.05", "name": "Kabupaten Konawe Selatan",
         "method": "alias", "score": 1.0},
        {"input": "Kota Baubau", "code": "74.72", "name": "Kota Bau Bau",
         "method": "exact", "score": 1.0},
        {"input": "Xyzzy", "code": None, "name": None, "method": "none", "score": 0.0},
    ]


@pytest.mark.unit
def test_cli_text_table_and_province_scope() -> None:
    proc = _cli("--province", "53", "Mabar", "Konsel", "Kupang")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["input", "code", "name", "method", "score"]
    assert lines[1].split()[:2] == ["Mabar", "53.15"]
    assert "? 53.01 / 53.71" in lines[3]
    assert lines[-1] == "2 of 3 not resolved: Konsel, Kupang"


@pytest.mark.unit
def test_cli_bad_province_is_one_line_on_stderr_and_exit_1() -> None:
    proc = _cli("--json", "--province", "99", "Konsel")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "unknown province code '99'" in proc.stderr
    # --json: stdout still holds exactly one JSON object, the same line (CONTRACTS.md)
    assert json.loads(proc.stdout) == {"error": proc.stderr.strip().removeprefix("error: "),
                                       "kind": "error"}
