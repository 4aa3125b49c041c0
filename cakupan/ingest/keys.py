"""The keys a file has shown so far, each with the sheet row it first came in: how a repeated
key (the same region, month, scope, segment and programme twice) is found and named, within
a chunk and across the chunks of a file read in pieces.

A million keys as Python tuples in a dict cost about 200 MB; here each key is one 64-bit
integer (every part numbered by a small dictionary of the distinct values seen) in a sorted
NumPy array beside its first row: 16 bytes a key, 19 MB for the 1.2M-row national panel.
The numbering is exact, not a hash, so two different keys can never be taken for one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cakupan.ingest.results import KEY_COLUMNS

#: Bits of each key part in the packed integer, in :data:`KEY_COLUMNS` order (period,
#: region_code, scope, segment, programme): 65,536 months, 16 million region codes, 256 of
#: each of the rest. A file cannot reach them (514 regencies, a few hundred months).
_BITS = (16, 24, 8, 8, 8)


class KeyIndex:
    """Distinct observation keys seen so far and the first sheet row of each."""

    def __init__(self) -> None:
        self._numbers: list[dict[object, int]] = [{} for _ in KEY_COLUMNS]
        self._codes = np.empty(0, dtype=np.uint64)
        self._rows = np.empty(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._codes)

    def _encode(self, keys: pd.DataFrame) -> np.ndarray:
        code = np.zeros(len(keys), dtype=np.uint64)
        for column, numbers, bits in zip(KEY_COLUMNS, self._numbers, _BITS, strict=True):
            values = keys[column]
            for value in pd.unique(values):
                numbers.setdefault(value, len(numbers))
            if len(numbers) > 1 << bits:
                raise OverflowError(f"more than {1 << bits} distinct {column} values in one "
                                    "file")
            part = values.map(numbers).to_numpy(dtype=np.uint64)
            code = (code << np.uint64(bits)) | part
        return code

    def first_rows(self, keys: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
        """For each key (a frame with :data:`KEY_COLUMNS`, in record order) the sheet row of
        its first occurrence when it is a repeat, else -1; the new keys are remembered.

        "First" is the earliest call, then the earliest record within a call: what a
        whole-file parse of the same records in the same order reports.
        """
        rows = np.asarray(rows, dtype=np.int64)
        out = np.full(len(keys), -1, dtype=np.int64)
        if not len(keys):
            return out
        codes = self._encode(keys)
        unique, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        at = np.searchsorted(self._codes, unique)
        known = np.zeros(len(unique), dtype=bool)
        inside = at < len(self._codes)
        known[inside] = self._codes[at[inside]] == unique[inside]
        earliest = rows[first].copy()
        earliest[known] = self._rows[at[known]]
        out = earliest[inverse]
        leading = np.zeros(len(codes), dtype=bool)
        leading[first] = True
        out[leading & ~known[inverse]] = -1  # a key's first record ever is not a repeat
        new = ~known
        self._codes = np.insert(self._codes, at[new], unique[new])
        self._rows = np.insert(self._rows, at[new], rows[first[new]])
        return out
