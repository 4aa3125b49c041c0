"""The briefing deck model: tiny hand-made frames for the rules, the shipped data for the two
cases the issue names (Sultra October 2018 non-ASN, Maluku 2024)."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan import briefing, regions
from cakupan.analysis.targets import pick_rate, pick_target
from cakupan.core.errors import CakupanError
from cakupan.present import fmt
from cakupan.regions import resolve

# The article's list of Sultra regencies that had registered no non-ASN staff (Zonasultra,
# October 2018), spelled as the article spells them.
SULTRA_UNREGISTERED = ["Wakatobi", "Baubau", "Muna", "Muna Barat", "Buton", "Buton Selatan",
                       "Buton Tengah", "Kolaka Utara", "Buton Utara", "Konawe Utara",
                       "Konawe Kepulauan"]


def obs(*rows: dict) -> pd.DataFrame:
    base = {"scope": "region", "segment": "all", "programme": "any", "registered": None,
            "eligible": None, "coverage_pct": None, "illustrative": False, "source_id": "art"}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    return frame.astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


def targets(*rows: dict) -> pd.DataFrame:
    base = {"id": "t", "segment": "all", "programme": "any", "target_pct": None,
            "target_count": None, "deadline": None, "baseline_period": None,
            "basis": "Target X", "source_id": "art", "illustrative": False}
    cols = [*base, "region_code"]
    return pd.DataFrame([{**base, **row} for row in rows], columns=cols)


RATES = pd.DataFrame([
    {"programme": "jkk+jkm", "segment": "pekerja_rentan", "rupiah_per_person_month": 16_800,
     "valid_from": "2022-06", "source_id": "reg"},
    {"programme": "jkk+jkm", "segment": "non_asn", "rupiah_per_person_month": 11_000,
     "valid_from": "2017-12", "source_id": "art"},
])
SOURCES = pd.DataFrame([
    {"id": "art", "kind": "article", "publisher": "ANTARA", "title": "A", "published": "2024-11"},
    {"id": "reg", "kind": "regulation", "publisher": "Presiden",
     "title": "Instruksi Presiden Nomor 4 Tahun 2022 tentang Kemiskinan", "published": "2022-06"},
    {"id": "demo", "kind": "illustrative", "publisher": "Cakupan", "title": "Demo",
     "published": None},
])


def deck(observations: pd.DataFrame, target_frame: pd.DataFrame | None = None, *,
         region: str = "81", period: str = "2024-11", segment: str = "all",
         lang: str = "id", sources: pd.DataFrame = SOURCES) -> briefing.Deck:
    data = briefing.collect(observations, target_frame if target_frame is not None
                            else targets(), RATES, sources, region=region, period=period,
                            segment=segment, lang=lang)
    return briefing.deck_from_data(data, lang)


def slide(d: briefing.Deck, key: str) -> briefing.Slide:
    return next(s for s in d.slides if s.key == key)


# ------------------------------------------------------------------------------ rules

@pytest.mark.unit
def test_five_slides_in_the_agreed_order() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0}))
    assert [s.key for s in d.slides] == ["coverage", "map", "behind", "trend", "cost"]


@pytest.mark.unit
@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Maluku: 40% pada Nov 2024 (ANTARA) — target 55% Desember 2024: kurang 15 poin"),
    ("en", "Maluku: 40% as of Nov 2024 (ANTARA) — target 55% by December 2024: 15 points short"),
])
def test_headline_says_coverage_against_target_in_words(lang: str, expected: str) -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0}),
             targets({"region_code": "81", "target_pct": 55.0, "deadline": "2024-12"}),
             lang=lang)
    assert slide(d, "coverage").headline == expected


@pytest.mark.unit
def test_headline_when_target_met_does_not_say_short() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 60.0}),
             targets({"region_code": "81", "target_pct": 55.0, "deadline": "2024-12"}))
    head = slide(d, "coverage").headline
    assert "kurang" not in head and "tercapai" in head


@pytest.mark.unit
def test_counts_without_denominator_headline_names_unregistered_share() -> None:
    # Two regencies of Sulawesi Tenggara: one registered 300 people, one nobody.
    d = deck(obs({"period": "2018-10", "region_code": "74.01", "registered": 300,
                  "segment": "non_asn"},
                 {"period": "2018-10", "region_code": "74.02", "registered": 0,
                  "segment": "non_asn"}),
             region="74", period="2018-10", segment="non_asn")
    n = len(regions.regencies("74"))
    assert slide(d, "coverage").headline == (
        f"Sulawesi Tenggara: 300 pegawai non-ASN terlindungi pada Okt 2018 (ANTARA) — 1 dari {n} "
        "kabupaten/kota belum mendaftar")
    assert slide(d, "behind").bullets[0] == "Belum mendaftar: Konawe"


@pytest.mark.unit
def test_only_figures_up_to_the_briefing_month_are_used() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0},
                 {"period": "2025-03", "region_code": "81", "coverage_pct": 70.0}))
    assert "40%" in slide(d, "coverage").headline
    assert slide(d, "trend").figure.data["value"].max() == pytest.approx(40.0)


@pytest.mark.unit
def test_illustrative_figures_mark_the_slide_and_its_source() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0},
                 {"period": "2024-11", "region_code": "81.03", "registered": 10,
                  "eligible": 100, "illustrative": True, "source_id": "demo"}))
    assert slide(d, "coverage").illustrative is False
    assert slide(d, "map").illustrative is True
    assert "Data ilustrasi Cakupan (bukan angka resmi)" in slide(d, "map").sources


@pytest.mark.unit
def test_every_slide_names_its_sources_and_the_map_credits_boundaries() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0},
                 {"period": "2024-11", "region_code": "81.03", "coverage_pct": 20.0}),
             targets({"region_code": "81", "target_pct": 55.0, "deadline": "2024-12"}))
    for s in d.slides:
        assert s.sources, s.key
    assert "ANTARA, Nov 2024" in slide(d, "coverage").sources
    assert briefing.BOUNDARY_CITATION in slide(d, "map").sources
    assert d.sources[0] == "ANTARA, Nov 2024"


@pytest.mark.unit
def test_dana_desa_cost_is_100_per_desa_times_premium_for_a_year() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0}))
    desa = regions.get("81").desa
    expected = fmt.rupiah_words(desa * 100 * 16_800 * 12, "id")
    cost = slide(d, "cost")
    assert cost.headline == (f"Dana Desa: {expected} per tahun untuk "
                             f"{fmt.number(desa * 100, 'id')} pekerja rentan")
    assert "Instruksi Presiden Nomor 4 Tahun 2022" in cost.sources
    assert any("Inpres 4/2022" in b for b in cost.bullets)


@pytest.mark.unit
def test_no_figure_of_vulnerable_workers_is_not_drawn_as_zero_protected() -> None:
    """The Dana Desa picture: with no pekerja rentan figure the quota alone, no "protected
    now" part (it once said "Terlindungi 0"); with one, that figure."""
    from matplotlib.figure import Figure

    from cakupan.present import static

    unknown = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0}))
    known = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0},
                     {"period": "2024-10", "region_code": "81.03", "registered": 5000,
                      "segment": "pekerja_rentan"}))
    drawn = {}
    for name, d in (("unknown", unknown), ("known", known)):
        spec = slide(d, "cost").figure
        assert spec is not None and spec.kind == "need"
        ax = Figure().add_subplot()
        static.draw_need(ax, spec.data, lang="id")
        drawn[name] = (spec.data.iloc[0]["registered"], [t.get_text() for t in ax.texts],
                       len(ax.patches))
    assert drawn["unknown"][0] is None
    assert not any(t.startswith("Terlindungi") for t in drawn["unknown"][1])
    assert drawn["known"][0] == 5000
    assert "Terlindungi 5.000" in drawn["known"][1]
    assert (drawn["unknown"][2], drawn["known"][2]) == (1, 2)  # the gap bar; both bars


