"""AppTest: the map by gap to a named target's path and by UCJ category restore from the URL,
the legend says whose target a regency follows, and the talking points under the map and the
trend are the deck's own sentences."""

from __future__ import annotations

import json

import pytest

from cakupan import briefing, store
from cakupan.core import settings
from tests.app.test_pages import assert_clean, open_page
from ui.render import md_escape

pytestmark = pytest.mark.app

TARGET = "maluku-2024-all-55"


def _map_spec(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def _legend(spec: dict) -> tuple[str, list[str]]:
    return (spec["layout"]["legend"]["title"]["text"],
            [d["name"] for d in spec["data"][1:]])


def test_gap_link_restores_the_view_and_the_legend_names_the_province_target(geo_ready) -> None:
    at = open_page("peta", region="81", segment="all", period="2024-12", metric="gap",
                   target=TARGET)
    assert_clean(at)
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["metric"] == "gap" and params["target"] == TARGET
    assert params["period"] == "2024-12"
    assert at.selectbox(key="cakupan.target").value == TARGET
    assert at.sidebar.radio(key="cakupan.metric").value == "gap"
    spec = _map_spec(at)
    assert spec["data"][0]["type"] == "choroplethmap"
    assert len(spec["data"][0]["locations"]) == 11
    title, entries = _legend(spec)
    assert "Target BPJAMSOSTEK Maluku 2024: 55% pada Des 2024" in title
    # Maluku's regencies have no target of their own: they follow the province's.
    assert "11 kabupaten/kota tanpa target sendiri mengikuti target provinsi" in title
    assert entries == ["Sesuai jalur atau di depan", "Tertinggal kurang dari 5 poin",
                       "Tertinggal 5–10 poin", "Tertinggal lebih dari 10 poin",
                       "Tanpa jalur (tidak ada angka atau target)"]
    # Dec 2024 is the deadline: the path is the target and no month is left.
    tips = [row[-1] for row in spec["data"][0]["customdata"]]
    assert all("Jalur target Des 2024: 55,0%" in tip for tip in tips if "Cakupan" in tip)
    assert any("Mengikuti target provinsi: 55% (Des 2024)" in tip for tip in tips)


def test_gap_map_in_english_and_a_month_with_months_left_says_points_per_month(geo_ready
                                                                              ) -> None:
    at = open_page("peta", region="81", segment="all", period="2024-11", metric="gap",
                   target=TARGET, lang="en")
    assert_clean(at)
    title, entries = _legend(_map_spec(at))
    assert "follow the province target" in title
    assert entries[0] == "On track or ahead"
    tips = [row[-1] for row in _map_spec(at)["data"][0]["customdata"]]
    assert any("needs +" in tip and "points a month" in tip for tip in tips)


def test_an_unknown_target_falls_back_to_the_views_first_with_a_notice(geo_ready) -> None:
    at = open_page("peta", region="81", segment="all", metric="gap", target="no-such-target")
    assert_clean(at)
    assert at.selectbox(key="cakupan.target").value == TARGET
    assert [tst.value for tst in at.toast]  # the link's bad part is named, not echoed
    assert "no-such-target" not in " ".join(tst.value for tst in at.toast)


def test_ucj_category_map_names_its_thresholds_as_an_assumption(geo_ready) -> None:
    at = open_page("peta", region="81", segment="all", period="2024-12",
                   metric="ucj_category")
    assert_clean(at)
    title, entries = _legend(_map_spec(at))
    assert title == "Kategori UCJ (Universal Coverage Jamsostek) · ambang batas asumsi, bukan resmi"
    assert entries[:4] == ["Sangat rendah (0–25%)", "Rendah (25–50%)", "Sedang (50–75%)",
                           "Tinggi (75–100%)"]
    alt = next(c.value for c in at.caption if c.value.startswith("Peta Desember 2024, kategori"))
    counts = [int(w) for w in alt.split(":")[1].replace(",", " ").split() if w.isdigit()]
    assert sum(counts[:5]) == 11  # every regency is in one category or none


def test_the_sources_page_states_the_ucj_assumption() -> None:
    at = open_page("sumber")
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "Kategori UCJ di peta" in text and "asumsi" in text


def _deck_points(period: str, lang: str = "id") -> tuple[str, ...]:
    deck = briefing.build_deck(store.get_engine(settings.database_url()), region="81",
                               period=period, segment="all", lang=lang)
    slides = {s.key: s for s in deck.slides}
    assert slides["map"].talking_points == slides["trend"].talking_points
    return slides["map"].talking_points


def _shown_points(at) -> str:
    return next(m.value for m in at.markdown if "Poin bicara" in m.value
                or "Talking points" in m.value)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_talking_points_under_the_map_are_the_decks(geo_ready, lang: str) -> None:
    at = open_page("peta", region="81", segment="all", period="2024-12", metric="status",
                   lang=lang)
    assert_clean(at)
    expected = _deck_points("2024-12", lang)
    assert len(expected) >= 2
    shown = _shown_points(at)
    for sentence in expected:
        assert md_escape(sentence) in shown


def test_talking_points_under_the_trend_are_the_decks(geo_ready) -> None:
    at = open_page("tren", region="81", segment="all", period="2024-12")
    assert_clean(at)
    shown = _shown_points(at)
    expected = _deck_points("2024-12")
    assert all(md_escape(s) in shown for s in expected)
    assert "Maluku" in expected[0] and "2024" in expected[0]  # a figure with its date


def test_the_profile_history_has_its_talking_points_with_the_month(geo_ready) -> None:
    at = open_page("wilayah", region="81.01", segment="non_asn", period="2024-12")
    assert_clean(at)
    shown = _shown_points(at)
    assert "Kabupaten Maluku Tengah \\(Non\\-ASN\\)" in shown
    assert "pada Des 2024" in shown
