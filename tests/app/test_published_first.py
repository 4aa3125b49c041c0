"""Published first (issue 12, item 6): the overview's headline and the national map lead with
published figures, with their own dates; illustrative values only where nothing is published.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cakupan import regions, store
from cakupan.core.access import SYSTEM
from tests.app.test_pages import assert_clean, open_page
from tests.conftest import ROOT

pytestmark = pytest.mark.app

#: BPJS Ketenagakerjaan Maluku's figure for 31 December 2024 (TribunAmbon, 1 July 2025).
MALUKU_2024 = {"period": "2024-12", "region_code": "81", "scope": "region", "segment": "all",
               "programme": "any", "registered": 191_618, "eligible": None,
               "coverage_pct": 39.45, "illustrative": False,
               "source_id": "test-tribunambon-2025-07-01",
               "note": "UCJ coverage as at 2024-12-31 (workers outside ASN/TNI/Polri)."}
SOURCE = {"id": "test-tribunambon-2025-07-01", "kind": "article",
          "publisher": "BPJS Ketenagakerjaan", "title": "Pemerintah target 300 ribuan pekerja",
          "url": "https://ambon.tribunnews.com/2025/07/01/", "published": "2025-07-01"}


@pytest.fixture()
def store_with_maluku_2024(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A store of its own (the shared one stays as the other tests expect it), seeded, with
    the published Maluku figure of December 2024 written as a published batch."""
    url = f"sqlite:///{tmp_path / 'published.sqlite'}"
    monkeypatch.setenv("CAKUPAN_DATABASE_URL", url)
    engine = store.get_engine(url)
    store.write_batch(engine, pd.DataFrame([MALUKU_2024]), file_name="test-published",
                      sha256="test-maluku-2024-12", actor=SYSTEM, kind="seed_published",
                      source=SOURCE)
    yield url
    store.clear_engines()


def test_overview_headline_is_the_published_maluku_figure_with_its_date(
        geo_ready, store_with_maluku_2024: str) -> None:
    at = open_page("ringkasan", region="81", segment="all")  # no period: the latest month
    assert_clean(at)
    headline = at.subheader[0].value
    assert headline.startswith("Maluku: 39,45% pada 31 Des 2024 (BPJS Ketenagakerjaan)"), \
        headline
    figures = {m.label: m.value for m in at.metric}
    assert figures["Peserta terdaftar"] == "191.618"
    assert figures["Cakupan"] == "39,5%"
    assert "393.475" not in {m.value for m in at.metric}  # the illustrative count is gone
    # No period in the URL: the overview shows the latest month with a published figure for
    # Maluku (not the store's last month, which may hold only other regions' figures).
    from cakupan.analysis import published
    from cakupan.present import fmt

    engine = store.get_engine(store_with_maluku_2024)
    month = published.latest_period(store.published_observations(engine, segment="all"),
                                    "all", ["81", *regions.regencies("81")["code"]])
    assert fmt.month(month, "id", "long") in at.caption[0].value
    assert "period" not in at.query_params


def test_national_map_colours_provinces_from_published_figures(geo_ready) -> None:
    """December 2024, coverage: every province with a published figure within 12 months is
    painted with it (its own date in the tooltip), the others say nothing is published."""
    import json

    from cakupan.analysis import published
    from cakupan.core import settings
    from cakupan.present import mapview

    engine = store.get_engine(settings.database_url())
    pub = store.published_observations(engine, segment="all")
    provinces = list(regions.provinces()["code"])
    figures = published.nearest_by_region(pub, provinces, segment="all", period="2024-12")
    assert len(figures) >= 2 and (figures["months_away"] != 0).any()  # some borrowed
    own = set(pub.loc[(pub["period"] == "2024-12") & (pub["region_code"].str.len() > 2),
                      "region_code"])

    at = open_page("peta", segment="all", period="2024-12", metric="coverage")
    assert_clean(at)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    trace = next(d for d in fig["data"] if d["type"] == "choroplethmap")
    z = dict(zip(trace["locations"], trace["z"], strict=True))
    hover = dict(zip(trace["locations"], (c[-1] for c in trace["customdata"]), strict=True))
    for row in figures[figures["coverage_pct"].notna()].to_dict("records"):
        codes = [c for c in regions.regencies(row["region_code"])["code"] if c not in own]
        assert {z[c] for c in codes} == {min(max(row["coverage_pct"], 0.0), 100.0)}, row
        date = mapview.figure_date(row["as_of"], "id")
        assert all(f"pada {date}" in hover[c] for c in codes), row
        assert all(("terdekat dalam 12 bulan" in hover[c]) == (row["months_away"] != 0)
                   for c in codes), row
    illustrated = {"81", "74", "53"}  # the panel's regency provinces
    bare = [p for p in provinces if p not in set(figures["region_code"]) | illustrated]
    assert bare, "every province has a published figure: pick another month"
    assert {hover[c] for c in regions.regencies(bare[0])["code"]} == {"Belum ada angka terbit"}
    legend = [d["name"] for d in fig["data"] if d["type"] == "scattermap" and d.get("name")]
    assert "Belum ada angka terbit" in legend
    notices = [i.value for i in at.info]
    assert any("terdekat dalam 12 bulan" in n for n in notices), notices


