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
