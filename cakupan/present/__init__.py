"""Presentation: how figures look, in either language, without Streamlit.

- ``fmt``: Indonesian and English numbers, percentages, rupiah, months and dates;
- ``palette``: the colour-blind-safe colours, legends and contrast checks;
- ``state``: :class:`~cakupan.present.state.ViewState`, the URL parameters of a shared view;
- ``charts``, ``trend_chart``, ``chart_style``: plotly figures (trend, bars, gauge);
- ``maps`` (plotly choropleth, shared colours and tooltips), ``deck_maps`` (pydeck) and
  ``mapview`` (a map of one view and one month, as the pages draw it);
- ``figure_spec``, ``deck_text``, ``text_fit``, ``static``: the briefing's still pictures
  (matplotlib PNGs) and words, shared by the page and the PPTX/PDF files.

May import: ``cakupan.analysis`` and the layers below it (``geo`` for boundary views,
``regions``, ``core``); never the briefing or the commands above it.
"""
