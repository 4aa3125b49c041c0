"""The importer in the app, for signed-in editors: upload -> check (preview, row errors, names
the resolver could not place with suggestions, conflicts with published figures) -> publish.

Every write goes through :func:`cakupan.ingest.import_file` with the signed-in actor, which the
store checks again where it writes: this page only decides what to *show*. Nothing from the
file (names, cells, the file name) is rendered as Markdown or HTML: messages go through
``st.text``/``st.error`` with escaped text and tables through formula-safe frames.

The tables (row errors, preview, conflicts) are shown straight away, not behind the public
pages' "Show table" toggle (``render.table_on_request``): reviewing them is the point of the
import, for signed-in staff.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from cakupan import ingest, store
from cakupan.core import settings
from cakupan.core.access import Actor
from cakupan.core.errors import CakupanError, StoreUnavailable
from cakupan.core.i18n import segment_label
from cakupan.core.spreadsheet import safe_frame
from cakupan.ingest import template
from cakupan.ingest.mapping import ColumnMap
from cakupan.present.state import SEGMENTS
from cakupan.regions import resolve
from ui import column_step, context, import_notes
from ui.context import PageContext
from ui.render import md_escape

log = logging.getLogger(__name__)
PREVIEW_ROWS = 200
ERRORS_SHOWN = 100
TEXT_ERRORS = 5


def _sheets(data: bytes, name: str) -> list[str]:
    """Sheet names without opening the workbook here (a zip bomb is refused, not unpacked)."""
    try:
        return list(ingest.xlsx_sheet_names(data, name))
    except ingest.IngestError:  # not a readable workbook: the check will say so properly
        return []


def render_templates(ctx: PageContext) -> None:
    a, b = st.columns(2)
    a.download_button("Template CSV", template.template_csv(), "cakupan-template.csv",
                      mime="text/csv", key="tpl_csv")
    b.download_button("Template XLSX", template.template_xlsx(), "cakupan-template.xlsx",
                      key="tpl_xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def render_import(ctx: PageContext, actor: Actor) -> None:
    """Upload, check and publish one file as ``actor``."""
    t = ctx.t
    st.subheader(t("import.title"))
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx", "txt"], key="upload",
                              max_upload_size=max(1, settings.upload_max_bytes() // 2**20))
    segment = st.selectbox(t("control.segment"), [None, *SEGMENTS], key="import_segment",
                           help=t("import.segment_help"),
                           format_func=lambda s: "—" if s is None else segment_label(s, ctx.lang))
    period = st.text_input(t("control.period"), key="import_period", placeholder="2024-06",
                           help=t("import.period_help")).strip() or None
    sheet = None
    if upload is not None and upload.name.lower().endswith(".xlsx"):
        sheets = _sheets(upload.getvalue(), upload.name)
        if sheets:
            sheet = st.selectbox(t("import.sheet"), sheets, key="import_sheet")
    prefer = st.checkbox(t("manage.prefer_upload"), key="import_prefer", value=False)
    step = None
    if upload is not None:  # the mapping step: on a refusal it can fix, or on demand
        step = column_step.render(ctx, actor, upload.getvalue(), upload.name, upload.file_id,
                                  sheet, segment, period)
        if step is not None:
            segment, period = step.segment or segment, step.period or period
    check, write = st.columns(2)
    check.button(t("manage.check"), disabled=upload is None, key="import_check",
                 on_click=_ask, args=("check",))
    write.button(t("manage.publish"), type="primary", disabled=upload is None,
                 key="import_go", on_click=_ask, args=("publish",))
    action = st.session_state.pop(ACTION_KEY, None)
    if upload is not None and action is not None:
        _run(ctx, actor, upload.getvalue(), upload.name, segment, period, sheet,
             dry_run=action != "publish", prefer=prefer,
             column_map=step.column_map if step is not None else None)
    review = st.session_state.get(REVIEW_KEY)
    if upload is not None and review is not None and review[0] == upload.file_id:
        _show(ctx, actor, review[1], dry_run=review[2], prefer=prefer)
        if step is not None and not review[1].errors:
            column_step.render_save(ctx, actor, step,
                                    st.session_state.get(PROVINCES_KEY, []))
    refusal = st.session_state.get(REFUSAL_KEY)
    if upload is not None and refusal is not None and refusal[0] == upload.file_id:
        st.error(md_escape(refusal[1].message(ctx.lang)), icon=":material/error:")


REVIEW_KEY = "kelola.review"
#: The button pressed ("check" or "publish"), set by its callback: a callback runs before the
#: script, so the press survives a rerun ahead of the buttons (``context._ensure_router``).
ACTION_KEY = "kelola.action"
REFUSAL_KEY = "kelola.refusal"  # (file id, IngestError): the last check's refusal of the file
PROVINCES_KEY = "kelola.review_provinces"  # the provinces of the last check's rows


def _ask(action: str) -> None:
    st.session_state[ACTION_KEY] = action


def _run(ctx: PageContext, actor: Actor, data: bytes, name: str, segment: str | None,
         period: str | None, sheet: str | None, *, dry_run: bool, prefer: bool,
         column_map: ColumnMap | None = None) -> None:
    t = ctx.t
    st.session_state.pop(REVIEW_KEY, None)
    st.session_state.pop(REFUSAL_KEY, None)
    file_id = getattr(st.session_state.get("upload"), "file_id", None)
    engine = context.engine()
    try:
        with st.spinner(t("import.checking")):
            resolver = ingest.saved_alias_resolver(store.saved_aliases(engine))
            result = ingest.import_file(data, name, segment=segment, period=period, sheet=sheet,
                                        dry_run=dry_run, actor=actor, engine=engine,
                                        lang=ctx.lang, prefer_upload=prefer, resolver=resolver,
                                        column_map=column_map)
    except ingest.IngestError as err:
        # Kept for the next runs (shown under the buttons); a refusal a mapping can fix opens
        # the mapping step, which needs a rerun to show above the buttons.
        st.session_state[REFUSAL_KEY] = (file_id, err)
        if column_step.want_step(file_id, err.key) and not st.session_state.get(
                column_step.OPEN_KEY):
            st.rerun()
        return
    except StoreUnavailable:  # the database is down: nothing was saved (no host names here)
        st.error(t("msg.store_unavailable_save"), icon=":material/cloud_off:")
        return
    except CakupanError as err:  # refused actor, store refusal: one sentence, no internals
        st.error(t("manage.refused", reason=md_escape(str(err))), icon=":material/block:")
        return
    except Exception:  # a bug: the person gets one sentence, the log gets the traceback
        log.exception("import of %r failed", name)
        st.error(t("manage.server_error"), icon=":material/error:")
        return
    if result.observations is not None:  # the session keeps only what the preview shows
        st.session_state[PROVINCES_KEY] = sorted(
            {str(c)[:2] for c in result.observations["region_code"].unique()})
        result.observations = result.observations.head(PREVIEW_ROWS)
    upload = st.session_state.get("upload")
    st.session_state[REVIEW_KEY] = (getattr(upload, "file_id", None), result, dry_run)


def _show(ctx: PageContext, actor: Actor, result: ingest.ImportResult, *, dry_run: bool,
          prefer: bool) -> None:
    """The review of the last check or publish of the file now in the uploader."""
    t = ctx.t
    if result.errors:
        _errors(ctx, actor, result)
        return
    _preview(ctx, result)
    if dry_run:
        st.success(t("import.dry_run_ok", rows=result.would_import), icon=":material/check:")
    else:
        st.success(t("import.success", imported=result.imported, rows=result.rows),
                   icon=":material/check:")
        if result.conflicts and not prefer:
            st.info(t("manage.published_kept", n=len(result.conflicts)))


def _errors(ctx: PageContext, actor: Actor, result: ingest.ImportResult) -> None:
    t = ctx.t
    st.error(t("import.failed", errors=result.error_count), icon=":material/error:")
    errors = [e.in_lang(ctx.lang) for e in result.errors[:ERRORS_SHOWN]]
    for e in errors[:TEXT_ERRORS]:  # the first ones as plain text: read aloud, and on a phone
        st.text(t("import.error_row", row=e.row, column=e.column, message=e.message))
    if result.error_count > len(result.errors):
        st.text(t("import.errors_capped", shown=len(result.errors), total=result.error_count))
    shown = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    st.dataframe(safe_frame(pd.DataFrame(shown)), hide_index=True, width="stretch")
    for i, name in enumerate(result.unmatched[:20]):
        _alias_pick(ctx, actor, i, name)


def _alias_pick(ctx: PageContext, actor: Actor, i: int, name: str) -> None:
    """Suggestions for a name the resolver could not place; a pick can be saved as an alias
    (by an editor of that region, audited) so the next check of the file resolves it."""
    t = ctx.t
    options = list(resolve.resolve_one(name).candidates)[:5]
    if actor.role != "admin":
        options = [c for c in options if c[:2] in actor.provinces]
    labels = ", ".join(f"{context.region_label(c, ctx.lang)} ({c})" for c in options)
    st.text(t("manage.suggestions", name=name, options=labels or "—"))
    if not options:
        return
    left, right = st.columns([3, 1])
    code = left.selectbox(t("manage.alias_pick", name=name), options, key=f"alias_pick_{i}",
                          format_func=lambda c: f"{context.region_label(c, ctx.lang)} ({c})",
                          label_visibility="collapsed")
    if right.button(t("manage.alias_save"), key=f"alias_save_{i}"):
        try:
            store.save_alias(context.engine(), name, code, actor=actor)
        except StoreUnavailable:
            st.error(t("msg.store_unavailable_save"), icon=":material/cloud_off:")
            return
        except CakupanError as err:
            st.error(t("manage.refused", reason=md_escape(str(err))), icon=":material/block:")
            return
        st.success(t("manage.alias_saved", name=name, code=code))


PREVIEW_COLUMNS = ("region_code", "period", "segment", "programme", "scope", "registered",
                   "eligible", "coverage_pct", "note")


def preview_table(ctx: PageContext, observations: pd.DataFrame) -> pd.DataFrame:
    """What a branch head checks before publishing: the region's name beside its code, the
    figures, and no column the file left empty."""
    frame = observations.head(PREVIEW_ROWS)
    frame = frame[[c for c in PREVIEW_COLUMNS if c in frame and frame[c].notna().any()]]
    names = [import_notes.region_label(c, ctx.lang) for c in frame["region_code"]]
    return frame.assign(region_code=[f"{c} {n}" for c, n in zip(frame["region_code"], names,
                                                                   strict=True)])


def _preview(ctx: PageContext, result: ingest.ImportResult) -> None:
    t = ctx.t
    st.text(t("manage.preview", rows=result.rows, observations=result.would_import))
    import_notes.render_warnings(ctx, result)
    if result.observations is not None and len(result.observations):
        st.dataframe(safe_frame(preview_table(ctx, result.observations)), hide_index=True,
                     width="stretch")
    if result.conflicts:
        st.warning(t("manage.conflicts", n=len(result.conflicts)))
        rows = [{"region": c["region"], "period": c["period"], "segment": c["segment"],
                 "published": c["published"]["registered"], "upload": c["upload"]["registered"],
                 "source": c["source_id"]} for c in result.conflicts]
        st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch")