@pytest.mark.unit
def test_registered_vulnerable_workers_reduce_the_dana_desa_gap() -> None:
    d = deck(obs({"period": "2024-11", "region_code": "81", "coverage_pct": 40.0},
                 {"period": "2024-10", "region_code": "81.03", "registered": 5000,
                  "segment": "pekerja_rentan"}))
    gap = regions.get("81").desa * 100 - 5000
    assert f"untuk {fmt.number(gap, 'id')} pekerja rentan" in slide(d, "cost").headline


@pytest.mark.unit
def test_gap_in_people_when_counts_are_known() -> None:
    # 400 of 1,000 registered, target 55% by 2024-12 from 2024-06: 150 people, 6 months.
    d = deck(obs({"period": "2024-06", "region_code": "81", "registered": 400,
                  "eligible": 1000, "segment": "non_asn"}),
             targets({"region_code": "81", "segment": "non_asn", "target_pct": 55.0,
                      "deadline": "2024-12"}),
             period="2024-06", segment="non_asn")
    cost = slide(d, "cost")
    assert cost.headline == f"Perlu 150 peserta baru: {fmt.rupiah_words(150 * 11_000 * 12)} " \
                            "per tahun"
    assert "Waktu: 6 bulan sampai Desember 2024 (25 orang per bulan)" in cost.bullets