KEMNAKER_SOURCE = {"id": "test-kemnaker-2023", "kind": "reference",
                   "publisher": "Kemnaker Satu Data", "title": "Peserta aktif 2023",
                   "url": "https://satudata.kemnaker.go.id/", "published": "2024-02-29"}


@pytest.fixture()
def store_with_kemnaker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A store of its own with Kemnaker's 2023 totals for Maluku and old Papua."""
    url = f"sqlite:///{tmp_path / 'kemnaker.sqlite'}"
    monkeypatch.setenv("CAKUPAN_DATABASE_URL", url)
    engine = store.get_engine(url)
    measures = pd.DataFrame([
        {"measure": "kemnaker_active_participants", "period": "2023", "region_code": key,
         "segment": "all", "value": value, "unit": "people",
         "source_id": "test-kemnaker-2023"}
        for key, value in (("81", 205_297), ("91~pra2022", 650_000))])
    store.write_batch(engine, pd.DataFrame([MALUKU_2024]), file_name="test-kemnaker",
                      sha256="test-kemnaker-2023", actor=SYSTEM, kind="seed_published",
                      source=[SOURCE, KEMNAKER_SOURCE], measures=measures)
    yield url
    store.clear_engines()


def test_kemnaker_metric_draws_2023_extents_as_counts(geo_ready, store_with_kemnaker) -> None:
    import json

    at = open_page("peta", metric="kemnaker_active")
    assert_clean(at)
    assert at.query_params["metric"] in ("kemnaker_active", ["kemnaker_active"])
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    trace = next(d for d in fig["data"] if d["type"] == "choroplethmap")
    z = dict(zip(trace["locations"], trace["z"], strict=True))
    papua = [c for c in trace["locations"] if c[:2] in ("91", "93", "94", "95")]
    successors = regions.old_extent("91~pra2022").successors
    assert len(papua) == sum(len(regions.regencies(p)) for p in successors)
    assert {z[c] for c in papua} == {650_000}  # one old extent, all four of today's provinces
    assert {z[c] for c in trace["locations"] if c.startswith("81.")} == {205_297}
    assert trace["marker"]["line"]["width"] == 0  # extents, not regency outlines
    assert "Kemnaker" in fig["layout"]["legend"]["title"]["text"]
    hover = dict(zip(trace["locations"], (c[-1] for c in trace["customdata"]), strict=True))
    assert "Papua Pegunungan" in hover[papua[0]] and "bukan cakupan UCJ" in hover[papua[0]]
    assert any("Ukuran lain dari cakupan UCJ" in i.value for i in at.info)


def test_map_opens_on_the_latest_month_with_a_published_figure_unless_the_url_says(
        geo_ready) -> None:
    from cakupan.analysis import published
    from cakupan.core import settings

    engine = store.get_engine(settings.database_url())
    codes = ["74", *regions.regencies("74")["code"]]
    expected = published.latest_period(store.published_observations(engine, segment="non_asn"),
                                       "non_asn", codes)
    assert expected is not None and expected < store.periods(engine, "non_asn")[-1]
    at = open_page("peta", region="74", segment="non_asn", metric="status")
    assert_clean(at)
    assert at.query_params["period"] in (expected, [expected])  # Sultra's published month
    at = open_page("peta", region="74", segment="non_asn", metric="status", period="2020-01")
    assert_clean(at)
    assert at.query_params["period"] in ("2020-01", ["2020-01"])  # the URL's month wins


def test_briefing_first_slide_says_the_published_figure_and_its_date(
        geo_ready, store_with_maluku_2024: str) -> None:
    from ui.render import md_escape

    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.query_params["mode"] = "briefing"
    at.query_params["region"] = "81"  # no period: the latest month with a published figure
    at.run()
    assert_clean(at)
    assert at.title[0].value.startswith(md_escape(
        "Maluku: 39,45% pada 31 Des 2024 (BPJS Ketenagakerjaan)")), at.title[0].value
    from cakupan.analysis import published
    from cakupan.present import fmt

    engine = store.get_engine(store_with_maluku_2024)
    month = published.latest_period(store.published_observations(engine, segment="all"),
                                    "all", ["81", *regions.regencies("81")["code"]])
    head = next(m.value for m in at.markdown if m.value.startswith("Cakupan dan target"))
    assert f"Maluku · {fmt.month(month, 'id')} ·" in head  # the deck's month is that month
