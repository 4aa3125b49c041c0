"""``python -m cakupan bench``: the performance budgets of the issues, measured, not guessed.

``registry`` holds the :func:`~cakupan.benchmarks.registry.benchmark` decorator and the runner;
each other module registers the benchmarks of one area (app, brief, browser, geo, ingest,
regions, store) with its budget and unit. ``load`` is apart: ``bench --load`` starts the served
topology (``cakupan.hosting``) and drives it with real browsers; it registers no budget.
``network`` is apart too: ``bench --network regional`` runs the naive peer, Cakupan bare and
through the topology on an emulated mobile link in Chromium and judges its own budgets.

May import: ``cakupan.hosting`` and every layer below it; not ``cakupan.commands``.
"""
