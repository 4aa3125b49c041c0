"""Cakupan: BPJS Ketenagakerjaan coverage by region.

The domain package. It never imports Streamlit (a test enforces this), so every function here
can be used from the command line (`python -m cakupan`), from tests and from the app alike.
"""

__version__ = "0.1.0"
