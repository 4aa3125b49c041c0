"""Kelola Data: importing a branch's village rows (one regency's desa and kelurahan, for
aparatur desa or pekerja rentan) -- check first, then import, as the signed-in editor.

Everything is decided in :func:`cakupan.ingest.village_rows.import_village_file`, which
checks the actor again; this only asks for the file and shows what it says. Row errors and
the file's name are shown as table cells or plain text, never as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cakupan import regions
from cakupan.core.access import Actor
from cakupan.core.errors import CakupanError, StoreUnavailable
from ui import context
from ui.context import PageContext

SEGMENTS = ("aparatur_desa", "pekerja_rentan")


def _regencies(actor: Actor) -> dict[str, str]:
    """The regencies this actor may import for (an admin: every one), code -> name."""
    frame = regions.regencies()
    if actor.role != "admin":
        frame = frame[frame["province_code"].isin(sorted(actor.provinces))]
    return dict(zip(frame["code"], frame["name"], strict=True))


def render_village_import(ctx: PageContext, actor: Actor) -> None:
    """The village-rows import, in its own expander under the regency import."""
    from cakupan.ingest.village_rows import import_village_file

    with st.expander(ctx.t("village.import.title"), icon=":material/holiday_village:"):
        st.caption(ctx.t("village.import.help"))
        names = _regencies(actor)
        if not names:
            st.info(ctx.t("village.err.scope", regency="—"))
            return
        a, b, c = st.columns(3)
        regency = a.selectbox(ctx.t("control.regency"), list(names), key="village_upload.regency",
                              format_func=lambda code: names[code])
        segment = b.selectbox(ctx.t("control.segment"), SEGMENTS, key="village_upload.segment",
                              format_func=lambda s: ctx.t(f"segment.{s}"))
        periods = list(reversed(context.periods())) or ["2024-12"]
        period = c.selectbox(ctx.t("control.period"), periods, key="village_upload.period")
        upload = st.file_uploader(ctx.t("import.file"), type=["csv", "xlsx", "txt"],
                                  key="village_upload.file")
        if upload is None:
            return
        check, go = st.columns(2)
        dry = check.button(ctx.t("village.import.check"), key="village_upload.check")
        write = go.button(ctx.t("village.import.go"), key="village_upload.go", type="primary")
        if not (dry or write):
            return
        try:
            result = import_village_file(upload.getvalue(), upload.name, regency=regency,
                                         segment=segment, period=period, dry_run=not write,
                                         actor=actor, engine=context.engine(), lang=ctx.lang)
        except StoreUnavailable:
            raise
        except CakupanError as err:
            st.error(ctx.t("village.import.refused"))
            st.text(str(err))  # our own one-line message, shown as plain text
            return
        if result.errors:
            st.error(ctx.t("village.import.errors", n=len(result.errors)))
            st.dataframe(pd.DataFrame([e.to_dict() for e in result.errors]), hide_index=True,
                         width="stretch")
            return
        if write:
            st.success(ctx.t("village.import.done", n=result.imported))
        else:
            st.success(ctx.t("village.import.ok", n=result.would_import))
        if result.observations is not None and not result.observations.empty:
            st.dataframe(result.observations, hide_index=True, width="stretch")
