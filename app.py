"""Entry point: ``streamlit run app.py``.

An ``st.App`` serving the router script (``router.py``) so that the server can warm up when
it starts: imports, the store and the boundary views are loaded in a background thread while
the first visitor's browser is still fetching the front end, instead of inside that
visitor's first script run (measured: ``bench`` -> ``browser_first_hit_map_s``).

It also adds what a bare server lacks (``ui/http_assets.py``): the maps' boundary files at
``/geo/`` (fetched once, cached a year) and gzip with long-lived caching for Streamlit's own
front end, which 1.67 sends uncompressed.
"""

import streamlit as st
from starlette.middleware import Middleware

from ui import http_assets
from ui.warmup import lifespan

_base = st.get_option("server.baseUrlPath") or ""
app = st.App("router.py", lifespan=lifespan, routes=http_assets.routes(_base),
             middleware=[Middleware(http_assets.PagePreload, base_url_path=_base),
                         Middleware(http_assets.StaticCompression, base_url_path=_base)])
