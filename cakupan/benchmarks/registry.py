"""``python -m cakupan bench``: the project's performance budgets, measured.

Benchmarks register themselves with :func:`benchmark` in the modules of
``cakupan/benchmarks/``; each returns the measured value in the unit it declares. Budgets are
checked here, not in timed tests, because a loaded CI machine would make timed tests flaky.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass

from cakupan import benchmarks


@dataclass(frozen=True)
class Benchmark:
    name: str
    budget: float  # the issue's budget, in ``unit``
    unit: str  # "s", "ms", "bytes"
    issue: int
    func: Callable[[], float]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, budget: float, unit: str, issue: int) -> Callable:
    """Register ``func() -> measured value`` under ``name`` with its budget."""

    def wrap(func: Callable[[], float]) -> Callable[[], float]:
        REGISTRY[name] = Benchmark(name, budget, unit, issue, func)
        return func

    return wrap


def best_of(func: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in seconds (warm figures: the minimum is the signal)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def load_all() -> dict[str, Benchmark]:
    for info in pkgutil.iter_modules(benchmarks.__path__):
        importlib.import_module(f"{benchmarks.__name__}.{info.name}")
    return REGISTRY


def selected(name: str, only: list[str] | None) -> bool:
    """Whether ``--only`` picks ``name``: by its full name, or by a prefix ending where a
    ``_`` follows (``data_scale`` runs every ``data_scale_*`` figure of one measurement)."""
    return not only or any(name == o or name.startswith(o + "_") for o in only)


def run(only: list[str] | None = None) -> list[dict]:
    results = []
    for name, bench in sorted(load_all().items()):
        if not selected(name, only):
            continue
        try:
            value = float(bench.func())
            error = None
        except Exception as err:  # a failing benchmark is reported, not fatal to the others
            value, error = float("nan"), f"{type(err).__name__}: {err}"
        results.append({
            "name": name, "value": round(value, 4), "unit": bench.unit, "budget": bench.budget,
            "ok": error is None and value <= bench.budget, "issue": bench.issue, "error": error,
        })
    return results
