"""Kelola Data end to end: an editor of Maluku signs in at a real OIDC provider, uploads a
spreadsheet, checks it, publishes it; the store records the batch as theirs, with an audit row.
A file with a Sulawesi Tenggara row is refused, naming the row.
"""

from __future__ import annotations

import time

import pytest

from cakupan import store
from cakupan.core.access import operator
from tests.browser.conftest import (
    _free_port,
    auth_secrets,
    main_text_with,
    screenshot_dir,
    serve_app,
    sign_in_at_provider,
    wait_for_app,
)

pytestmark = pytest.mark.browser

EMAIL = "kacab.ambon@example.org"
MALUKU = ("Kode;Periode;Segmen;Peserta;Potensi\n81.01;2030-02;bpu;1.356;4.000\n"
          "81.71;2030-02;bpu;2.000;5.000\n")
MIXED = "Kode;Periode;Segmen;Peserta\n81.01;2030-03;bpu;10\n74.05;2030-03;bpu;5\n"


def test_an_editor_signs_in_checks_and_publishes_a_maluku_file(
        geo_ready, oidc_provider: str, page, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    engine = store.get_engine(url)
    store.add_user(engine, EMAIL, "editor", ["81"], actor=operator())
    port = _free_port()
    secrets_file = auth_secrets(tmp_path, port, oidc_provider)
    good, mixed = tmp_path / "maluku.csv", tmp_path / "campur.csv"
    good.write_text(MALUKU, encoding="utf-8")
    mixed.write_text(MIXED, encoding="utf-8")
    with serve_app(tmp_path, port, ("--secrets.files", str(secrets_file))) as base:
        page.goto(f"{base}/kelola")
        wait_for_app(page)
        main_text_with(page, "akun editor atau admin")  # signed out: one sentence, no control
        assert page.locator("[data-testid='stFileUploader']").count() == 0

        page.get_by_role("button", name="Masuk").click()
        sign_in_at_provider(page, EMAIL)
        page.wait_for_url(f"{base}/**", timeout=30_000)
        page.goto(f"{base}/kelola")
        wait_for_app(page)
        main_text_with(page, f"{EMAIL} (editor)", "81")

        # A file with a 74 row: refused whole, the row named.
        page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
            str(mixed))
        wait_for_app(page)  # the upload's own rerun is over before the click
        page.get_by_role("button", name="Periksa").click()
        text = main_text_with(page, "74.05", "di luar provinsi")
        assert "Impor dibatalkan" in text

        # The Maluku file: preview, then publish.
        page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
            str(good))
        wait_for_app(page)
        page.get_by_role("button", name="Periksa").click()
        main_text_with(page, "Pratinjau: 2 baris terbaca, 2 angka siap diterbitkan",
                       timeout_s=60)
        started = time.monotonic()
        page.get_by_role("button", name="Terbitkan").click()
        main_text_with(page, "2 dari 2 baris diimpor")
        published_s = time.monotonic() - started
        page.screenshot(path=str(screenshot_dir() / "kelola-editor-published.png"),
                        full_page=True)
    batches = store.list_batches(engine)
    upload = batches[batches["kind"] == "upload"].iloc[0]
    assert (upload["file_name"], upload["imported_by"]) == ("maluku.csv", f"email:{EMAIL}")
    trail = store.audit_trail(engine, action="import")
    assert trail.loc[0, "actor"] == f"email:{EMAIL}" and trail.loc[0, "rows"] == 2
    got = store.current_observations(engine, region_codes=["81.01"], period="2030-02",
                                     segment="bpu")
    assert got["registered"].tolist() == [1356]  # "1.356" read as an Indonesian thousand
    store.clear_engines()
    print(f"publish click -> success shown: {published_s:.1f} s")
