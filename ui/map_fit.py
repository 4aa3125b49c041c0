"""Fit each map to the frame it actually got: a projector, a laptop or a phone.

The server cannot know the width of the browser's frame, and plotly.js 3.8 (bundled with
Streamlit 1.67) auto-fits only ``geo`` subplots, not the tile-free MapLibre ``map`` subplot the
choropleth uses. So the figure carries its view's extent (``layout.meta``, see
:data:`cakupan.present.maps.FIT_KEY`) and this small script, written here and never built from
data, asks MapLibre to fit that extent into the drawn canvas: when a map appears, when its
frame changes size, and when the view changes (another ``uirevision``). A month step keeps the
framing, and so does the reader's own pan and zoom, until the frame is resized.

It reaches MapLibre through plotly's graph div (``gd._fullLayout.map._subplot.map``), which
is plotly.js's internal structure: the browser tests measure the drawn extent with the same
handle (``tests/browser/test_screens_browser.py``), so a Streamlit upgrade that moves it fails
a test instead of silently leaving maps unfitted (they would then keep the server's estimate).
"""

from __future__ import annotations

import streamlit as st

from cakupan.present.maps import FIT_KEY

#: Pixels kept free around the extent (MapLibre ``fitBounds`` padding).
PADDING_PX = 10

SCRIPT = """
<script>
(() => {
  if (window.__cakupanFit) { window.__cakupanFit(); return; }
  const KEY = "__KEY__", PAD = __PAD__;
  function fit(gd) {
    const meta = gd.layout && gd.layout.meta, b = meta && meta[KEY];
    const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!b || !sub || !sub.map) return;
    const map = sub.map, canvas = map.getCanvas();
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (w < 20 || h < 20) return;
    const key = [w, h, b.join(","), gd.layout.uirevision].join("|");
    const reset = gd.__cakupanZoom !== undefined && gd.layout.map &&
      Math.abs(map.getZoom() - gd.__cakupanZoom) > 0.01 &&
      Math.abs(map.getZoom() - gd.layout.map.zoom) < 0.001;
    if (gd.__cakupanKey === key && !reset) return;
    const pad = Math.min(PAD, Math.floor(Math.min(w, h) / 20));
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], {padding: pad, animate: false});
    gd.__cakupanKey = key;
    gd.__cakupanZoom = map.getZoom();
  }
  const scan = () => document.querySelectorAll(".js-plotly-plot").forEach(fit);
  window.__cakupanFit = scan;
  window.addEventListener("resize", () => setTimeout(scan, 50));
  setInterval(scan, 300);
  scan();
})();
</script>
""".replace("__KEY__", FIT_KEY).replace("__PAD__", str(PADDING_PX))


def install() -> None:
    """Put the fitting script on the page (once per run; the same text is not re-run)."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
