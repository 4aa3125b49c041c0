"""Village names within a regency: local village words, namesakes, uncertain means no code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cakupan.core.errors import CakupanError
from cakupan.regions import villages
from cakupan.regions.village_names import check_scope, readings, resolve_village, resolve_villages


def codes(names: list[str], regency: str, district: str | None = None) -> list[str | None]:
    return [r.code for r in resolve_villages(names, regency, district)]


def test_official_names_and_local_village_words() -> None:
    assert codes(["Wowonda", "Desa Wowonda", "Ds. Wowonda", "Ohoi Wowonda", "kampung wowonda",
                  "Olilit Raya"], "81.03") == ["81.03.01.2002"] * 5 + ["81.03.01.2007"]


def test_a_village_word_that_is_part_of_the_official_name() -> None:
    # Ambon's "Negeri Lama" is the village's own name; "Lama" alone is no village there
    assert codes(["Negeri Lama", "Negeri Negeri Lama", "Lama"], "81.71") == [
        "81.71.03.2004", "81.71.03.2004", None]


def test_namesakes_are_told_apart_by_the_village_word_or_not_at_all() -> None:
    # Nusaniwe (Ambon) is both a kelurahan (1006) and a negeri (desa, 2003) in one district
    bare = resolve_village("Nusaniwe", "81.71")
    assert bare.code is None and bare.candidates == ("81.71.01.1006", "81.71.01.2003")
    assert codes(["Kel. Nusaniwe", "Kelurahan Nusaniwe", "Negeri Nusaniwe"], "81.71") == [
        "81.71.01.1006", "81.71.01.1006", "81.71.01.2003"]


def test_fuzzy_only_when_sure() -> None:
    found = resolve_village("Saumlaky Utara", "81.03")
    assert (found.code, found.method) == ("81.03.01.1002", "fuzzy")
    assert 0.86 <= found.score < 1
    # "Saumlaki" vs "Saumlaki Utara": the short one is exact, a typo of it is unsure
    assert codes(["Saumlaki", "Olilit", "Xyzzy", ""], "81.03") == ["81.03.01.1001", None, None,
                                                                   None]


def test_scope_is_a_constraint() -> None:
    # Wowonda is in Tanimbar (81.03), not in Kota Ambon
    assert codes(["Wowonda"], "81.71") == [None]
    assert codes(["Wowonda"], "81.03", "81.03.02") == [None]
    assert codes(["Wowonda"], "81.03", "Kec. Tanimbar Selatan") == ["81.03.01.2002"]
    assert check_scope("81.03", "01") == ("81.03", "81.03.01")
    with pytest.raises(CakupanError, match="unknown regency"):
        check_scope("81")
    with pytest.raises(CakupanError, match="unknown district"):
        check_scope("81.03", "Atlantis")


def test_readings_strip_one_leading_village_word() -> None:
    assert readings("Gampong Lamreung") == [(None, "gampónglamreung".replace("ó", "o")),
                                            ("desa", "lamreung")]
    assert readings("Desa") == [(None, "desa")]


def test_reference_lookups() -> None:
    v = villages.village("81.71.03.2004")
    assert (v.name, v.kind, v.district_name, v.is_desa) == ("Negeri Lama", "desa", "Baguala", True)
    assert villages.is_village_code("81.03.01.2002") and not villages.is_village_code("81.03")
    assert villages.is_district_code("81.03.18") and not villages.is_district_code("81.03.99")
    assert len(villages.villages_of("81.03")) == 82
    assert list(villages.districts_of("81.03")["code"])[-1] == "81.03.18"
    with pytest.raises(CakupanError, match=r"PP\.RR\.KK\.DDDD"):
        villages.village("81.03.01")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cakupan", "regions", "resolve", *args],
                          cwd=Path(__file__).resolve().parents[3], capture_output=True,
                          text=True, timeout=60, check=False)


def test_cli_regency_json_same_shape_as_regions() -> None:
    proc = _cli("--json", "--regency", "81.71", "Negeri Lama", "Kel. Nusaniwe", "Nusaniwe")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [
        {"input": "Negeri Lama", "code": "81.71.03.2004", "name": "Negeri Lama",
         "method": "exact", "score": 1.0},
        {"input": "Kel. Nusaniwe", "code": "81.71.01.1006", "name": "Nusaniwe",
         "method": "exact", "score": 1.0},
        {"input": "Nusaniwe", "code": None, "name": None, "method": "none", "score": 0.0},
    ]


def test_cli_bad_regency_exit_1() -> None:
    proc = _cli("--regency", "99.99", "X")
    assert proc.returncode == 1 and "unknown regency code '99.99'" in proc.stderr
