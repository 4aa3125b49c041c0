"""A public visitor reads everything and can change nothing: no uploader, no publish, no
rollback and no user control on any page, and Kelola Data says how to get access."""

from __future__ import annotations

import pytest

from tests.app.test_pages import assert_clean, open_page
from ui.shell import PAGES

pytestmark = pytest.mark.app

WRITE_LABELS = ("Terbitkan", "Publish", "Batalkan batch", "Roll back batch", "Simpan peran",
                "Save role", "Hapus peran", "Remove role", "Periksa", "Check")


@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_page_offers_an_anonymous_visitor_a_way_to_change_data(geo_ready, page: str) -> None:
    at = open_page(page)
    assert_clean(at)
    assert at.get("file_uploader") == []
    labels = [b.label for b in at.button]
    assert not [label for label in labels if label in WRITE_LABELS], labels


def test_kelola_tells_a_visitor_to_sign_in_and_shows_no_control(geo_ready) -> None:
    at = open_page("kelola")
    assert_clean(at)
    assert any("masuk dengan akun editor" in i.value for i in at.info)
    assert at.tabs == [] or len(at.tabs) == 0
    en = open_page("kelola", lang="en")
    assert any("signed in with an editor" in i.value for i in en.info)


def test_the_uploader_check_would_see_an_uploader() -> None:
    """The check above is not vacuous: AppTest does report a file uploader where one is."""
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        st.file_uploader("f")
        st.button("Terbitkan")

    at = AppTest.from_function(script).run()
    assert len(at.get("file_uploader")) == 1
    assert [b.label for b in at.button] == ["Terbitkan"]


@pytest.fixture
def editor81(monkeypatch: pytest.MonkeyPatch):
    """A signed-in editor of Maluku: the identity is patched where the app reads it (what
    ``st.login`` would give); the role comes from the real store, as in production."""
    from cakupan import store
    from cakupan.core.access import operator
    from ui import auth

    engine = store.get_engine()
    store.add_user(engine, "editor81@example.org", "editor", ["81"], actor=operator())
    monkeypatch.setattr(auth, "signed_in_email", lambda: "editor81@example.org")
    yield engine
    store.remove_user(engine, "editor81@example.org", actor=operator())


def test_an_editor_sees_only_their_batches_and_rolls_one_back(geo_ready, editor81) -> None:
    import pandas as pd

    from cakupan import store
    from cakupan.core.access import operator

    def upload(code: str, sha: str) -> str:
        frame = pd.DataFrame([{"period": "2030-01", "region_code": code, "segment": "bpu",
                               "registered": 7}])
        return store.write_batch(editor81, frame, file_name=f"{sha}.csv", sha256=sha,
                                 actor=operator())

    maluku, sultra = upload("81.01", "kelola-81"), upload("74.05", "kelola-74")
    at = open_page("kelola")
    assert_clean(at)
    assert any("editor81@example.org (editor)" in t.value and "81" in t.value for t in at.text)
    shown = at.dataframe[0].value["id"].tolist()
    assert maluku in shown and sultra not in shown
    at.selectbox(key="batch_choice").set_value(maluku).run()
    next(b for b in at.button if b.key == "rollback_go").click().run()
    assert any("tercatat" in s.value for s in at.success)
    assert_clean(at)
    statuses = store.list_batches(editor81).set_index("id")["status"]
    assert (statuses[maluku], statuses[sultra]) == ("rolled_back", "active")
    trail = store.audit_trail(editor81, action="rollback")
    assert trail.loc[0, "actor"] == "email:editor81@example.org"
    assert trail.loc[0, "batch_id"] == maluku
