"""Presentation: how figures look, in either language, without Streamlit.

- ``fmt``: Indonesian and English numbers, percentages, rupiah, months and dates;
- ``palette``: the colour-blind-safe colours, legends and contrast checks;
- ``state``: :class:`~cakupan.present.state.ViewState`, the URL parameters of a shared view;
- ``charts``, ``trend_chart``, ``chart_style``: plotly figures (trend, bars, gauge);
- ``maps``, ``mapview``: plotly and pydeck maps and their tooltips;
- ``figure_spec``, ``deck_text``, ``picture``, ``static``: the briefing's still pictures
  (matplotlib PNGs) and words, shared by the page and the PPTX/PDF files.

May import: ``cakupan.analysis``, ``cakupan.geo`` (boundary views), ``cakupan.regions`` and
``cakupan.core``; never the store, the importer or the briefing above it.
"""
