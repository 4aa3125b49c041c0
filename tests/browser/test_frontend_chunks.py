"""A first visit downloads only the front-end chunks the page needs (issue 11).

Streamlit loads most element renderers as separate JavaScript chunks, on first use:
``StreamlitSyntaxHighlighter`` (1.5 MB, any ``st.code`` or Markdown code block), ``DataFrame``
(0.5 MB, any ``st.dataframe``, with ``arrowFormatUtils`` 0.7 MB) and ``DeckGlJsonChart`` (3 MB, any
``st.pydeck_chart``). The public pages avoid all three until the visitor asks: the copy-link
box is a text input, tables wait for their "Tampilkan tabel" toggle, the 3D map for its own.
The chunks are told apart by the stable part of their content-hashed file names, which are
checked against the installed wheel first, so a Streamlit upgrade that renames one fails here
instead of letting the test pass without looking.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import streamlit

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

#: What a chunk is for -> the start of its file name under /static/static/js/.
HEAVY_CHUNKS = {
    "syntax highlighter": "StreamlitSyntaxHighlighter.",
    "DataFrame": "DataFrame.",
    "Arrow helpers (tables)": "arrowFormatUtils.",
    "deck.gl (pydeck)": "DeckGlJsonChart.",
}
JS_DIR = Path(streamlit.__file__).parent / "static" / "static" / "js"


def chunk_names(urls: list[str], prefix: str) -> list[str]:
    """The file names among ``urls`` that start with ``prefix``."""
    names = [urlsplit(u).path.rsplit("/", 1)[-1] for u in urls]
    return [n for n in names if n.startswith(prefix)]


def record_static(page) -> list[str]:
    """Every response URL under ``/static/`` the page receives from now on."""
    seen: list[str] = []
    page.on("response", lambda r: seen.append(r.url) if "/static/" in urlsplit(r.url).path
            else None)
    return seen


def test_the_chunk_names_exist_in_the_installed_streamlit() -> None:
    files = [p.name for p in JS_DIR.glob("*.js")]
    missing = [what for what, prefix in HEAVY_CHUNKS.items()
               if not any(f.startswith(prefix) for f in files)]
    assert missing == [], f"renamed in Streamlit {streamlit.__version__}? {missing}"


def test_first_visits_skip_heavy_chunks_until_the_table_is_asked_for(app_url, page) -> None:
    seen = record_static(page)
    page.goto(f"{app_url}/")
    wait_for_app(page)
    page.goto(f"{app_url}/peta?region=81&segment=all&metric=status")
    wait_for_app(page)
    page.wait_for_selector(".cakupan-map[data-drawn]", timeout=30_000)  # the map is drawn
    assert any("/static/" in u for u in seen), "no /static/ response recorded at all"
    loaded = {what: chunk_names(seen, prefix) for what, prefix in HEAVY_CHUNKS.items()}
    assert loaded == {what: [] for what in HEAVY_CHUNKS}

    # The copy-link box is a plain text input holding this view's link; no code block.
    page.locator("[data-testid='stSidebar'] [data-testid='stExpander'] summary").first.click()
    box = page.locator("[data-testid='stSidebar'] [data-testid='stTextInput'] input").first
    box.wait_for(timeout=10_000)
    link = box.input_value()
    assert link.startswith(app_url + "/peta?") and "region=81" in link and "period=" in link
    assert page.locator("[data-testid='stCode']").count() == 0

    # Asking for the table loads the DataFrame chunk, and only now.
    page.get_by_text("Tampilkan tabel", exact=True).click()
    table_chunks = (HEAVY_CHUNKS["DataFrame"], HEAVY_CHUNKS["Arrow helpers (tables)"])
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=30_000)
    # The Arrow helpers are asked for by the DataFrame chunk once it runs: wait for both.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(chunk_names(seen, c) for c in table_chunks):
        page.wait_for_timeout(250)
    assert chunk_names(seen, HEAVY_CHUNKS["DataFrame"]), "the table's chunk never loaded"
    assert chunk_names(seen, HEAVY_CHUNKS["Arrow helpers (tables)"]), "no Arrow chunk"
    assert not chunk_names(seen, HEAVY_CHUNKS["deck.gl (pydeck)"])


def test_the_map_page_draws_its_map_without_plotly(app_url, page) -> None:
    """``/peta`` by status (its default) draws the SVG renderer's map: plotly's chunk (4.7 MB,
    1.3 MB compressed, ~2.3 s to start on a slow phone) is neither preloaded nor loaded, and
    the component's own chunk is. The overview, with its plotly charts, still loads it."""
    seen = record_static(page)
    page.goto(f"{app_url}/peta?region=81&segment=all&metric=status")
    wait_for_app(page)
    page.wait_for_selector(".cakupan-map[data-drawn]", timeout=30_000)
    page.wait_for_timeout(500)
    assert chunk_names(seen, "BidiComponent.")
    assert chunk_names(seen, "PlotlyChart.") == []
    assert page.locator(".js-plotly-plot").count() == 0
    page.goto(f"{app_url}/tren?region=81&segment=all")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert chunk_names(seen, "PlotlyChart.")

