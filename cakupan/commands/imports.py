"""``import FILE [--segment S] [--period YYYY-MM] [--sheet NAME] [--map FIELD=COLUMN,...]
[--dry-run] [--prefer-upload] [--json]``.

All-or-nothing (CONTRACTS.md, command 3): when any row has an error nothing is written, the
exit status is 1 with a one-line message on stderr, and ``--json`` still prints the result
with every error so a script can show them. A problem with the whole file (unreadable, no
header, unknown sheet, too large) is reported the same way, as one error on row 0.

The command acts as the operator (or ``--as EMAIL``: then an editor's file with rows outside its
provinces is refused, naming them). Keys that already have a published figure are reported in
``conflicts``; the published figure stays the one shown unless ``--prefer-upload``.

The file is read from disk in chunks (:func:`cakupan.ingest.import_large_file`) within the
command line's own limits, ``CAKUPAN_CLI_IMPORT_MAX_MB`` and ``CAKUPAN_CLI_IMPORT_MAX_ROWS``
(a branch's national export, 1.2M rows, goes in here; the web upload keeps its smaller caps),
each chunk of ``CAKUPAN_IMPORT_CHUNK_ROWS`` checked within the upload's CPU and memory limits.

``--map region=B,registered=D`` says what columns hold when header detection is unsure, as the
app's mapping step does (:mod:`cakupan.ingest.mapping`). A ``--map`` that cannot be read is a
usage error (exit 2, one line naming the bad part, before the file is opened); a column it
names that the file lacks is the file's problem (exit 1, like any refusal of the file).
"""

from __future__ import annotations

import argparse

from cakupan import store
from cakupan.commands.acting import actor_of
from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError
from cakupan.ingest import ImportResult, RowError, import_large_file, saved_alias_resolver
from cakupan.ingest.mapping import ColumnMap, MapError
from cakupan.ingest.messages import format_message


def _text(result: ImportResult, file_name: str) -> str:
    lines = [f"{e.row:>6}  {e.column}: {e.message}" for e in result.errors]
    if result.errors:
        lines.insert(0, f"{'baris':>6}  kolom: pesan")
    elif result.dry_run:
        lines.append(f"{file_name}: {result.rows} rows checked, {result.would_import} "
                     "observations would be imported (dry run: nothing written)")
    elif result.already_imported:
        lines.append(f"{file_name}: already imported as batch {result.batch_id}; nothing changed")
    else:
        lines.append(f"{file_name}: {result.rows} rows, {result.imported} observations imported "
                     f"as batch {result.batch_id}")
    if result.unmatched:
        lines.append(f"unmatched regions: {', '.join(result.unmatched)}")
    for w in result.warnings:  # kept, not refused: the month from a title, an old extent...
        lines.append(f"warning {w.row:>4}  {w.column}: {w.message}")
    for c in result.conflicts:
        lines.append(f"conflict: {c['region']} {c['period']} {c['segment']}: published "
                     f"{c['published']['registered']} ({c['source_id']}), this file "
                     f"{c['upload']['registered']}")
    return "\n".join(lines)


def _villages(args: argparse.Namespace, actor: object, engine: object) -> Outcome:
    """``--regency PP.RR``: village rows (:mod:`cakupan.ingest.village_rows`), same contract."""
    from cakupan.ingest.village_rows import import_village_file

    try:
        result = import_village_file(args.file, regency=args.regency, segment=args.segment,
                                     period=args.period, sheet=args.sheet,
                                     dry_run=args.dry_run, actor=actor, engine=engine)
    except CakupanError as err:
        return _refused(err)
    return _outcome(result, args.file)


def _refused(err: CakupanError) -> Outcome:
    """A file-level refusal, still one JSON object under ``--json``: an error on row 0."""
    result = ImportResult(None, 0, 0, [RowError(0, "", str(err), getattr(err, "key", ""),
                                                getattr(err, "params", {}) or {})], [])
    return Outcome(result.to_dict(), "", status=1, message=str(err))


def _outcome(result: ImportResult, file_name: str) -> Outcome:
    """Exit 1 with a one-line summary when any row was refused (nothing was written)."""
    if result.errors:
        message = format_message("rows_have_errors",
                                 {"count": result.error_count, "file": file_name})
        return Outcome(result.to_dict(), _text(result, file_name), status=1, message=message)
    return Outcome(result.to_dict(), _text(result, file_name))


def run(args: argparse.Namespace) -> Outcome:
    column_map = None
    if getattr(args, "column_map", None) is not None:
        try:
            column_map = ColumnMap.parse(args.column_map)
        except MapError as err:
            message = f"--map: {err}"
            return Outcome({"error": message, "kind": "usage"}, "", status=2, message=message)
    engine = store.get_engine()
    actor = actor_of(args, engine)
    if getattr(args, "regency", None):
        return _villages(args, actor, engine)
    try:
        result = import_large_file(args.file, segment=args.segment, period=args.period,
                                   sheet=args.sheet, dry_run=args.dry_run, actor=actor,
                                   prefer_upload=args.prefer_upload,
                                   resolver=saved_alias_resolver(store.saved_aliases(engine)),
                                   engine=engine, column_map=column_map)
    except CakupanError as err:
        return _refused(err)
    return _outcome(result, args.file)
