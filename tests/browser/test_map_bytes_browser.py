"""A shared map link on a slow line: the geometry comes once, a month step carries values only.

Bytes are counted as the browser's websocket hands them over (after permessage-deflate is
undone), so the bound is on the message itself; ``bench --network regional`` reports the
same on an emulated regional link, with times.
"""

from __future__ import annotations

import re
import time

import pytest

from cakupan.benchmarks.browser import SHAPES
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

#: Issue 11's budget for one month step on the national map (all websocket frames).
STEP_BUDGET_BYTES = 50_000
#: GeoJSON geometry as JSON carries it (the renderer's script names the key, so the bare
#: word is not enough).
GEOMETRY = re.compile(rb'"coordinates"\s*:\s*\[')


def drawn(page, timeout_s: float = 60, at_least: int = 1) -> int:
    """Shapes MapLibre has rendered, once there are ``at_least`` (a redraw after a month
    step is progressive: the first count can be taken halfway through it)."""
    deadline = time.monotonic() + timeout_s
    shapes = 0
    while time.monotonic() < deadline:
        shapes = page.evaluate(SHAPES)
        if shapes >= at_least:
            return shapes
        time.sleep(0.2)
    if shapes:
        return shapes
    raise AssertionError("the map was not drawn")


def test_a_month_step_sends_values_not_geometry(app_url, page) -> None:
    geo_requests: list[str] = []
    page.on("request", lambda r: "/geo/" in r.url and geo_requests.append(r.url))
    frames: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
    page.goto(f"{app_url}/peta?segment=all&metric=status&period=2024-12")
    wait_for_app(page)
    assert drawn(page, at_least=480) >= 480
    assert len(geo_requests) == 1 and "/geo/national." in geo_requests[0]
    assert not any(GEOMETRY.search(f if isinstance(f, bytes) else f.encode())
                   for f in frames)  # the first map named its geometry, did not carry it

    frames.clear()
    page.locator("[data-testid='stSlider'] input[type=range]").first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('period=2024-11')",
                           timeout=30_000)
    wait_for_app(page)
    step = [f if isinstance(f, bytes) else f.encode() for f in frames]
    assert step, "the month step sent nothing"
    assert not any(GEOMETRY.search(f) for f in step)
    assert sum(len(f) for f in step) <= STEP_BUDGET_BYTES, sum(len(f) for f in step)
    assert drawn(page, at_least=480) >= 480
    assert len(geo_requests) == 1  # the new month's figure did not fetch its geometry again
