"""Talking points: the sentences in both languages, each figure with its month, Indonesian
number formats, and the deck carrying exactly the sentences the pages show."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan import briefing
from cakupan.present import talking_points as tp

PARTS = pd.DataFrame({
    "name": ["Kabupaten Kepulauan Tanimbar", "Kota Ambon", "Kabupaten Buru", "Kabupaten Aru"],
    "coverage_pct": [17.0, 70.0, 19.5, None]})
MALUKU_2025 = {"target_pct": 63.88, "deadline": "2025-12"}


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ["Maluku 39,45% pada 31 Des 2024.",
            "Perlu +2 poin per bulan untuk 63,88% pada Des 2025.",
            "2 dari 4 kabupaten/kota di bawah 20% pada Des 2024; terendah Kepulauan Tanimbar "
            "17%."]),
    ("en", ["Maluku 39.45% on Dec 31, 2024.",
            "Needs +2 points a month to reach 63.88% by Dec 2025.",
            "2 of 4 regencies/cities below 20% in Dec 2024; lowest Kepulauan Tanimbar 17%."]),
])
def test_three_sentences_with_their_dates(lang: str, expected: list[str]) -> None:
    total = {"coverage_pct": 39.45, "period": "2024-12", "as_of": "2024-12-31"}
    got = tp.sentences("Maluku", total, MALUKU_2025, PARTS, units="regency",
                       period="2024-12", lang=lang)
    assert got == expected


def test_the_pace_is_the_gap_over_the_months_left() -> None:
    # 30% in June 2025, 63.88% by December 2025: 33.88 / 6 = 5.65 points a month.
    got = tp.sentences("Maluku", {"coverage_pct": 30.0, "period": "2025-06"}, MALUKU_2025,
                       None, units="regency", period="2025-06")
    assert got == ["Maluku 30% pada Jun 2025.",
                   "Perlu +5,6 poin per bulan untuk 63,88% pada Des 2025."]


def test_met_and_deadline_reached_say_so() -> None:
    met = tp.sentences("Kota Ambon", {"coverage_pct": 70.0}, MALUKU_2025, None,
                       units="regency", period="2024-12")
    assert met[1] == "Target 63,88% pada Des 2025 sudah tercapai."
    due = tp.sentences("Maluku", {"coverage_pct": 40.402075}, {"target_pct": 55,
                                                              "deadline": "2024-12"},
                       None, units="regency", period="2024-12")
    assert due == ["Maluku 40,4% pada Des 2024.",
                   "Pada tenggat Des 2024 masih kurang 14,6 poin dari 55%."]


def test_no_part_below_the_threshold_still_names_the_lowest() -> None:
    parts = PARTS.assign(coverage_pct=[25.5, 70.0, 30.0, None])
    got = tp.sentences("Maluku", {"coverage_pct": 39.45}, None, parts, units="regency",
                       period="2024-12")
    assert got[-1] == ("Tidak satu pun dari 4 kabupaten/kota di bawah 20% pada Des 2024; "
                       "terendah Kepulauan Tanimbar 25,5%.")
    assert len(got) == 2  # no target: no pace sentence, nothing guessed


def test_a_count_only_figure_is_said_as_people() -> None:
    got = tp.sentences("Sulawesi Tenggara", {"registered": 7431, "coverage_pct": None},
                       None, None, units="regency", period="2018-10")
    assert got == ["Sulawesi Tenggara: 7.431 orang terdaftar pada Okt 2018."]


def _obs(*rows: dict) -> pd.DataFrame:
    base = {"scope": "region", "segment": "all", "programme": "any", "registered": None,
            "eligible": None, "illustrative": False, "source_id": "art"}
    return pd.DataFrame([{**base, **r} for r in rows]).astype(
        {"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_deck_carries_the_same_sentences_on_its_map_and_trend_slides(lang: str) -> None:
    obs = _obs({"period": "2024-11", "region_code": "81", "coverage_pct": 39.45,
                "registered": None},
               {"period": "2024-11", "region_code": "81.01", "coverage_pct": 18.0},
               {"period": "2024-11", "region_code": "81.71", "coverage_pct": 60.0})
    targets = pd.DataFrame([{"id": "t", "region_code": "81", "segment": "all",
                             "programme": "any", "target_pct": 55.0, "target_count": None,
                             "deadline": "2025-12", "baseline_period": None, "basis": "X",
                             "source_id": "art", "illustrative": False}])
    sources = pd.DataFrame([{"id": "art", "kind": "article", "publisher": "ANTARA",
                             "title": "A", "published": "2024-11"}])
    data = briefing.collect(obs, targets, pd.DataFrame(columns=[
        "programme", "segment", "rupiah_per_person_month", "valid_from", "source_id"]),
        sources, region="81", period="2024-11", segment="all", lang=lang)
    deck = briefing.deck_from_data(data, lang)
    expected = tuple(tp.of_briefing(data, lang))
    by_key = {s.key: s for s in deck.slides}
    assert by_key["map"].talking_points == by_key["trend"].talking_points == expected
    assert len(expected) == 3
    assert expected[0].startswith("Maluku 39,45%" if lang == "id" else "Maluku 39.45%")
    assert ("1 dari 11 kabupaten/kota di bawah 20%" if lang == "id"
            else "1 of 11 regencies/cities below 20%") in expected[2]


def test_the_pptx_gives_the_speaker_the_same_sentences_as_notes() -> None:
    import io

    from pptx import Presentation

    obs = _obs({"period": "2024-11", "region_code": "81", "coverage_pct": 39.45},
               {"period": "2024-11", "region_code": "81.01", "coverage_pct": 18.0})
    sources = pd.DataFrame([{"id": "art", "kind": "article", "publisher": "ANTARA",
                             "title": "A", "published": "2024-11"}])
    data = briefing.collect(obs, pd.DataFrame(columns=[
        "id", "region_code", "segment", "programme", "target_pct", "target_count", "deadline",
        "baseline_period", "basis", "source_id", "illustrative"]), pd.DataFrame(columns=[
        "programme", "segment", "rupiah_per_person_month", "valid_from", "source_id"]),
        sources, region="81", period="2024-11", segment="all", lang="id")
    deck = briefing.deck_from_data(data, "id")
    from cakupan.briefing.pptx_file import deck_to_pptx

    prs = Presentation(io.BytesIO(deck_to_pptx(deck)))
    keys = [s.key for s in deck.slides]
    for key in ("map", "trend"):
        notes = prs.slides[keys.index(key)].notes_slide.notes_text_frame.text.splitlines()
        assert notes[:2] == list(tp.of_briefing(data, "id"))
        assert notes[0].startswith("Maluku 39,45% pada Nov 2024")
