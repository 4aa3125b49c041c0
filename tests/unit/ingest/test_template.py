"""The downloadable template imports back to the published Sultra October 2018 figures."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from cakupan.ingest import parse_file
from cakupan.ingest.template import template_csv, template_xlsx

pytestmark = pytest.mark.unit

# Zonasultra, 4 October 2018 (the Sultra source article): non-ASN registered by region.
PUBLISHED = {("74", "pemprov"): 977, ("74.71", "region"): 1135, ("74.06", "region"): 1285,
             ("74.02", "region"): 3301, ("74.05", "region"): 202, ("74.01", "region"): 295,
             ("74.11", "region"): 236, ("74.07", "region"): 0}


@pytest.mark.parametrize(("data", "name"), [(template_csv(), "template.csv"),
                                            (template_xlsx(), "template.xlsx")])
def test_template_imports_back(data: bytes, name: str) -> None:
    result = parse_file(data, name)
    assert result.errors == [] and result.ignored_columns == []
    obs = result.observations
    assert {(r.region_code, r.scope): r.registered for r in obs.itertuples()} == PUBLISHED
    assert set(obs["period"]) == {"2018-10"}
    assert set(obs["segment"]) == {"non_asn"} and set(obs["programme"]) == {"any"}
    # 977 + the regencies = the 7,431 the article gives for the province.
    assert int(obs["registered"].sum()) == 7431


def test_xlsx_has_data_first_then_instructions() -> None:
    book = load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["Data", "Petunjuk"]
    texts = [c for row in book["Petunjuk"].iter_rows(values_only=True) for c in row if c]
    assert any(t == "Periode" for t in texts) and any("Non ASN" in t for t in texts)


def test_csv_is_semicolon_utf8_with_bom() -> None:
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbfKode;Kabupaten/Kota;Periode;")
