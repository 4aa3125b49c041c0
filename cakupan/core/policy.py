"""Numbers fixed by regulation, kept in one place so every layer applies the same rule."""

from __future__ import annotations

#: Inpres 4/2022: pekerja rentan to be protected per village, premiums paid from Dana Desa.
VULNERABLE_WORKERS_PER_VILLAGE = 100


def inpres4_quota(villages: int) -> int:
    """Inpres 4/2022 target: 100 pekerja rentan per village, funded from Dana Desa."""
    return int(villages) * VULNERABLE_WORKERS_PER_VILLAGE
