"""Old extents: regions as they were before a split, under keys of their own.

A figure published for Papua before the 2022 splits (the Kemnaker 2023 table still lists 34
provinces) covers today's Papua, Papua Selatan, Papua Tengah and Papua Pegunungan. Stored under
``91`` it would claim that today's smaller Papua had all those workers; spread over the four it
would invent a split nobody published. So it gets a key of its own, ``91~pra2022``, that says
what it covers, and charts set it beside its successors instead of inside one of them.

A key is the current code of the province that kept the name, ``~``, and a tag naming the
change (``pra2022``: before the 2022 splits). Its first two characters are therefore a current
province code: access scopes (``key[:2]``) and the store's ``province_code`` column stay
meaningful (an editor for Papua may correct old-Papua figures). ``~`` never occurs in a
Kemendagri code, so no old-extent key can be mistaken for a current region.

Provenance: the successor lists are the 2022 laws creating the provinces (UU 14, 15 and 16 of
2022: Papua Selatan, Papua Tengah, Papua Pegunungan; UU 29/2022: Papua Barat Daya), as the
registry package's codes 93-96 record them; ``../shared/research/README.md`` explains the trap.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "~"


@dataclass(frozen=True)
class OldExtent:
    """A region's extent before a boundary change, and the current regions that cover it."""

    key: str  # "91~pra2022"
    name: str  # how it is labelled, in Indonesian (the names are proper nouns)
    name_en: str
    successors: tuple[str, ...]  # current Kemendagri codes whose union is the old extent
    until: str  # last month (YYYY-MM) the extent was current
    change: str  # what happened, for the note on a chart's break


OLD_EXTENTS: dict[str, OldExtent] = {
    e.key: e for e in (
        OldExtent("91~pra2022", "Papua (wilayah sebelum pemekaran 2022)",
                  "Papua (extent before the 2022 splits)",
                  ("91", "93", "94", "95"), "2022-06",
                  "UU 14, 15, 16/2022: Papua Selatan, Papua Tengah and Papua Pegunungan "
                  "split from Papua"),
        OldExtent("92~pra2022", "Papua Barat (wilayah sebelum pemekaran 2022)",
                  "Papua Barat (extent before the 2022 split)",
                  ("92", "96"), "2022-11",
                  "UU 29/2022: Papua Barat Daya split from Papua Barat"),
    )
}


def is_old_extent(key: object) -> bool:
    """Whether ``key`` names an old extent (``"91~pra2022"``), not a current region."""
    return isinstance(key, str) and key in OLD_EXTENTS


def old_extent(key: str) -> OldExtent:
    """The old extent with this key; ``KeyError`` for any other string."""
    return OLD_EXTENTS[key]


def old_extent_of(current_code: str) -> OldExtent | None:
    """The old extent a current province was part of (``"94"`` -> old Papua), else ``None``."""
    for extent in OLD_EXTENTS.values():
        if current_code in extent.successors:
            return extent
    return None
