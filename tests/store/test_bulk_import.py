"""The command line's import of a big file, chunk by chunk into one transaction, on SQLite and
PostgreSQL (COPY): the same answer and the same stored figures as the whole-file import,
nothing written when any row (the last one included) is wrong, and no reader ever sees the
batch before its final switch."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cakupan import ingest, store
from cakupan.core import access
from cakupan.store import schema, writes

pytestmark = pytest.mark.unit

ADMIN = access.operator()
EDITOR = access.Actor("email:kacab@bpjs.example", "editor", frozenset({"74"}),
                      "kacab@bpjs.example")
ARTICLE = {"id": "zonasultra", "kind": "article", "publisher": "Zonasultra",
           "title": "Non ASN Sultra", "published": "2018-10-04", "quote": "Konsel 202 orang."}
#: 14 rows: Sultra's regencies over three months; Konsel's October figure meets a published one.
GOOD = "Kode;Kabupaten;Periode;Segmen;Peserta;Potensi\n" + "".join(
    f"74.{r:02d};;{p};Non ASN;{r * 10 + i};{400 + r}\n"
    for i, p in enumerate(("2018-09", "2018-10", "2018-11")) for r in (1, 2, 3, 4, 5)
    if (r, p) != (3, "2018-09"))
COLUMNS = ["period", "region_code", "scope", "segment", "programme", "registered", "eligible",
           "coverage_pct", "illustrative", "source_id", "note", "quote", "source_title"]


def publish(engine: Engine) -> None:
    """A published figure (Konsel, October 2018) and an older upload the file supersedes."""
    frame = pd.DataFrame({"period": ["2018-10"], "region_code": ["74.05"],
                          "segment": ["non_asn"], "registered": [202], "eligible": [350],
                          "source_id": ["zonasultra"]})
    store.write_batch(engine, frame, file_name="zonasultra", sha256="pub", actor=access.SYSTEM,
                      kind="seed_published", source=ARTICLE)
    older = pd.DataFrame({"period": ["2018-11"], "region_code": ["74.01"],
                          "segment": ["non_asn"], "registered": [1], "eligible": [2]})
    store.write_batch(engine, older, file_name="lama.csv", sha256="lama", actor=ADMIN)


def figures(engine: Engine) -> pd.DataFrame:
    return store.current_observations(engine)[COLUMNS].reset_index(drop=True)


def snapshot(engine: Engine) -> dict:
    """Everything an import could change."""
    with engine.connect() as conn:
        counts = {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                  for t in (schema.batches, schema.observations, schema.batch_periods,
                            schema.audit, schema.sources)}
    return {"counts": counts, "version": store.data_version(engine),
            "periods": store.periods(engine), "figures": figures(engine).to_json()}


def last_audit(engine: Engine) -> dict:
    row = store.audit_trail(engine, action="import").iloc[0]
    return {"rows": int(row["rows"]), "regions": row["regions"],
            "before": json.loads(row["totals_before"]), "after": json.loads(row["totals_after"])}


def test_chunked_import_equals_the_whole_file_import(engine: Engine, tmp_path: Path) -> None:
    """The same file through both paths, from the same starting state (the first batch is
    rolled back in between): the same JSON, the same current figures, the same audit."""
    publish(engine)
    path = tmp_path / "sultra.csv"
    path.write_text(GOOD, encoding="utf-8")
    whole = ingest.import_file(path, segment="non_asn", actor=ADMIN, engine=engine)
    after_whole, audit_whole = figures(engine), last_audit(engine)
    store.rollback_batch(engine, whole.batch_id, actor=ADMIN)
    chunked = ingest.import_large_file(path, segment="non_asn", actor=ADMIN, engine=engine,
                                       chunk_rows=2)
    assert chunked.batch_id is not None and chunked.batch_id != whole.batch_id
    a, b = whole.to_dict(), chunked.to_dict()
    a.pop("batch_id"), b.pop("batch_id")
    assert b == a and b["imported"] == 14 and len(b["conflicts"]) == 1
    assert (chunked.sha256, chunked.would_import) == (whole.sha256, whole.would_import)
    pd.testing.assert_frame_equal(figures(engine), after_whole)
    assert last_audit(engine) == audit_whole
    assert audit_whole["before"] == {"registered": 203, "eligible": 352}  # published + older
    assert store.periods(engine, "non_asn") == ["2018-09", "2018-10", "2018-11"]


def test_an_error_in_the_last_chunk_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    publish(engine)
    before = snapshot(engine)
    path = tmp_path / "buruk.csv"
    path.write_text(GOOD + "74.06;;2018-11;Non ASN;900;800\n", encoding="utf-8")
    result = ingest.import_large_file(path, segment="non_asn", actor=ADMIN, engine=engine,
                                      chunk_rows=3)
    assert result.batch_id is None and result.imported == 0 and result.conflicts == []
    assert [(e.row, e.column, e.key) for e in result.errors] == [
        (16, "Peserta", "registered_gt_eligible")]
    assert result.rows == 15 and result.would_import == 14
    assert snapshot(engine) == before


def test_readers_never_see_the_staging_batch(engine: Engine, store_url: str) -> None:
    """Between chunks, a second connection (another replica, a page) sees none of the new
    batch: no batch row, no figure, no month, the same data version. A failure after two
    chunks leaves nothing behind; the same chunks then go in whole, in one switch."""
    publish(engine)
    reader = sa.create_engine(store_url)
    seen: list[dict] = []

    def look() -> dict:
        with reader.connect() as conn:
            return {"batches": conn.execute(sa.select(schema.batches.c.id, schema.batches.c
                                                      .status)).all(),
                    "rows": conn.execute(sa.select(sa.func.count()).select_from(
                        schema.observations)).scalar(),
                    "periods": sorted(conn.execute(sa.select(schema.batch_periods.c.period)
                                                   .distinct()).scalars()),
                    "version": store.data_version(reader)}

    def chunks(fail: bool):
        for month in ("2024-01", "2024-02", "2024-03"):
            yield pd.DataFrame({"period": [month] * 2, "region_code": ["74.01", "74.02"],
                                "segment": ["pu"] * 2, "registered": [1, 2]})
            seen.append(look())
            if fail and month == "2024-02":
                raise RuntimeError("the store went away")

    start = look()
    source = ingest.source_for("nasional.csv", "f" * 64)
    with pytest.raises(RuntimeError):
        store.write_batch_chunks(engine, chunks(fail=True), file_name="nasional.csv",
                                 sha256="n1", actor=ADMIN, source=source)
    assert seen == [start, start] and look() == start
    seen.clear()
    batch = store.write_batch_chunks(engine, chunks(fail=False), file_name="nasional.csv",
                                     sha256="n1", actor=ADMIN, source=source)
    assert seen == [start, start, start]
    after = look()
    assert (batch, "active") in after["batches"] and after["rows"] == start["rows"] + 6
    assert after["periods"] == sorted({*start["periods"], "2024-01", "2024-02", "2024-03"})
    assert after["version"] != start["version"]
    assert writes.STAGING not in {status for _, status in after["batches"]}
    reader.dispose()


def test_the_same_file_twice_is_one_batch_and_rollback_counts_it(engine: Engine,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "sultra.csv"
    path.write_text(GOOD, encoding="utf-8")
    first = ingest.import_large_file(path, segment="non_asn", actor=ADMIN, engine=engine,
                                     chunk_rows=4)
    again = ingest.import_large_file(path, segment="non_asn", actor=ADMIN, engine=engine,
                                     chunk_rows=4)
    assert again.already_imported and again.imported == 0 and again.batch_id == first.batch_id
    assert len(store.list_batches(engine)) == 1
    assert store.rollback_batch(engine, first.batch_id, actor=ADMIN) == 14
    trail = store.audit_trail(engine, action="rollback").iloc[0]
    assert json.loads(trail["totals_after"]) == {"registered": 0, "eligible": 0}
    assert json.loads(trail["totals_before"])["registered"] == sum(
        r * 10 + i for i in range(3) for r in (1, 2, 3, 4, 5)) - 30


def test_an_editor_is_scoped_chunk_by_chunk(engine: Engine, tmp_path: Path) -> None:
    """An editor of Sultra: a file that strays into Maluku in its last rows is refused
    whole, naming the rows; nothing is written."""
    path = tmp_path / "campur.csv"
    path.write_text(GOOD + "81.01;;2018-11;Non ASN;5;9\n", encoding="utf-8")
    before = snapshot(engine)
    result = ingest.import_large_file(path, segment="non_asn", actor=EDITOR, engine=engine,
                                      chunk_rows=5)
    assert [(e.row, e.key) for e in result.errors] == [(16, "region_outside_scope")]
    assert result.batch_id is None and snapshot(engine) == before
