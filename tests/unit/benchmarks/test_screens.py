"""The verdicts of ``bench --screens`` (and of the screens browser test) on measured pages."""

from __future__ import annotations

from cakupan.benchmarks import screens

FITTED = {"w": 1000, "h": 500, "x0": 10, "y0": 60, "x1": 990, "y1": 440,
          "canvasBottom": 700, "legendTop": 705}


def test_a_fitted_map_with_its_legend_below_has_no_finding() -> None:
    assert screens.map_verdict(FITTED) == []


def test_a_map_off_its_frame_too_small_or_under_its_legend_is_named() -> None:
    assert screens.map_verdict(FITTED | {"x0": -40}) == ["extent outside the frame"]
    small = FITTED | {"x0": 300, "x1": 700, "y0": 150, "y1": 350}  # 40 % by 40 %
    assert screens.map_verdict(small) == ["extent fills 40%"]
    assert screens.map_verdict(FITTED | {"legendTop": 650}) == ["legend over the map"]
    assert screens.map_verdict(FITTED | {"legendTop": None}) == ["legend over the map"]


def test_sideways_scroll_clipped_metrics_and_cut_slides_are_named() -> None:
    assert screens.page_verdict({"scroll": 390, "inner": 390, "clipped": []}) == []
    assert screens.page_verdict({"scroll": 420, "inner": 390, "clipped": ["393.4…"]}) == [
        "scrolls sideways (420 > 390 px)", "clipped metric '393.4…'"]
    whole = {"title": "Maluku 40%", "titleOver": False, "titleBottom": 300, "labels": []}
    assert screens.slide_verdict(whole, 844) == []
    assert screens.slide_verdict(whole | {"titleBottom": 900}, 844) == [
        "title cut or off screen"]
    assert screens.slide_verdict(whole | {"labels": ["Sebel"]}, 844) == [
        "control label cut 'Sebel'"]
