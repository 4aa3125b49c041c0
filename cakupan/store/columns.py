"""The store's vocabulary and column lists: what a row of each table may hold.

Shared by the checks, the writer and the readers, and by callers that build frames for them.
"""

from __future__ import annotations

from cakupan.core import vocabulary

SEGMENTS = vocabulary.SEGMENTS
PROGRAMMES = (*vocabulary.PROGRAMMES, vocabulary.ANY_PROGRAMME)
SCOPES = ("region", "pemprov")
BATCH_KINDS = ("seed_published", "seed_illustrative", "upload")
SOURCE_KINDS = ("article", "regulation", "upload", "illustrative", "reference")

#: One current figure per key.
OBS_KEY = ["period", "region_code", "scope", "segment", "programme"]
#: Columns of an observation frame, as callers pass them and as queries return them.
OBS_COLUMNS = [*OBS_KEY, "registered", "eligible", "coverage_pct", "illustrative", "source_id",
               "batch_id", "note", "quote"]
TARGET_COLUMNS = ["id", "region_code", "segment", "programme", "target_pct", "target_count",
                  "deadline", "baseline_period", "basis", "source_id", "illustrative", "note",
                  "quote"]
RATE_COLUMNS = ["programme", "segment", "rupiah_per_person_month", "valid_from", "source_id",
                "note", "quote"]
SOURCE_COLUMNS = ["id", "kind", "publisher", "title", "url", "published", "accessed", "quote",
                  "licence", "notes", "stored_copy"]

#: Region key of a figure for Indonesia as a whole (published measures only: the observations
#: and targets hold Kemendagri codes, and a national coverage is the sum of the provinces).
NATIONAL_KEY = "00"
#: Segments a published measure may have: the coverage segments, plus ``mixed`` for a figure
#: over several of them that the source does not split (e.g. "pekerja rentan and non-ASN").
MEASURE_SEGMENTS: tuple[str, ...] = (*SEGMENTS, "mixed")
#: What a published measure's value counts.
MEASURE_UNITS: tuple[str, ...] = ("people", "thousand_people", "percent", "villages",
                                  "companies", "bodies", "rank", "flag", "rupiah",
                                  "per_100_employed")
#: A published figure of another measure than UCJ coverage (``published_measures``).
#: ``members``: for a figure over a group of regencies (a BPJS branch office's area), their
#: codes joined by ``;`` while ``region_code`` is their province; empty otherwise.
MEASURE_COLUMNS = ["measure", "period", "region_code", "members", "segment", "value",
                   "value_high", "unit", "derived", "source_id", "note", "quote"]
