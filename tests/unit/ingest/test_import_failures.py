"""import_file when it is not the file's fault: the store fails (down, locked, disk full).

The person gets one sentence, in their language, that says it is not their file and to try
again later; the log gets the exception with its SQL. Nothing of it reaches the message.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from cakupan.ingest import ImportUnavailable, import_file, importer

pytestmark = pytest.mark.unit

GOOD = b"Kabupaten;Periode;Peserta;Potensi\nKonsel;Okt 2018;202;350\nKolaka;Okt 2018;295;\n"
SQL = "INSERT INTO observations (period, region_code) VALUES (?, ?)"


class FailingStore:
    """Stands in for ``cakupan.store``: every call fails as a full disk does in SQLite."""

    def __getattr__(self, name: str) -> Any:
        def fail(*_args: object, **_kw: object) -> None:
            raise OperationalError(SQL, ("2018-10", "74.05"), Exception(
                "database or disk is full"))

        return fail


def writer() -> dict[str, Any]:
    """Keyword arguments that let ``import_file`` write: an operator where it asks who acts
    (the access-controlled version), nothing where it does not (the earlier one)."""
    if "actor" not in inspect.signature(import_file).parameters:
        return {}
    from cakupan.core.access import operator

    return {"actor": operator()}


@pytest.fixture
def broken_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "store", FailingStore())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_store_failure_is_one_sentence_and_the_log_has_the_sql(
        broken_store: None, lang: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="cakupan.ingest.importer"), \
            pytest.raises(ImportUnavailable) as err:
        import_file(GOOD, "baik.csv", segment="non_asn", lang=lang, **writer())
    assert err.value.key == "save_failed"
    for text in (err.value.message(lang), str(err.value)):
        assert "INSERT" not in text and "OperationalError" not in text
        assert "disk is full" not in text and "baik.csv" not in text and "\n" not in text
    assert err.value.message("en") == (
        "The data could not be saved because of a problem with the storage, not with your "
        "file. Nothing was saved; please try again later.")
    assert err.value.message("id").startswith("Data tidak bisa disimpan karena gangguan di "
                                              "penyimpanan, bukan karena file Anda.")
    assert "OperationalError" in caplog.text and "INSERT INTO observations" in caplog.text
    assert "saving 'baik.csv' failed" in caplog.text


def test_a_refused_file_never_touches_the_broken_store(broken_store: None) -> None:
    bad = b"Kabupaten;Periode;Peserta;Potensi\nKonsel;Okt 2018;3.301;1.000\n"
    result = import_file(bad, "buruk.csv", segment="non_asn", **writer())
    assert result.batch_id is None and result.error_count == 1
