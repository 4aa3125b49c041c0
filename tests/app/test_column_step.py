"""Kelola Data's column-mapping step (issue 12, item 2), as a signed-in editor of Maluku: a file
detection refuses opens the step with the refusal naming what to set; the first rows are a
table; picking the columns makes the check pass with the normal preview; the mapping is saved
(audited, as the editor) and next month's export with the same headers gets it preset."""

from __future__ import annotations

import uuid

import pytest

from tests.app.test_access_pages import editor81  # noqa: F401  (the signed-in editor)
from tests.app.test_pages import assert_clean, open_page

pytestmark = pytest.mark.app


def export(token: str, month: str, ambon: str) -> bytes:
    """A ministry-style export: a title row, headers detection does not know, and a column
    headed with ``token`` so this test's header signature is its own in the shared store."""
    return (f"Laporan Kepesertaan Non ASN Posisi {month};;;\n"
            f"Nama Pemda;Jml TK Aktif;Jml Sasaran;Ket {token}\n"
            f"Kota Ambon;{ambon};2.000;kota\n"
            "Buru;50;80;\n").encode()


def frame_with(at, column: str):
    """The first table on the page with ``column`` (every tab's tables are in the tree)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def check(at):
    next(b for b in at.button if b.key == "import_check").click().run()
    return at


def test_a_refused_file_opens_the_step_and_the_mapping_checks_saves_and_returns(
        geo_ready, editor81) -> None:  # noqa: F811
    from cakupan import store

    token = uuid.uuid4().hex[:8]
    at = open_page("kelola")
    assert_clean(at)
    assert not any(t.key == "map_open" for t in at.toggle) or not at.toggle(key="map_open").value
    at.file_uploader[0].set_value(("juni.csv", export(token, "Juni 2024", "1.200"), "text/csv"))
    at.selectbox(key="import_segment").set_value("non_asn")
    at.text_input(key="import_period").input("2030-06")
    at.run()
    check(at)
    assert not at.exception

    # Refused: the error names the step and the fields to set; the step opened by itself.
    refusal = " ".join(e.value for e in at.error)
    assert "Pemetaan kolom" in refusal and "jumlah peserta" in refusal.split("Pemetaan kolom")[1]
    assert at.toggle(key="map_open").value is True
    first = frame_with(at, "A")
    assert list(first.columns) == ["A", "B", "C", "D"]
    assert first.loc[2, "B"] == "Jml TK Aktif" and first.loc[3, "A"] == "Kota Ambon"
    assert at.selectbox(key="map_header").value == 2  # the title row above is not the header
    assert at.selectbox(key="map_col_region").value == 0  # "Nama Pemda": detection knew that

    at.selectbox(key="map_col_registered").set_value(1)
    at.selectbox(key="map_col_eligible").set_value(2).run()
    assert any("region=A,registered=B,eligible=C" in t.value for t in at.text)
    check(at)
    assert_clean(at)
    assert any("2 baris siap diimpor" in s.value for s in at.success)
    preview = frame_with(at, "registered")
    assert sorted(preview["registered"].tolist()) == [50, 1200]
    assert sorted(preview["eligible"].tolist()) == [80, 2000]

    # Remember it: a store write as the editor, audited, for province 81.
    next(b for b in at.button if b.key == "map_save").click().run()
    assert_clean(at)
    assert any("81" in s.value and "Pemetaan disimpan" in s.value for s in at.success)
    trail = store.audit_trail(editor81, action="mapping")
    assert trail.loc[0, "actor"] == "email:editor81@example.org" and token not in str(
        trail.loc[0, "detail"]) and trail.loc[0, "regions"] == "81"

    # July's export, same headers, another title and figures: the step opens with the saved
    # mapping and the check passes without picking anything.
    july = open_page("kelola")
    july.file_uploader[0].set_value(("juli.csv", export(token, "Juli 2024", "1.350"),
                                     "text/csv"))
    july.selectbox(key="import_segment").set_value("non_asn")
    july.text_input(key="import_period").input("2030-07")
    july.run()
    assert july.toggle(key="map_open").value is True
    assert any("Pemetaan tersimpan" in i.value for i in july.info)
    assert july.selectbox(key="map_col_registered").value == 1
    check(july)
    assert_clean(july)
    assert sorted(frame_with(july, "registered")["registered"].tolist()) == [50, 1350]


def test_the_step_opens_on_demand_in_english_with_its_pickers(geo_ready, editor81) -> None:  # noqa: F811
    good = b"Kode;Periode;Segmen;Peserta;Potensi\n81.01;2030-02;bpu;1.356;4.000\n"
    at = open_page("kelola", lang="en")
    at.file_uploader[0].set_value(("maluku.csv", good, "text/csv")).run()
    at.toggle(key="map_open").set_value(True).run()
    assert_clean(at)
    assert any(s.value == "Column mapping" for s in at.subheader)
    labels = {s.key: s.label for s in at.selectbox}
    assert labels["map_col_registered"] == "Registered"
    assert labels["map_col_coverage_pct"] == "Coverage (%)"
    # Detection's reading is the starting point; the file has period and segment columns,
    # so the whole-file pickers are not asked for.
    assert at.selectbox(key="map_col_code").value == 0
    assert at.selectbox(key="map_col_eligible").value == 4
    assert "map_segment" not in labels and not any(t.key == "map_period" for t in at.text_input)
    check(at)
    assert_clean(at)
    assert any("1 rows ready" in s.value or "ready to import" in s.value for s in at.success)
