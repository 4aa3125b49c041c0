"""Regions: the Kemendagri reference (38 provinces, 514 regencies and cities) and the resolver
that turns the names people write ("Konsel", "Kab. MBD", "Bau-Bau") into codes.

- ``reference``: ``data/regions.csv`` read and checked once; lookups by code;
- ``extents``: old extents (Papua before the 2022 splits) under keys of their own;
- ``resolve``: exact, alias-table and province-scoped fuzzy matching; unsure means ``None``;
- ``villages``: the 83,762 desa/kelurahan (``data/villages.csv.gz``), read only when asked for;
- ``village_names``: village names within a regency (local words such as "Negeri", "Ohoi").

Callers use the package (``from cakupan import regions; regions.name_of("81.01")``): its public
names are the reference's, re-exported below. May import: ``cakupan.core`` only.
"""

from cakupan.regions.extents import OLD_EXTENTS, OldExtent, is_old_extent, old_extent, old_extent_of
from cakupan.regions.reference import (
    COLUMNS,
    KINDS,
    LEVELS,
    REGIONS_CSV,
    Region,
    get,
    is_province_code,
    is_valid_code,
    load_regions,
    name_of,
    province_of,
    provinces,
    read_regions,
    regencies,
    villages_of,
)

__all__ = [
    "COLUMNS",
    "KINDS",
    "LEVELS",
    "OLD_EXTENTS",
    "REGIONS_CSV",
    "OldExtent",
    "Region",
    "get",
    "is_old_extent",
    "is_province_code",
    "is_valid_code",
    "load_regions",
    "name_of",
    "old_extent",
    "old_extent_of",
    "province_of",
    "provinces",
    "read_regions",
    "regencies",
    "villages_of",
]
