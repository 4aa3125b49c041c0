"""The store's own guard takes village (PP.RR.KK.DDDD) and district (PP.RR.KK) codes of the
village reference, and still refuses codes that are in neither reference."""

from __future__ import annotations

import pandas as pd
import pytest

from cakupan import store
from cakupan.core.errors import CakupanError


def _frame(code: str) -> pd.DataFrame:
    return pd.DataFrame({"period": ["2024-06"], "region_code": [code],
                         "segment": ["pekerja_rentan"], "registered": [40], "eligible": [100],
                         "source_id": ["upload-x"]})


@pytest.mark.parametrize("code", ["81.03.01.2002", "81.03.01", "81.03"])
def test_village_district_and_regency_codes_are_accepted(code: str) -> None:
    assert list(store.prepare_observations(_frame(code))["region_code"]) == [code]


@pytest.mark.parametrize("code", ["81.03.01.9999", "81.03.99", "81.03.01.2002.1"])
def test_unknown_codes_are_refused(code: str) -> None:
    with pytest.raises(CakupanError, match="is not a Kemendagri code"):
        store.prepare_observations(_frame(code))