@pytest.mark.unit
def test_trend_projects_at_last_twelve_months_pace() -> None:
    rows = [{"period": f"2024-{m:02d}", "region_code": "81", "registered": 100 * m,
             "eligible": 10_000} for m in range(1, 7)]
    d = deck(obs(*rows), targets({"region_code": "81", "target_pct": 10.0,
                                  "deadline": "2024-12", "baseline_period": "2024-01"}),
             period="2024-06")
    points = slide(d, "trend").figure.data
    projected = points[points["line"] == "projection"].set_index("period")["value"]
    # 1% in January to 6% in June: +1 point a month, so 12% in December.
    assert projected["2024-12"] == pytest.approx(12.0)
    target = points[points["line"] == "target"].set_index("period")["value"]
    assert target["2024-01"] == pytest.approx(1.0) and target["2024-12"] == pytest.approx(10.0)


@pytest.mark.unit
def test_pick_target_prefers_the_next_deadline_then_one_without() -> None:
    frame = targets({"id": "old", "region_code": "81", "target_pct": 50.0,
                     "deadline": "2023-12"},
                    {"id": "open", "region_code": "81", "target_pct": 100.0},
                    {"id": "next", "region_code": "81", "target_pct": 55.0,
                     "deadline": "2024-12"},
                    {"id": "later", "region_code": "81", "target_pct": 70.0,
                     "deadline": "2026-12"})
    assert pick_target(frame, "81", "all", "2024-11")["id"] == "next"
    assert pick_target(frame, "81", "all", "2027-01")["id"] == "open"
    assert pick_target(frame.iloc[:1], "81", "all", "2024-11")["id"] == "old"
    # Only a no-deadline target: it is found even though no row has a deadline after the month.
    assert pick_target(frame.iloc[[1]], "81", "all", "2018-10")["id"] == "open"
    assert pick_target(frame, "74", "all", "2024-11") is None


@pytest.mark.unit
def test_pick_rate_adds_jkk_and_jkm_when_no_combined_rate() -> None:
    rates = pd.DataFrame([
        {"programme": "jkk", "segment": "bpu", "rupiah_per_person_month": 10_000,
         "valid_from": "2021-01", "source_id": "a"},
        {"programme": "jkm", "segment": "bpu", "rupiah_per_person_month": 6_800,
         "valid_from": "2015-07", "source_id": "b"},
        {"programme": "jkk", "segment": "bpu", "rupiah_per_person_month": 99_999,
         "valid_from": "2030-01", "source_id": "c"},
    ])
    rate = pick_rate(rates, "bpu", "2024-11")
    assert rate["rupiah_per_person_month"] == 16_800
    assert pick_rate(rates, "bpu", "2014-01") is None


@pytest.mark.unit
@pytest.mark.parametrize(("value", "lang", "expected"), [
    (40.0, "id", "40%"), (40.5, "id", "40,5%"), (40.5, "en", "40.5%"), (None, "id", "–"),
])
def test_whole_pct(value: float | None, lang: str, expected: str) -> None:
    assert briefing.whole_pct(value, lang) == expected


