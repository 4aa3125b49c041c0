"""Streamlit-only helpers (``render_*``), the one place besides pages that imports Streamlit."""
