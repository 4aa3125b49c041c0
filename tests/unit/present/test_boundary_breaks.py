"""Boundary changes on charts: a split breaks the line with a note, a rename only notes."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan.analysis import old_extents
from cakupan.present import trend_chart
from cakupan.regions.changes import changes_for

pytestmark = pytest.mark.unit

MONTHS = [f"{y}-{m:02d}" for y in range(2017, 2025) for m in range(1, 13)]


def test_the_2022_splits_are_crossed_by_series_spanning_them_only() -> None:
    assert [c.month for c in changes_for("93", "2017-01", "2024-12")] == ["2022-07"]
    assert [c.month for c in changes_for("96", "2017-01", "2024-12")] == ["2022-12"]
    assert changes_for("93", "2022-07", "2024-12") == []  # starts with the new extent
    assert changes_for("93", "2017-01", "2022-06") == []
    assert changes_for("81", "2017-01", "2024-12") == []
    assert changes_for("93.01", "2017-01", "2024-12") == []  # a regency's area did not change


def test_notes_name_the_change_the_law_and_the_month_in_both_languages() -> None:
    formed, = trend_chart.series_breaks("93", MONTHS, "id")
    assert formed.split and formed.month == "2022-07"
    assert formed.note == ("Dibentuk Jul 2022 dari Papua (UU 14, 15, 16/2022): angka "
                           "sebelumnya untuk wilayah yang kini provinsi ini")
    shrank, = trend_chart.series_breaks("91", MONTHS, "en")
    assert shrank.note == ("Split Jul 2022 (UU 14, 15, 16/2022): before it Papua also "
                           "covered Papua Selatan, Papua Tengah, Papua Pegunungan")
    renamed, = trend_chart.series_breaks("81.03", MONTHS, "id")
    assert not renamed.split
    assert renamed.note == ("2019: sebelumnya bernama Maluku Tenggara Barat "
                            "(PP 2/2019; bulan tidak disebut)")
    assert trend_chart.series_breaks("81.03", ["2020-01", "2024-12"], "id") == []


def _series(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"period": list(values), "coverage_pct": list(values.values()),
                         "illustrative": False})


def test_a_split_leaves_no_line_across_it_and_marks_it() -> None:
    frame = _series({"2022-05": 30.0, "2022-06": 31.0, "2022-07": 12.0, "2022-08": 13.0})
    breaks = trend_chart.series_breaks("91", frame["period"], "id")
    joined = trend_chart.trend_figure({"Papua": frame}, lang="id")
    split = trend_chart.trend_figure({"Papua": frame}, lang="id", breaks=breaks)

    def pieces(fig) -> list[tuple]:
        line = next(t for t in fig.data if (t.meta or {}).get("role") == "line")
        xs = list(line.x)
        return [(xs[i], xs[i + 1]) for i in range(0, len(xs), 3)]

    assert len(pieces(joined)) == 3 and len(pieces(split)) == 2
    across = [p for p in pieces(split) if str(p[0]).startswith("2022-06")]
    assert not across  # June -> July is the change of area, not a fall in coverage
    assert [s.name for s in split.layout.shapes] == ["break 2022-07"]
    assert any(a.text.startswith("Pemekaran Jul 2022") for a in split.layout.annotations)


def test_old_papua_sits_beside_the_sum_of_its_successors_only_when_all_have_it() -> None:
    measures = pd.DataFrame([
        {"measure": "m", "period": "2023", "region_code": "91~pra2022", "segment": "all",
         "value": 1000.0, "unit": "people", "source_id": "s"},
        *({"measure": "m", "period": "2023", "region_code": c, "segment": "all",
           "value": v, "unit": "people", "source_id": "s"}
          for c, v in (("91", 400.0), ("93", 300.0), ("94", 200.0), ("95", 150.0))),
        {"measure": "n", "period": "2023", "region_code": "91~pra2022", "segment": "all",
         "value": 7.0, "unit": "people", "source_id": "s"},
        {"measure": "n", "period": "2023", "region_code": "91", "segment": "all",
         "value": 3.0, "unit": "people", "source_id": "s"},
    ])
    rows = old_extents.beside_successors(measures, "91~pra2022").set_index("measure")
    assert rows.loc["m", "value"] == 1000 and rows.loc["m", "successors_sum"] == 1050
    assert pd.isna(rows.loc["n", "successors_sum"]) and rows.loc["n", "successors_with"] == 1
    assert old_extents.extent_for_view("94").key == "91~pra2022"
    assert old_extents.extent_for_view("81") is None
