"""AppTest: ``/peta?region=81.03&level=desa`` shows Kepulauan Tanimbar village by village --
one shape per village, district outlines, the published 80 desa, the Inpres 4/2022 gap and
its yearly cost -- and keeps ``level=desa`` in the URL."""

from __future__ import annotations

import json

import pytest

from tests.app.test_access_pages import editor81  # noqa: F401  (fixture)
from tests.app.test_pages import assert_clean, open_page

pytestmark = pytest.mark.app


def _spec(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_tanimbar_villages_from_the_url(geo_ready) -> None:
    at = open_page("peta", region="81.03", segment="aparatur_desa", period="2024-11",
                   level="desa")
    assert_clean(at)
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["level"] == "desa" and params["region"] == "81.03"
    spec = _spec(at)
    trace = spec["data"][0]
    assert trace["type"] == "choroplethmap"
    assert len(trace["locations"]) == 82 and len(set(trace["locations"])) == 82
    assert spec["layout"]["map"]["layers"][0]["type"] == "line"  # district outlines
    # the three villages under 1 km2 (Romnus among them) also get a dot, to be found at all
    dots = [d for d in spec["data"] if d.get("mode") == "markers" and d.get("customdata")]
    assert len(dots) == 1 and len(dots[0]["customdata"]) == 3
    assert any("Romnus" in row[0] for row in dots[0]["customdata"])
    text = " ".join(m.value for m in at.markdown)
    # the published count: 80 desa registered their aparatur desa in Nov 2024
    assert "80 dari 80 desa sudah mendaftarkan aparatur desanya" in text
    tips = [row[-1] for row in trace["customdata"]]
    saumlaki = tips[trace["locations"].index("81.03.01.1001")]
    assert "Kelurahan" in saumlaki and "tanpa Dana Desa" in saumlaki
    wowonda = tips[trace["locations"].index("81.03.01.2002")]
    assert "Aparatur desa terdaftar: 7 orang dari 7 orang (Nov 2024)" in wowonda
    assert "Ilustrasi" in wowonda
    frames = [f.value for f in at.dataframe]
    total = frames[0].iloc[-1]
    assert total["Desa"] == 80
    assert int(total["Biaya per tahun (Rp)"]) > 0


def test_before_any_worker_the_gap_is_rp20_160_000_per_desa(geo_ready) -> None:
    at = open_page("peta", region="81.03", segment="pekerja_rentan", period="2023-03",
                   level="desa", lang="en")
    assert_clean(at)
    total = at.dataframe[0].value.iloc[-1]
    assert int(total["Short of the Inpres 4/2022 quota (people)"]) == 8_000
    assert int(total["Cost per year (Rp)"]) == 80 * 20_160_000
    text = " ".join(m.value for m in at.markdown)
    assert "80 desa have not started Inpres 4/2022" in text


def test_level_desa_without_a_regency_asks_for_one() -> None:
    at = open_page("peta", region="81", level="desa")
    assert_clean(at)
    assert any("Pilih kabupaten/kota" in i.value for i in at.info)


def test_briefing_link_with_level_desa_adds_the_village_slide(geo_ready) -> None:
    at = open_page("briefing", region="81.03", period="2024-11", segment="all", level="desa",
                   slide="6")
    assert_clean(at)
    assert at.title[0].value.startswith("80 dari 80 desa sudah mendaftarkan aparatur desanya")


def test_published_counts_of_villages_are_shown_at_regency_level(geo_ready) -> None:
    at = open_page("peta", region="81.05", segment="aparatur_desa", period="2024-09",
                   level="desa")
    assert_clean(at)
    captions = " ".join(c.value for c in at.caption)
    # counts of villages as published (Markdown-escaped on the page), with their dates
    assert "Desa terdaftar: 194 \\(2024\\-09\\-11; Beritabeta" in captions
    assert "Jumlah desa: 198 \\(2024\\-09\\-11" in captions


@pytest.mark.usefixtures("editor81")
def test_kelola_offers_an_editor_village_rows_for_their_regencies_only(geo_ready) -> None:
    at = open_page("kelola")
    assert_clean(at)
    box = at.selectbox(key="village_upload.regency")
    assert box.options and all(o.startswith("Kabupaten") or o.startswith("Kota")
                               for o in box.options)
    assert len(box.options) == 11  # Maluku's 11 regencies and cities, nothing else
    assert at.selectbox(key="village_upload.segment").options == ["Aparatur desa",
                                                                  "Pekerja rentan"]


def test_the_month_slider_moves_the_village_view(geo_ready) -> None:
    at = open_page("peta", region="81.03", segment="pekerja_rentan", period="2024-12",
                   level="desa")
    assert_clean(at)
    before = at.dataframe[0].value.iloc[-1]["Biaya per tahun (Rp)"]
    at.select_slider(key="cakupan.period").set_value("2023-03").run()
    assert_clean(at)
    after = at.dataframe[0].value.iloc[-1]["Biaya per tahun (Rp)"]
    assert int(after) == 80 * 20_160_000 and int(before) < int(after)


def test_outside_the_mirror_one_line_says_how_and_the_table_stays(geo_ready) -> None:
    at = open_page("peta", region="11.01", level="desa", lang="en")
    assert_clean(at)
    notes = [i.value for i in at.info]
    assert any("geo villages --regency 11.01" in n and "\n" not in n for n in notes)
    assert not at.get("plotly_chart")
    total = at.dataframe[0].value.iloc[-1]
    assert total["Villages"] == 260 and total["Desa"] == 260
