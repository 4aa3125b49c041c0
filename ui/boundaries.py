"""Kelola Data, boundaries (issue 15; admins): load a boundary file, preview how it matches
the regions, enter its licence, apply it as a new version; switch versions, or back to the
default set, in one click.

Nothing here decides who may: :func:`cakupan.ingest.boundaries.apply_preview` and
:func:`cakupan.store.boundaries.activate` refuse anyone but an admin themselves. Names and
codes from the file are shown only as table cells or plain text, never as Markdown.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from cakupan import regions, store
from cakupan.core import settings
from cakupan.core.access import Actor
from cakupan.core.errors import CakupanError
from cakupan.core.spreadsheet import safe_frame
from cakupan.geo import byo
from cakupan.ingest import boundaries
from ui import context
from ui.context import PageContext
from ui.manage import FLASH_KEY, _act, render_flash

log = logging.getLogger(__name__)
#: Session keys: the previewed file (a :class:`BoundaryPreview`) and the bytes' name.
PREVIEW_KEY = "kelola.boundary_preview"
NO_PICK = ""


def _check(ctx: PageContext, data: bytes, name: str, level: str, code_field: str,
           name_field: str) -> None:
    try:
        st.session_state[PREVIEW_KEY] = boundaries.preview_file(
            data, name, level=level, code_field=code_field or None,
            name_field=name_field or None)
    except byo.BoundaryFileError as err:
        st.session_state.pop(PREVIEW_KEY, None)
        st.session_state[FLASH_KEY] = ("error", err.message(ctx.lang))
    except CakupanError as err:
        st.session_state.pop(PREVIEW_KEY, None)
        st.session_state[FLASH_KEY] = ("error", ctx.t("manage.refused", reason=str(err)))
    except Exception:
        log.exception("boundary file check failed")
        st.session_state[FLASH_KEY] = ("error", ctx.t("manage.server_error"))


def render_versions(ctx: PageContext, actor: Actor) -> None:
    """The version in use, every version, and the switch (one click back to the default)."""
    engine = context.engine()
    st.text(ctx.t("boundaries.in_use", source=byo.attribution(ctx.lang)))
    frame = store.boundaries.list_versions(engine)
    if frame.empty:
        st.caption(ctx.t("boundaries.none"))
        return
    shown = frame.assign(regions=frame["regions"].str.split(",").str.len())
    st.dataframe(safe_frame(shown.drop(columns=["detail"])), hide_index=True, width="stretch",
                 key="boundary_versions")
    active = next((v for v, a in zip(frame["id"], frame["active"], strict=True) if a), None)
    if active is not None:
        st.button(ctx.t("boundaries.use_default"), key="boundary_default",
                  on_click=_act, args=(ctx.lang, store.boundaries.activate, engine, None),
                  kwargs={"actor": actor})
    others = [v for v in frame["id"] if v != active]
    if others:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        chosen = left.selectbox(ctx.t("boundaries.pick_version"), others, key="boundary_pick")
        right.button(ctx.t("boundaries.use"), key="boundary_use", on_click=_act,
                     args=(ctx.lang, store.boundaries.activate, engine, chosen),
                     kwargs={"actor": actor})


def _matched_table(ctx: PageContext, preview: boundaries.BoundaryPreview) -> pd.DataFrame:
    return pd.DataFrame([{
        ctx.t("boundaries.col.file_name"): m.file_name, ctx.t("boundaries.col.file_code"):
        m.file_code, ctx.t("boundaries.col.code"): m.code,
        ctx.t("boundaries.col.region"): regions.name_of(m.code),
        ctx.t("boundaries.col.method"): ctx.t(f"boundaries.method.{m.method}")}
        for m in preview.report.matched])


def _picks(ctx: PageContext, preview: boundaries.BoundaryPreview) -> dict[int, str]:
    """A choice per unmatched feature among its suggestions (or none)."""
    picks: dict[int, str] = {}
    for u in preview.report.unmatched:
        options = [NO_PICK, *[c for c, _ in u.suggestions]]
        chosen = st.selectbox(ctx.t("boundaries.pick", name=u.label), options,
                              key=f"boundary_pick_{u.index}",
                              format_func=lambda c: "—" if c == NO_PICK
                              else f"{c} {regions.name_of(c)}")
        if chosen:
            picks[u.index] = chosen
    return picks


def _apply(ctx: PageContext, actor: Actor, preview: boundaries.BoundaryPreview, picks: dict,
           licence: str, source: str, scope: str) -> None:
    if picks:
        preview = boundaries.preview_file(b"", preview.raw.file_name, level=preview.level,
                                          code_field=preview.report.code_field,
                                          name_field=preview.report.name_field, picks=picks,
                                          raw=preview.raw)
    def apply() -> None:
        try:
            boundaries.apply_preview(preview, context.engine(), actor=actor, licence=licence,
                                     source=source or preview.raw.file_name, scope=scope)
        except byo.BoundaryFileError as err:  # the file's refusal, in the reader's language
            raise CakupanError(err.message(ctx.lang)) from err

    if _act(ctx.lang, apply):
        st.session_state.pop(PREVIEW_KEY, None)


def render_preview(ctx: PageContext, actor: Actor, preview: boundaries.BoundaryPreview) -> None:
    """What the file would change, and the confirmation (licence, source, scope, apply)."""
    r, raw = preview.report, preview.raw
    st.text(ctx.t("boundaries.read", name=raw.file_name, format=raw.format,
                  crs=raw.crs or "—", features=raw.features))
    cols = st.columns(4)
    cols[0].metric(ctx.t("boundaries.matched"), len(r.codes()))
    cols[1].metric(ctx.t("boundaries.unmatched"), len(r.unmatched))
    cols[2].metric(ctx.t("boundaries.missing"), len(r.missing))
    cols[3].metric(ctx.t("boundaries.repaired"), raw.repaired)
    if r.code_system == "other":
        st.caption(ctx.t("boundaries.other_codes", n=len(r.correspondences)))
    if r.matched:
        st.dataframe(safe_frame(_matched_table(ctx, preview)), hide_index=True,
                     width="stretch", key="boundary_matched")
    picks = _picks(ctx, preview)
    if r.duplicates:
        st.text(ctx.t("boundaries.duplicates", codes=", ".join(sorted(r.duplicates))))
    if r.missing:
        st.text(ctx.t("boundaries.missing_list",
                      names=", ".join(f"{c} {regions.name_of(c)}" for c in r.missing)))
    licence = st.text_area(ctx.t("boundaries.licence"), key="boundary_licence",
                           help=ctx.t("boundaries.licence_help"))
    source = st.text_input(ctx.t("boundaries.source"), key="boundary_source",
                           placeholder=raw.file_name)
    scope = st.radio(ctx.t("boundaries.scope"), byo.SCOPES, key="boundary_scope", index=1,
                     format_func=lambda s: ctx.t(f"boundaries.scope.{s}"), horizontal=True)
    st.button(ctx.t("boundaries.apply"), key="boundary_apply", type="primary",
              disabled=not licence.strip() or not (r.matched or picks),
              on_click=_apply, args=(ctx, actor, preview, picks, licence, source, scope))


def render_boundaries(ctx: PageContext, actor: Actor) -> None:
    """The boundaries tab: versions, then a file to load and its preview."""
    render_versions(ctx, actor)
    st.subheader(ctx.t("boundaries.load"))
    upload = st.file_uploader(ctx.t("boundaries.file"),
                              type=["geojson", "json", "zip", "gpkg", "kml"],
                              key="boundary_file",
                              max_upload_size=max(1, settings.geo_file_max_bytes() // 2**20))
    left, mid, right = st.columns(3)
    level = left.selectbox(ctx.t("boundaries.level"), byo.LEVELS, key="boundary_level",
                           format_func=lambda v: ctx.t(f"boundaries.level.{v}"))
    code_field = mid.text_input(ctx.t("boundaries.code_field"), key="boundary_code_field",
                                placeholder=ctx.t("boundaries.detected"))
    name_field = right.text_input(ctx.t("boundaries.name_field"), key="boundary_name_field",
                                  placeholder=ctx.t("boundaries.detected"))
    if upload is not None:
        st.button(ctx.t("boundaries.check"), key="boundary_check", on_click=_check,
                  args=(ctx, upload.getvalue(), upload.name, level, code_field, name_field))
    render_flash()
    preview = st.session_state.get(PREVIEW_KEY)
    if preview is not None:
        render_preview(ctx, actor, preview)
