"""``import FILE [--segment S] [--period YYYY-MM] [--sheet NAME] [--dry-run] [--json]``.

All-or-nothing (CONTRACTS.md, command 3): when any row has an error nothing is written, the
exit status is 1 with a one-line message on stderr, and ``--json`` still prints the result
with every error so a script can show them. A problem with the whole file (unreadable, no
header, unknown sheet, too large) is reported the same way, as one error on row 0.
"""

from __future__ import annotations

import argparse

from cakupan.commands.cli import Outcome
from cakupan.core.errors import CakupanError
from cakupan.ingest import ImportResult, RowError, import_file
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
    return "\n".join(lines)


def run(args: argparse.Namespace) -> Outcome:
    try:
        result = import_file(args.file, segment=args.segment, period=args.period,
                             sheet=args.sheet, dry_run=args.dry_run, imported_by="cli")
    except CakupanError as err:
        # Still one JSON object under --json: the file-level problem as an error on row 0.
        result = ImportResult(None, 0, 0, [RowError(0, "", str(err))], [])
        return Outcome(result.to_dict(), "", status=1, message=str(err))
    if result.errors:
        message = format_message("rows_have_errors",
                                 {"count": len(result.errors), "file": args.file})
        return Outcome(result.to_dict(), _text(result, args.file), status=1, message=message)
    return Outcome(result.to_dict(), _text(result, args.file))
