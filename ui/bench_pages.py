"""Warm script-run time of every page under AppTest (run by ``python -m cakupan bench``).

Lives in ``ui/`` because it imports Streamlit; the benchmark in ``cakupan/benchmarks/app.py``
runs it in a subprocess and reads one JSON object from its stdout.
"""

from __future__ import annotations

import json
import sys
import time

from streamlit.testing.v1 import AppTest

from cakupan.core import settings
from ui.shell import PAGES

LINKS = {
    "ringkasan": {"region": "81"},
    "peta": {"region": "74", "segment": "non_asn", "period": "2018-10"},
    "tren": {"region": "81"},
    "wilayah": {"region": "81.03"},
    "sumber": {},
    "briefing": {"region": "81", "period": "2024-11"},
}


def warm_ms(page: str, repeat: int = 3) -> float:
    at = AppTest.from_file(str(settings.PROJECT_DIR / "router.py"), default_timeout=300)
    for key, value in LINKS.get(page, {}).items():
        at.query_params[key] = value
    at.switch_page(PAGES[page][0])
    at.run()  # cold: imports, caches, boundaries
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        at.run()
        best = min(best, time.perf_counter() - start)
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    return 1000 * best


def main() -> None:
    pages = sys.argv[1:] or sorted(PAGES)
    print(json.dumps({page: round(warm_ms(page), 1) for page in pages}))


if __name__ == "__main__":
    main()
