"""The cached region loaders of ``cakupan.regions``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cakupan import regions
from cakupan.core.errors import CakupanError

pytestmark = pytest.mark.unit


def test_load_regions_has_every_row_with_declared_dtypes() -> None:
    frame = regions.load_regions()
    assert len(frame) == 38 + 514
    assert list(frame.columns) == list(regions.COLUMNS)
    assert frame["villages"].dtype == "int64"
    assert pd.api.types.is_string_dtype(frame["code"])
    assert list(frame.index) == list(range(len(frame)))


def test_load_regions_returns_a_copy_callers_cannot_spoil() -> None:
    first = regions.load_regions()
    first.loc[0, "name"] = "spoiled"
    first["extra"] = 1
    again = regions.load_regions()
    assert again.loc[0, "name"] != "spoiled"
    assert "extra" not in again.columns


def test_provinces_and_regencies_split_by_level() -> None:
    provs, regs = regions.provinces(), regions.regencies()
    assert len(provs) == 38 and set(provs["level"]) == {"province"}
    assert len(regs) == 514 and set(regs["level"]) == {"regency"}
    assert provs["code"].str.fullmatch(r"\d\d").all()
    assert regs["code"].str.fullmatch(r"\d\d\.\d\d").all()


def test_regencies_of_one_province() -> None:
    sultra = regions.regencies("74")
    # Sulawesi Tenggara: 15 kabupaten and the two kota Kendari and Bau Bau.
    assert len(sultra) == 17
    assert set(sultra["province_code"]) == {"74"}
    assert {"74.71", "74.72"} <= set(sultra["code"])
    assert sorted(sultra["code"]) == list(sultra["code"])


@pytest.mark.parametrize("bad", ["9", "74.05", "Sultra", ""])
def test_regencies_refuses_a_code_that_is_not_a_province(bad: str) -> None:
    with pytest.raises(CakupanError, match="province code"):
        regions.regencies(bad)


def test_get_returns_a_frozen_region() -> None:
    region = regions.get("74.05")
    assert region.name == "Kabupaten Konawe Selatan"
    assert region.short_name == "Konawe Selatan"
    assert (region.level, region.kind, region.province_code) == ("regency", "kabupaten", "74")
    assert region.villages == region.desa + region.kelurahan
    with pytest.raises(AttributeError):
        region.name = "x"  # type: ignore[misc]


def test_get_names_the_expected_form_for_an_unknown_code() -> None:
    with pytest.raises(CakupanError, match=r"'74\.99'.*'74\.05'"):
        regions.get("74.99")
    with pytest.raises(CakupanError, match="unknown region code 7405"):
        regions.get(7405)  # type: ignore[arg-type]
    assert regions.get(" 74.05 ").code == "74.05"  # stray spaces from a form are forgiven


@pytest.mark.parametrize(("code", "valid"), [
    ("74", True), ("74.05", True), ("81.03", True), ("53.71", True),
    ("74.99", False), ("7405", False), ("74.5", False), ("", False), (74, False), (None, False),
])
def test_is_valid_code(code: object, valid: bool) -> None:
    assert regions.is_valid_code(code) is valid


def test_name_of_official_and_short() -> None:
    assert regions.name_of("74.71") == "Kota Kendari"
    assert regions.name_of("74.71", short=True) == "Kendari"
    assert regions.name_of("74") == regions.name_of("74", short=True) == "Sulawesi Tenggara"
    # Jakarta's cities carry "Administrasi" in the official name but not in the short one.
    assert regions.name_of("31.71", short=True) == "Jakarta Pusat"


def test_province_of() -> None:
    assert regions.province_of("81.03") == "81"
    assert regions.province_of("81") == "81"
    with pytest.raises(CakupanError):
        regions.province_of("00")


def test_a_province_has_the_villages_of_its_regencies() -> None:
    for prov in ("53", "74", "81"):
        assert regions.villages_of(prov) == int(regions.regencies(prov)["villages"].sum())


def test_kota_have_kelurahan_and_kind_follows_the_name() -> None:
    regs = regions.regencies()
    assert (regs["kind"] == "kota").sum() == 98
    assert (regs["name"].str.startswith("Kota ") == (regs["kind"] == "kota")).all()
    assert regions.get("53.71").kind == "kota" and regions.get("53.01").kind == "kabupaten"


def test_read_regions_says_which_columns_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n74,Sulawesi Tenggara\n", encoding="utf-8")
    with pytest.raises(CakupanError, match=r"lacks columns \['level', 'kind'"):
        regions.read_regions(path)


def test_read_regions_refuses_non_integer_counts(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    header = ",".join(regions.COLUMNS)
    path.write_text(f"{header}\n74,province,provinsi,S,S,74,many,0,0\n", encoding="utf-8")
    with pytest.raises(CakupanError, match="integers"):
        regions.read_regions(path)


def test_read_regions_refuses_duplicate_codes(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    row = "74,province,provinsi,S,S,74,1,0,1"
    path.write_text(f"{','.join(regions.COLUMNS)}\n{row}\n{row}\n", encoding="utf-8")
    with pytest.raises(CakupanError, match=r"duplicate codes \['74'\]"):
        regions.read_regions(path)