@pytest.mark.unit
@pytest.mark.parametrize(("region", "period", "segment", "lang", "message"), [
    ("81.03", "2024-11", "all", "id", "province"),
    ("99", "2024-11", "all", "id", "province"),
    ("81", "2024-13", "all", "id", "YYYY-MM"),
    ("81", "2024-11", "asn", "id", "segment"),
    ("81", "2024-11", "all", "fr", "language"),
])
def test_bad_requests_are_refused_with_a_message(region, period, segment, lang,
                                                 message) -> None:
    with pytest.raises(CakupanError, match=message):
        briefing.check_request(region, period, segment, lang)


@pytest.mark.unit
def test_citations_of_articles_and_regulations() -> None:
    assert briefing.citation({"kind": "article", "publisher": "Zonasultra.com",
                              "published": "2018-10"}) == "Zonasultra.com, Okt 2018"
    assert briefing.citation({"kind": "article", "publisher": "TERASMALUKU.COM",
                              "published": "2023-03-29"}, "en") == "TERASMALUKU.COM, Mar 29, 2023"
    regulation = {"kind": "regulation",
                  "title": "Instruksi Presiden Nomor 2 Tahun 2021 tentang Optimalisasi"}
    assert briefing.citation(regulation) == "Instruksi Presiden Nomor 2 Tahun 2021"


# ----------------------------------------------------------------- the two cases

@pytest.fixture(scope="module")
def engine():
    from cakupan import store

    return store.get_engine()


@pytest.mark.data
def test_sultra_october_2018_non_asn(engine) -> None:
    d = briefing.build_deck(engine, region="74", period="2018-10", segment="non_asn")
    head = slide(d, "coverage").headline
    assert "7.431" in head and "11 dari 17" in head
    expected = {r.code for r in resolve.resolve(SULTRA_UNREGISTERED, province="74")}
    assert None not in expected and len(expected) == 11
    values = slide(d, "map").figure.data
    assert set(values.loc[values["status"] == "unregistered", "code"]) == expected
    listed = slide(d, "behind").bullets[0]
    for code in expected:
        assert regions.get(code).short_name in listed
    assert "Zonasultra.com, Okt 2018" in slide(d, "coverage").sources
    assert slide(d, "coverage").illustrative is False


@pytest.mark.data
def test_maluku_2024_all_segments(engine) -> None:
    from cakupan import store

    rows = store.current_observations(engine, region_codes=["81"], segment="all")
    published = rows[~rows["illustrative"] & (rows["coverage_pct"] == 40)]
    assert len(published) == 1
    period = published["period"].iloc[0]
    assert period.startswith("2024")
    d = briefing.build_deck(engine, region="81", period=period, segment="all")
    assert slide(d, "coverage").headline == (
        "Maluku: 40% pada Nov 2024 (ANTARA News Ambon) — target 55% Desember 2024: kurang 15 poin")
    assert slide(d, "coverage").illustrative is False
    en = briefing.build_deck(engine, region="81", period=period, segment="all", lang="en")
    assert slide(en, "coverage").headline.endswith("15 points short")


# --------------------------------------------------------------- published first (issue 12)

@pytest.mark.unit
def test_an_illustrative_month_leads_with_the_latest_published_figure_and_its_date() -> None:
    # December is only illustrative (393,475 people); BPJS published 191,618 = 39.45 % for
    # 31 December in a row of its own: the deck leads with the published one.
    rows = obs({"period": "2024-12", "region_code": "81", "registered": 393_475,
                "illustrative": True, "source_id": "demo"},
               {"period": "2024-11", "region_code": "81", "registered": 191_618,
                "coverage_pct": 39.45, "note": "as at 2024-11-30"})
    d = deck(rows, targets({"region_code": "81", "target_pct": 55.0, "deadline": "2024-12"}),
             period="2024-12")
    cover = slide(d, "coverage")
    assert cover.headline.startswith("Maluku: 39,45% pada 30 Nov 2024 (ANTARA) — target 55%")
    assert cover.illustrative is False
    assert any("191.618" in b for b in cover.bullets)
    assert not any("393.475" in b for b in cover.bullets)


@pytest.mark.unit
def test_with_nothing_published_the_illustrative_figure_leads_marked_so() -> None:
    rows = obs({"period": "2024-12", "region_code": "81", "registered": 393_475,
                "illustrative": True, "source_id": "demo"})
    cover = slide(deck(rows, period="2024-12"), "coverage")
    assert "393.475" in cover.headline and " pada " not in cover.headline
    assert cover.illustrative is True
