"""Reading the project's committed CSV files: checked up front, with messages that say what
was expected (STYLE.md 5), shared by every loader so they fail the same way."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cakupan.core.errors import CakupanError


def read_checked_csv(path: Path, columns: Sequence[str], *, missing_hint: str) -> pd.DataFrame:
    """The file's ``columns`` as text (empty cells stay ""), or a CakupanError naming what is
    wrong: the file missing (``missing_hint`` says how to get it) or the columns it lacks."""
    if not path.exists():
        raise CakupanError(f"{missing_hint}: {path} not found")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CakupanError(f"{path.name} lacks columns {missing}; expected {list(columns)}")
    return frame[list(columns)]
