"""The words of the data model that every layer shares (CONTRACTS.md, "Vocabulary").

One definition, so the store's checks, the importer, the command line and the URL state can
never disagree on what a segment or a programme is.
"""

from __future__ import annotations

#: Segments, in reading order; ``all`` is the sum of the others.
SEGMENTS: tuple[str, ...] = ("non_asn", "aparatur_desa", "pekerja_rentan", "pu", "bpu",
                             "jakon", "all")
#: The five BPJS Ketenagakerjaan programmes (JKK, JKM, JHT, JP, JKP).
PROGRAMMES: tuple[str, ...] = ("jkk", "jkm", "jht", "jp", "jkp")
#: The programme value of a figure that counts members whatever their programmes.
ANY_PROGRAMME = "any"
#: A region's registration status, from fully to not at all, then no figure.
STATUSES: tuple[str, ...] = ("registered", "partial", "unregistered", "no_data")
