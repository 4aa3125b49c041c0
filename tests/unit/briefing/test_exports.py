"""Exports: PNG sizes, PPTX that reopens with the figures on it, PDF pages of the right shape,
spreadsheets safe against formula injection."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from shapely.geometry import box

from cakupan import briefing
from cakupan.briefing.export import export
from cakupan.core import spreadsheet
from cakupan.present import static, text_fit


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


# --------------------------------------------------------------------------- PNG, no boundaries

SQUARES = gpd.GeoDataFrame(
    {"code": ["81.01", "81.02", "81.03"], "name": ["Kabupaten A", "Kabupaten B", "Kota C"]},
    geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2)], crs="EPSG:4326")


@pytest.mark.unit
@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1234, 567), (801, 451)])
def test_pngs_have_exactly_the_requested_size(width: int, height: int) -> None:
    values = pd.DataFrame({"code": ["81.01", "81.02"], "status": ["registered", "unregistered"],
                           "coverage_pct": [95.0, 0.0]})
    trend = pd.DataFrame({"period": ["2024-01", "2024-06", "2024-12"], "value": [10, 20, 55],
                          "line": ["actual", "actual", "target"],
                          "illustrative": [True, False, False]})
    ranking = pd.DataFrame({"name": ["Kota C", "Kabupaten A"], "coverage_pct": [0.0, 33.3],
                            "status": ["unregistered", "partial"]})
    for data in (static.map_frame_png(SQUARES, values, width=width, height=height),
                 static.map_frame_png(SQUARES, values, metric="coverage", width=width,
                                      height=height),
                 static.trend_png(trend, width=width, height=height),
                 static.ranking_png(ranking, width=width, height=height, target_pct=55)):
        assert png_size(data) == (width, height)


@pytest.mark.unit
def test_map_legend_counts_regions_by_status_including_missing_ones() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.5))
    ax = fig.add_axes((0.05, 0.05, 0.6, 0.9))
    values = pd.DataFrame({"code": ["81.01", "81.02"], "status": ["registered", "unregistered"]})
    counts = static.draw_map(ax, SQUARES, values, lang="en")
    assert counts == {"registered": 1, "partial": 0, "unregistered": 1, "no_data": 1}
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "✗ Not registered (1)" in labels and "– No data (1)" in labels


@pytest.mark.unit
def test_equal_pictures_give_equal_bytes() -> None:
    values = pd.DataFrame({"code": ["81.01"], "status": ["partial"]})
    assert static.map_frame_png(SQUARES, values) == static.map_frame_png(SQUARES, values)


@pytest.mark.unit
def test_fit_text_shrinks_until_the_text_fits() -> None:
    long = ["kata " * 40]
    size, lines = text_fit.fit_text(long, 4.0, 2.0, 30, 12)
    assert 12 <= size < 30
    assert len(lines[0]) * size * 1.2 / 72 <= 2.0
    for line in lines[0]:
        assert text_fit.text_width_pt(line, size) <= 4.0 * 72


# ---------------------------------------------------------------------- decks from the store

@pytest.fixture(scope="module")
def decks(geo_ready) -> dict[str, briefing.Deck]:
    from cakupan import store

    engine = store.get_engine()
    return {
        "sultra": briefing.build_deck(engine, region="74", period="2018-10", segment="non_asn"),
        "maluku": briefing.build_deck(engine, region="81", period="2024-11", segment="all"),
    }


@pytest.fixture(scope="module")
def files(decks) -> dict[tuple[str, str], bytes]:
    return {(name, fmt): export(d, fmt) for name, d in decks.items() for fmt in ("pptx", "pdf")}


def pptx_texts(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    return ["\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
            for s in prs.slides]


@pytest.mark.geo
def test_pptx_reopens_with_titles_figures_and_sources(decks, files) -> None:
    for name, deck in decks.items():
        prs = Presentation(io.BytesIO(files[(name, "pptx")]))
        assert prs.slide_width * 9 == prs.slide_height * 16
        assert len(prs.slides) == len(deck.slides) == 5
        for page, spec in zip(prs.slides, deck.slides, strict=True):
            assert page.shapes.title.text.startswith(spec.title)
            texts = [sh.text_frame.text for sh in page.shapes if sh.has_text_frame]
            assert spec.headline in texts
            assert any(t.startswith("Sumber: ") for t in texts)
            pictures = [sh for sh in page.shapes if sh.shape_type == 13]
            assert len(pictures) == (1 if spec.figure is not None else 0)
            assert ("ILUSTRASI — bukan angka resmi" in texts) == spec.illustrative


@pytest.mark.geo
def test_pptx_holds_the_published_figures(files) -> None:
    sultra = pptx_texts(files[("sultra", "pptx")])
    assert "7.431" in sultra[0]
    assert "Wakatobi" in sultra[2] and "Konawe Kepulauan" in sultra[2]
    maluku = pptx_texts(files[("maluku", "pptx")])
    assert "40%" in maluku[0] and "55%" in maluku[0] and "Desember 2024" in maluku[0]


@pytest.mark.geo
def test_exports_are_reproducible_and_within_budget(decks, files) -> None:
    for (name, fmt), data in files.items():
        assert export(decks[name], fmt) == data
        assert len(data) <= 10_000_000


@pytest.mark.geo
def test_pdf_has_one_16_9_page_per_slide(files, tmp_path: Path) -> None:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    for name in ("sultra", "maluku"):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(files[(name, "pdf")])
        subprocess.run(["pdftoppm", "-r", "36", "-png", str(pdf), str(tmp_path / name)],
                       check=True)
        pages = sorted(tmp_path.glob(f"{name}-*.png"))
        assert len(pages) == 5
        for page in pages:
            width, height = Image.open(page).size
            assert width == 480 and height == 270  # 13.333 x 7.5 inches at 36 dpi


# ---------------------------------------------------------------------- tables

@pytest.mark.unit
def test_deck_table_exports_neutralise_formulas_and_keep_numbers() -> None:
    observations = pd.DataFrame([
        {"period": "2024-11", "region_code": "81.03", "scope": "region", "segment": "all",
         "programme": "any", "registered": 6000, "eligible": 31000, "coverage_pct": None,
         "illustrative": False, "source_id": "evil"},
    ]).astype({"registered": "Int64", "eligible": "Int64", "coverage_pct": "Float64"})
    sources = pd.DataFrame([{"id": "evil", "kind": "upload",
                             "publisher": '=HYPERLINK("http://x","klik")',
                             "title": "t", "published": None}])
    data = briefing.collect(observations, pd.DataFrame(), pd.DataFrame(), sources,
                            region="81", period="2024-11", segment="all")
    table = briefing.table_of(data, "id")
    row = table[table["code"] == "81.03"].iloc[0]
    assert row["sources"].startswith("=HYPERLINK")  # the raw text, before export

    csv = spreadsheet.to_csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv

    book = load_workbook(io.BytesIO(spreadsheet.to_xlsx_bytes(table)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    cells = {h: c for h, c in zip(header, next(
        r for r in sheet.iter_rows(min_row=2) if r[0].value == "81.03"), strict=True)}
    assert cells["sources"].value.startswith("'=")
    assert cells["sources"].data_type == "s"
    assert cells["registered"].value == 6000 and cells["registered"].data_type == "n"
    assert cells["coverage_pct"].value == pytest.approx(6000 / 31000 * 100, abs=0.01)


@pytest.mark.geo
def test_brief_command_writes_the_same_bytes_as_the_button(decks, files, tmp_path: Path,
                                                          capsys) -> None:
    import json

    from cakupan.commands import cli

    out = tmp_path / "maluku.pdf"
    status = cli.main(["brief", "--region", "81", "--period", "2024-11", "--format", "pdf",
                       "--out", str(out), "--json"])
    assert status == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["slides"] == 5 and payload["format"] == "pdf"
    assert payload["bytes"] == out.stat().st_size
    assert out.read_bytes() == files[("maluku", "pdf")]


@pytest.mark.unit
def test_brief_command_refuses_a_regency_with_exit_1(tmp_path: Path, capsys) -> None:
    from cakupan.commands import cli

    status = cli.main(["brief", "--region", "81.03", "--period", "2024-11",
                       "--out", str(tmp_path / "x.pptx"), "--json"])
    captured = capsys.readouterr()
    assert status == 1 and json.loads(captured.out)["kind"] == "error"  # one JSON object
    assert "province" in captured.err
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1  # one line


@pytest.mark.unit
def test_brief_without_a_period_uses_the_latest_month_with_data(tmp_path: Path, capsys) -> None:
    """CONTRACTS.md command 7: ``--period`` is optional; the deck opens on the month the app's
    briefing page opens on without one in its URL."""
    from cakupan import store
    from cakupan.commands import cli

    status = cli.main(["brief", "--region", "81", "--format", "pptx",
                       "--out", str(tmp_path / "x.pptx"), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 0 and payload["slides"] >= 5
    from cakupan.analysis import published

    engine = store.get_engine()
    latest = published.opening_month(store.published_observations(engine, segment="all"),
                                     store.periods(engine, "all"), "all", "81")
    with_period = tmp_path / "y.pptx"
    assert cli.main(["brief", "--region", "81", "--period", latest, "--format", "pptx",
                     "--out", str(with_period)]) == 0
    assert _pptx_text(tmp_path / "x.pptx") == _pptx_text(with_period)


def _pptx_text(path: Path) -> list[str]:
    from pptx import Presentation

    return [shape.text_frame.text for slide in Presentation(str(path)).slides
            for shape in slide.shapes if shape.has_text_frame]
