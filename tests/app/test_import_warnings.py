"""Kelola Data shows the importer's warnings beside the preview (issue 12, item 1): a month
read from a title row and an old-extent key, as plain text in the viewer's language; the
preview names the old extent by its own name."""

from __future__ import annotations

import pytest

from tests.app.test_access_pages import editor81  # noqa: F401  (the signed-in editor)
from tests.app.test_pages import assert_clean, open_page

pytestmark = pytest.mark.app


def test_the_preview_lists_warnings_as_text(geo_ready, editor81) -> None:  # noqa: F811
    at = open_page("kelola")
    assert_clean(at)
    data = ("Rekap Peserta Maluku;;\n"
            "Posisi: September 2022;;\n"
            "Kode;Kabupaten/Kota;Peserta (ribu)\n"
            "81.71;Kota Ambon;12,5\n"
            "81.04;Buru;4\n"
            "Sumber: BPJS Ketenagakerjaan Cabang Ambon;;\n").encode("cp1252")
    at.file_uploader[0].set_value(("maluku.csv", data, "text/csv"))
    at.selectbox(key="import_segment").set_value("pu")
    at.run()
    next(b for b in at.button if b.key == "import_check").click().run()
    assert_clean(at)
    assert any("2 baris siap diimpor" in s.value for s in at.success)
    assert any("3 catatan" in w.value for w in at.warning)
    lines = [t.value for t in at.text]
    assert any(v.startswith("Baris 2, kolom :") and "2022-09" in v for v in lines)
    assert any(v.startswith("Baris 3, kolom Peserta (ribu):") and "1.000" in v for v in lines)
    assert any(v.startswith("Baris 6,") and "catatan" in v for v in lines)
    preview = next(d.value for d in at.dataframe if "registered" in d.value.columns)
    assert sorted(preview["registered"].tolist()) == [4000, 12500]
