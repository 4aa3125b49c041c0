"""Benchmarks of the region reference and the name resolver (issue 2)."""

from __future__ import annotations

import random

from cakupan import regions
from cakupan.benchmarks.registry import benchmark, best_of
from cakupan.regions import resolve


def sample_names(n: int = 1000, seed: int = 2) -> list[str]:
    """A realistic mix of ``n`` names to resolve: what an imported spreadsheet column holds.

    Half official names written in the usual ways, a quarter aliases, the rest typos (which
    exercise the slow fuzzy path) and names that match nothing.
    """
    rng = random.Random(seed)
    frame = regions.load_regions()
    official = list(frame["name"]) + [f"Kab. {s}" for s in frame["short_name"]]
    aliases = [a.alias for a in resolve.load_aliases()]

    def typo(text: str) -> str:
        i = rng.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1:]

    names: list[str] = []
    for i in range(n):
        bucket = i % 8
        if bucket < 4:
            names.append(rng.choice(official))
        elif bucket < 6:
            names.append(rng.choice(aliases))
        elif bucket == 6:
            names.append(typo(rng.choice(list(frame["short_name"]))))
        else:
            names.append(f"Desa {rng.randrange(10_000)}")
    return names


@benchmark("resolve_1000_names", budget=1.0, unit="s", issue=2)
def resolve_1000_names() -> float:
    """Seconds to resolve 1,000 mixed names with the indexes warm (they load once per process)."""
    names = sample_names()
    resolve.resolve(names[:10])  # warm the cached reference and indexes
    return best_of(lambda: resolve.resolve(names), repeat=3)
