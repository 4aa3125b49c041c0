"""Entry point: ``streamlit run app.py``.

An ``st.App`` serving the router script (``router.py``) so that the server can warm up when
it starts: imports, the store and the boundary views are loaded in a background thread while
the first visitor's browser is still fetching the front end, instead of inside that
visitor's first script run (measured: ``bench`` -> ``browser_first_hit_map_s``).
"""

import streamlit as st

from ui.warmup import lifespan

app = st.App("router.py", lifespan=lifespan)
