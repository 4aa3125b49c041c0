"""Kelola Data, boundaries tab (issue 15): an admin previews a file, enters its licence,
applies it, and switches back to the default set; the store and the maps follow."""

from __future__ import annotations

import pytest

from tests.app.test_pages import assert_clean, open_page
from tests.unit.geo import byo_files as files

pytestmark = pytest.mark.app


@pytest.fixture
def admin(monkeypatch: pytest.MonkeyPatch, tmp_path, geo_ready):
    """A signed-in admin, and a cache folder of this test's own (the default set linked in,
    so this test's version never reaches anyone else's maps)."""
    from cakupan import geo, store
    from cakupan.core.access import operator
    from ui import auth

    default = geo.cache_path()
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / default.name).symlink_to(default, target_is_directory=True)
    monkeypatch.setenv("CAKUPAN_CACHE_DIR", str(cache))
    engine = store.get_engine()
    store.add_user(engine, "admin@example.org", "admin", actor=operator())
    monkeypatch.setattr(auth, "signed_in_email", lambda: "admin@example.org")
    yield engine
    store.boundaries.activate(engine, None, actor=operator())
    store.remove_user(engine, "admin@example.org", actor=operator())
    geo.clear_memory()


def test_admin_previews_applies_and_switches_back(admin, tmp_path) -> None:
    from cakupan import geo, store
    from cakupan.geo import byo
    from cakupan.ingest import boundaries
    from ui.boundaries import PREVIEW_KEY

    data = files.shapefile_zip(tmp_path / "shp")
    preview = boundaries.preview_file(data, "BATAS_KAB_MALUKU.zip",
                                      raw=byo.read_boundary_bytes(data, "x.zip"))
    at = open_page("kelola")
    at.session_state[PREVIEW_KEY] = preview
    at.run()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cocok"] == "11" and metrics["Tidak cocok"] == "0"
    (matched,) = [d.value for d in at.dataframe if "Kode Kemendagri" in d.value.columns]
    assert matched["Kode Kemendagri"].tolist() == [c for c, *_ in files.MALUKU]
    assert "KAB. MALUKU TENGGARA BARAT" in matched["Nama di berkas"].tolist()
    apply = at.button(key="boundary_apply")
    assert apply.disabled  # no licence yet
    at.text_area(key="boundary_licence").input("CC BY 4.0")
    at.text_input(key="boundary_source").input("Geoportal Maluku")
    at.run()
    at.button(key="boundary_apply").click().run()
    assert_clean(at)
    active = store.boundaries.active_version(admin)
    assert active is not None and active["source"] == "Geoportal Maluku"
    assert active["scope"] == "covered" and active["licence"] == "CC BY 4.0"
    assert geo.byo.folder_for("81") is not None
    assert any(active["id"] in t.value for t in at.text)  # "In use now: ... version <id>"
    at.button(key="boundary_default").click().run()
    assert_clean(at)
    assert store.boundaries.active_version(admin) is None and byo.folder_for("81") is None


def test_boundaries_tab_is_for_admins_only(geo_ready, monkeypatch) -> None:
    from cakupan import store
    from cakupan.core.access import operator
    from ui import auth

    engine = store.get_engine()
    store.add_user(engine, "ed81@example.org", "editor", ["81"], actor=operator())
    monkeypatch.setattr(auth, "signed_in_email", lambda: "ed81@example.org")
    try:
        at = open_page("kelola")
        assert_clean(at)
        assert "Batas wilayah" not in [t.label for t in at.tabs]
        assert not [b for b in at.button if b.key == "boundary_apply"]
    finally:
        store.remove_user(engine, "ed81@example.org", actor=operator())
