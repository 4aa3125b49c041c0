"""The column-mapping step in a real browser (issue 12, item 2): an editor of Maluku uploads a
ministry-style export whose figure headers detection does not know, the check is refused with
the step named, the step opens with the file's first rows, the editor picks the two figure
columns from the pickers (letter and header text) and the check shows the preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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

EMAIL = "kacab.tual@example.org"
EXPORT = ("Laporan Kepesertaan Posisi Juni 2030;;;;\n"
          "Nama Pemda;Periode;Segmen;Jml TK Aktif;Jml Sasaran\n"
          "Kota Ambon;Jun 2030;BPU;1.200;2.000\n"
          "Buru;Jun 2030;BPU;50;80\n")


def pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label``: open its list and click the
    option, again if a rerun closed the list first (the page's freshness check reruns it)."""
    combo = page.get_by_role("combobox", name=label, exact=True)
    for attempt in range(4):
        combo.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
    wait_for_app(page)


def test_an_editor_maps_the_figure_columns_detection_refused(
        geo_ready, oidc_provider: str, page, tmp_path) -> None:
    engine = store.get_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    store.add_user(engine, EMAIL, "editor", ["81"], actor=operator())
    store.clear_engines()
    port = _free_port()
    secrets_file = auth_secrets(tmp_path, port, oidc_provider)
    export = tmp_path / "ekspor.csv"
    export.write_text(EXPORT, encoding="utf-8")
    with serve_app(tmp_path, port, ("--secrets.files", str(secrets_file))) as base:
        page.goto(f"{base}/kelola")
        wait_for_app(page)
        page.get_by_role("button", name="Masuk").click()
        sign_in_at_provider(page, EMAIL)
        page.wait_for_url(f"{base}/**", timeout=30_000)
        page.goto(f"{base}/kelola")
        wait_for_app(page)
        main_text_with(page, f"{EMAIL} (editor)")

        page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
            str(export))
        wait_for_app(page)
        page.get_by_role("button", name="Periksa").click()
        text = main_text_with(page, "Tidak ada kolom angka", "4 baris pertama berkas",
                              timeout_s=60)
        assert "jumlah peserta" in text.split("langkah Pemetaan kolom")[1]
        assert page.locator("[data-testid='stDataFrame']").first.is_visible()  # first rows

        pick(page, "Jumlah peserta (terdaftar)", "D · Jml TK Aktif")
        pick(page, "Potensi (sasaran)", "E · Jml Sasaran")
        main_text_with(page, "region=A,registered=D,eligible=E,period=B,segment=C,header=2")
        page.get_by_role("button", name="Periksa").click()
        main_text_with(page, "Pratinjau: 2 baris terbaca, 2 angka siap diterbitkan",
                       timeout_s=60)
        page.screenshot(path=str(screenshot_dir() / "kelola-column-mapping.png"),
                        full_page=True)
