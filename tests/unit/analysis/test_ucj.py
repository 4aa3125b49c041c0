"""UCJ categories: thresholds from the committed file, stated as an assumption."""

from __future__ import annotations

from pathlib import Path

import pytest

from cakupan.analysis import ucj


@pytest.mark.parametrize(("pct", "category"), [
    (0, "sangat_rendah"), (24.99, "sangat_rendah"), (25, "rendah"), (49.99, "rendah"),
    (50, "sedang"), (74.99, "sedang"), (75, "tinggi"), (100, "tinggi"), (120, "tinggi"),
    (-1, "sangat_rendah"), (None, "no_data"), (float("nan"), "no_data"),
])
def test_categories_at_their_thresholds(pct, category) -> None:
    assert ucj.ucj_category(pct) == category


def test_the_thresholds_are_the_committed_files_and_marked_as_an_assumption() -> None:
    assert ucj.edges() == (0.0, 25.0, 50.0, 75.0, 100.0)
    assert ucj.is_assumption()
    assert all("ASSUMPTION" in note for note in ucj.thresholds()["note"])


def test_a_file_with_a_gap_between_categories_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "ucj.csv"
    bad.write_text("category,lower_pct,upper_pct,basis,note\n"
                   "sangat_rendah,0,20,x,\nrendah,25,50,x,\nsedang,50,75,x,\ntinggi,75,100,x,\n")
    with pytest.raises(ValueError, match="without gaps"):
        ucj.thresholds(bad)
