"""Analysis: pure functions over coverage frames, the numbers behind every view.

- ``metrics``: coverage, status, snapshots, series, gaps, pace, projections, rankings;
- ``targets``: which target and premium rate apply to a region, segment and month;
- ``outlook``: will a region reach its target, and what closing the gap takes;
- ``profile``: one regency's figures per segment and programme;
- ``published``: which published figure leads (a region's latest, or the nearest a month).

Takes DataFrames, returns DataFrames or plain values: no store, no files, no drawing.
May import: the layers below it (``cakupan.ingest``, ``store``, ``geo``, ``regions``, ``core``),
though today it needs only ``core``: frames come in as arguments.
"""
