"""AppTest over every page registered in router.py, in both languages, plus URL round trips.

Each test checks a value a person would read (a title, a metric, a count), not merely that
the script ran. Warm run times are measured by ``python -m cakupan bench``, not here.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.shell import PAGES

pytestmark = pytest.mark.app

#: The public view pages: their tables (and the DataFrame front-end chunk) wait for a click.
PUBLIC_VIEWS = ("ringkasan", "peta", "tren", "wilayah", "sumber")


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGES[page][0])
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_runs_in_both_languages(geo_ready, page: str, lang: str) -> None:
    at = open_page(page, lang=lang)
    assert_clean(at)
    assert at.query_params["lang"] == [lang] or at.query_params["lang"] == lang
    assert not at.get("code")  # a code block loads the 1.5 MB syntax highlighter chunk
    if page in PUBLIC_VIEWS:
        assert not at.dataframe  # tables wait for their "Show table" toggle


def test_overview_headline_maluku_against_target(geo_ready) -> None:
    at = open_page("ringkasan", region="81", segment="all", period="2024-11")
    assert_clean(at)
    headline = at.subheader[0].value
    assert headline.startswith("Maluku: 40% pada Nov 2024 (ANTARA News Ambon)")
    assert "55%" in headline
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cakupan"] == "40,0%"


def test_sultra_october_2018_map_counts_eleven_unregistered(geo_ready) -> None:
    at = open_page("peta", region="74", segment="non_asn", period="2018-10", metric="status")
    assert_clean(at)
    counts = {m.label: m.value for m in at.metric}
    assert counts["✗ Belum terdaftar"] == "11"
    assert counts["✓ Terdaftar"] == "6"
    chart = at.get("plotly_chart")[0]
    import json

    spec = json.loads(chart.proto.spec)
    choropleth = spec["data"][0]
    assert choropleth["type"] == "choroplethmap"
    assert len(choropleth["locations"]) == 17  # every regency/city of Sulawesi Tenggara


@pytest.mark.parametrize("served", [False, True])
def test_the_map_names_its_geometry_by_url_when_the_app_serves_it(geo_ready, monkeypatch,
                                                                  served: bool) -> None:
    """Under ``streamlit run app.py`` the map is the SVG renderer, given values only and the
    /geo/ file's URL (no plotly figure on the page); without the app's /geo/ route
    (``streamlit run router.py``) it is the plotly figure carrying its geometry, so it still
    draws."""
    import json

    from cakupan import geo
    from cakupan.present import svgmap
    from ui import http_assets, svg_map

    monkeypatch.setattr(http_assets, "_serving", served)
    at = open_page("peta", region="81", segment="all", metric="status")
    assert_clean(at)
    if served:
        assert not at.get("plotly_chart")
        (component,) = [c for c in at.get("bidi_component")
                        if c.proto.component_name == svg_map.NAME]
        data = json.loads(component.proto.json)
        assert data["url"] == "/geo/" + geo.asset_name("81")
        assert len(data["codes"]) == 11 and data["select"] is True
        assert '"coordinates"' not in component.proto.json
        assert all(tip for _fill, tip in svgmap.expand(data).values())
    else:
        trace = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
        assert len(trace["locations"]) == 11
        assert len(trace["geojson"]["features"]) == 11
        assert "Kabupaten Maluku Tengah" in {row[0] for row in trace["customdata"]}


def test_trend_shows_maluku_target_of_55_percent(geo_ready) -> None:
    at = open_page("tren", region="81", segment="all", lang="en")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Target"] == "55%"


def test_profile_deep_link_opens_the_regency(geo_ready) -> None:
    at = open_page("wilayah", region="81.03")
    assert_clean(at)
    assert at.title[0].value == "Kabupaten Kepulauan Tanimbar"
    values = {m.label: m.value for m in at.metric}
    assert values["Kuota Inpres 4/2022"] == "8.000 orang"  # 80 desa x 100 (not kelurahan)


def test_sources_page_lists_every_source() -> None:
    from cakupan import store

    at = open_page("sumber", lang="en")
    assert_clean(at)
    at.toggle(key="show_table.sumber.sources").set_value(True).run()
    assert len(at.dataframe[0].value) == len(store.sources(store.get_engine()))


def test_url_round_trip_keeps_the_view(geo_ready) -> None:
    params = {"region": "74", "segment": "non_asn", "programme": "any", "period": "2018-10",
              "metric": "coverage", "lang": "en"}
    at = open_page("peta", **params)
    assert_clean(at)
    assert {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()} \
        == params


def test_bad_parameters_fall_back_with_a_notice(geo_ready) -> None:
    at = open_page("peta", region="99.99", segment="nope", period="2018-13", metric="x")
    assert_clean(at)
    qp = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert "region" not in qp and qp["segment"] == "all" and qp["metric"] == "status"
    assert qp["period"] == "2024-12"  # the slider shows (and pins) the latest month
    assert len(at.toast) == 4  # one gentle notice per bad parameter


def test_map_page_without_boundaries_says_how_to_get_them(tmp_path, monkeypatch) -> None:
    from cakupan import geo

    monkeypatch.setenv("CAKUPAN_GEO_MIRROR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(tmp_path / "cache"))
    geo.clear_memory()
    try:
        at = open_page("peta", region="74", segment="non_asn", period="2018-10")
        assert_clean(at)
        notes = " ".join(i.value for i in at.info)
        assert "Peta tidak tersedia" in notes and "CAKUPAN_GEO_MIRROR" in notes
        counts = {m.label: m.value for m in at.metric}
        assert counts["✗ Belum terdaftar"] == "11"  # everything but the map still works
    finally:
        geo.clear_memory()


def test_mode_briefing_on_any_page_opens_the_briefing(geo_ready) -> None:
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    for key, value in {"mode": "briefing", "region": "81", "period": "2024-11"}.items():
        at.query_params[key] = value
    at.run()
    assert_clean(at)
    from ui.render import md_escape  # the title is Markdown: its brackets come escaped

    assert at.title[0].value == md_escape(
        "Maluku: 40% pada Nov 2024 (ANTARA News Ambon) — target 55% Desember 2024: kurang 15 poin")


def test_map_3d_view_adds_columns_of_unprotected_workers(geo_ready) -> None:
    import json

    at = open_page("peta", region="81", segment="all")
    at.toggle(key="columns3d").set_value(True).run()
    assert_clean(at)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["@@type"]: layer for layer in deck["layers"]}
    assert set(layers) >= {"GeoJsonLayer", "ColumnLayer"}
    assert len(layers["GeoJsonLayer"]["data"]["features"]) == 11  # Maluku's regencies
    assert "mapStyle" not in deck or not deck.get("mapStyle", "").startswith("http")


def test_sidebar_choices_write_the_url_and_latest_means_no_period(geo_ready) -> None:
    at = open_page("ringkasan")
    period = at.sidebar.selectbox(key="cakupan.period")
    assert period.value == "latest"  # a real option, not an empty box
    period.set_value("2018-10").run()
    assert_clean(at)
    assert at.query_params["period"] in ("2018-10", ["2018-10"])
    at.sidebar.selectbox(key="cakupan.province").set_value("74").run()
    assert at.query_params["region"] in ("74", ["74"])
    assert at.subheader[0].value.startswith("Sulawesi Tenggara")
    at.sidebar.selectbox(key="cakupan.period").set_value("latest").run()
    assert "period" not in at.query_params


def test_copy_link_box_is_a_text_box_holding_the_view_url_and_ignores_edits(geo_ready) -> None:
    at = open_page("peta", region="74", segment="non_asn", period="2018-10", metric="status")
    assert_clean(at)
    assert not at.get("code")
    (box,) = at.sidebar.text_input
    assert box.label == "Tautan tampilan ini"
    expected = ("http://localhost:8501/peta?region=74&segment=non_asn&programme=any"
                "&period=2018-10&metric=status&lang=id")
    assert box.value == expected
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    box.set_value("http://localhost:8501/peta?region=81").run()  # a visitor types in it
    assert_clean(at)
    assert {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()} \
        == params  # the view did not change...
    assert at.sidebar.text_input[0].value == expected  # ...and the box shows the real link


def test_profile_tables_wait_for_their_toggles_downloads_do_not(geo_ready) -> None:
    at = open_page("wilayah", region="81.03", lang="en")
    assert_clean(at)
    assert not at.dataframe
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel (XLSX)"]  # no click needed for files
    keys = [t.key for t in at.toggle if t.key.startswith("show_table.")]
    assert keys == ["show_table.wilayah", "show_table.wilayah.neighbours"]  # no programmes
    for shown, key in enumerate(keys, start=1):
        at.toggle(key=key).set_value(True).run()
        assert_clean(at)
        assert len(at.dataframe) == shown  # each toggle opens its own table, others stay open
    segments = at.dataframe[0].value
    assert "Segment" in segments.columns and len(segments) >= 1


def test_profile_of_a_province_opens_its_furthest_behind_regency_in_the_url(geo_ready) -> None:
    """``/wilayah?region=81`` (where the sidebar's province choice leads) is never empty: the
    regency with the lowest coverage, its code in the URL, why it was chosen, and the others."""
    from urllib.parse import parse_qs

    from cakupan import regions, store
    from cakupan.analysis import furthest
    from cakupan.present import fmt

    engine = store.get_engine()
    codes = list(regions.regencies("81")["code"])
    expected = furthest.furthest_behind(
        store.current_observations(engine, segment="all", province="81"), codes, segment="all")
    first = expected.first
    assert first is not None and first.coverage_pct is not None

    at = open_page("wilayah", region="81", segment="all")
    assert_clean(at)
    assert at.title[0].value == regions.name_of(first.code)
    region = at.query_params["region"]
    assert (region[0] if isinstance(region, list) else region) == first.code
    assert len(first.code) == 5
    assert at.sidebar.selectbox(key="cakupan.regency").value == first.code
    (reason,) = (i.value for i in at.info if "cakupan terendah" in i.value)
    assert reason == (f"{regions.name_of(first.code)}: cakupan terendah di Maluku "
                      f"({fmt.pct(first.coverage_pct, 'id')}, {fmt.month(expected.period, 'id')})")
    others = [link.proto for link in at.get("page_link")  # the sidebar's own is disabled
              if link.proto.page == "wilayah" and not link.proto.disabled]
    linked = [parse_qs(p.query_string)["region"][0] for p in others]
    assert linked == [s.code for s in expected.standings[1:]]  # furthest behind first
    assert len(linked) == len(codes) - 1
    assert all(parse_qs(p.query_string)["segment"] == ["all"] for p in others)


def test_profile_of_a_province_keeps_the_view_and_says_so_in_english(geo_ready) -> None:
    at = open_page("wilayah", region="74", segment="non_asn", period="2018-10", lang="en")
    assert_clean(at)
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert len(params["region"]) == 5 and params["region"].startswith("74.")
    assert (params["segment"], params["period"], params["lang"]) == ("non_asn", "2018-10", "en")
    (reason,) = (i.value for i in at.info if "the lowest coverage in" in i.value)
    assert reason.endswith("Sulawesi Tenggara (0.0%, Oct 2018)")  # Oct 2018: 11 of 17 at zero
    at.sidebar.selectbox(key="cakupan.province").set_value("81").run()  # the sidebar leads here
    assert_clean(at)
    region = at.query_params["region"]
    assert (region[0] if isinstance(region, list) else region).startswith("81.")


def test_share_and_size_map_draws_circles_of_unprotected_workers_and_ranks_them(
        geo_ready) -> None:
    """``metric=share_size``: coverage as colour, a circle per regency with eligible and
    registered known, and "where to act first" under it, most unprotected first."""
    import json

    at = open_page("peta", region="81", segment="all", metric="share_size", lang="en")
    assert_clean(at)
    assert at.query_params["metric"] in (["share_size"], "share_size")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    map_spec, ranking = charts[0], charts[1]
    assert map_spec["data"][0]["type"] == "choroplethmap"
    circles = [t for t in map_spec["data"] if (t.get("meta") or {}).get("role") == "unprotected"]
    assert len(circles) == 1 and 1 <= len(circles[0]["lon"]) <= 11
    bars = ranking["data"][0]
    assert bars["meta"]["role"] == "act-first" and bars["x"] == sorted(bars["x"], reverse=True)
    assert any(s.value.startswith("Where to act first") for s in at.subheader)
    assert any(c.value.startswith("Most workers still unprotected: ") for c in at.caption)


def test_trend_of_a_province_formed_in_2022_marks_the_split_instead_of_a_jump(
        geo_ready) -> None:
    """Papua Selatan (93) formed in July 2022: its trend is broken there with a note that
    names the law; Maluku's, which no change touched, has no such mark."""
    import json

    at = open_page("tren", region="93", segment="all")
    assert_clean(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    shapes = [s for s in spec["layout"].get("shapes", []) if s.get("name", "").startswith(
        "break")]
    assert [s["name"] for s in shapes] == ["break 2022-07"]
    notes = [a["text"] for a in spec["layout"]["annotations"] if a.get("name") == "break"]
    assert notes == ["Dibentuk Jul 2022 dari Papua (UU 14, 15, 16/2022): angka sebelumnya "
                     "untuk wilayah yang kini provinsi ini"]
    maluku = json.loads(open_page("tren", region="81").get("plotly_chart")[0].proto.spec)
    assert not [s for s in maluku["layout"].get("shapes", [])
                if s.get("name", "").startswith("break")]


def test_trend_of_papua_shows_old_papua_figures_beside_its_successors(geo_ready) -> None:
    at = open_page("tren", region="94", segment="all", lang="en")
    assert_clean(at)
    assert any(s.value == "The area before the split" for s in at.subheader)
    caption = next(c.value for c in at.caption if c.value.startswith("Figures for Papua")
                   ).replace("\\", "")  # escaped as Markdown: shown as written
    assert "Papua (extent before the 2022 splits)" in caption
    assert "Papua Selatan" in caption and "Papua Pegunungan" in caption
    at.toggle(key="show_table.tren.old_extent").set_value(True).run()
    table = at.dataframe[0].value
    row = table[table["Measure"] == "Active participants (Kemnaker)"]
    assert "497,133" in row["Old extent"].tolist()  # old Papua, all segments, 2023
    assert row["Sum of successor provinces"].str.contains("of 4 provinces").all()
