"""Each chart's text alternative names its headline figures, from the chart's own frame."""

from __future__ import annotations

import pandas as pd

from cakupan.present import captions


def test_the_bullet_says_the_figure_its_month_and_the_target() -> None:
    assert captions.bullet_alt(40.45, 55.0, "2024-12", "Desember 2024", "id") == (
        "Cakupan 40,5% (Desember 2024). Target 55% pada Desember 2024.")
    assert captions.bullet_alt(40.45, None, None, "December 2024", "en") == (
        "Coverage 40.5% (December 2024).")
    assert "Belum ada" in captions.bullet_alt(None, 55.0, "2024-12", "Desember 2024", "id")


def test_the_rankings_name_the_region_at_their_top() -> None:
    snap = pd.DataFrame({"region_code": ["81.01", "81.03", "81.71"],
                         "coverage_pct": [52.1, 20.3, None],
                         "status": ["partial", "partial", "unregistered"],
                         "registered": [10, 20, None], "illustrative": [True] * 3})
    names = {"81.01": "Maluku Tengah", "81.03": "Kepulauan Tanimbar", "81.71": "Kota Ambon"}
    # An unregistered region counts as 0 % (the ranking's own rule), so Ambon is behind.
    assert captions.ranking_alt(snap, names, ahead=False, lang="id") == (
        "Paling tertinggal: Kota Ambon, 0,0%.")
    assert captions.ranking_alt(snap, names, ahead=True, lang="en") == (
        "Furthest ahead: Maluku Tengah, 52.1%.")
    empty = snap.iloc[0:0]
    assert captions.ranking_alt(empty, names, ahead=True, lang="id") == (
        "Belum ada wilayah dengan angka cakupan.")


def test_segments_and_history_name_lowest_highest_and_latest() -> None:
    profile = pd.DataFrame({"segment": ["non_asn", "aparatur_desa", "pekerja_rentan"],
                            "coverage_pct": [79.7, 100.0, 0.0]})
    assert captions.segments_alt(profile, "Desember 2024", "id") == (
        "Cakupan per segmen, Desember 2024: terendah Pekerja rentan 0,0%, tertinggi "
        "Aparatur desa 100,0%.")
    series = {"Non-ASN": pd.DataFrame({"period": ["2024-11", "2024-12", "2025-01"],
                                       "coverage_pct": [70.0, 79.7, None]})}
    assert captions.history_alt(series, "id") == "Angka terakhir: Non-ASN 79,7% (Des 2024)."
    assert captions.history_alt({}, "en") == "No coverage history yet."
