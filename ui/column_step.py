"""The import's column-mapping step (issue 12, item 2): when header detection refuses a file
(or on demand), the editor sees its first rows, says which column holds what, and checks
again; a mapping that checked out can be remembered for files with the same header.

The first rows are read in the upload sandbox (:func:`cakupan.ingest.sandbox.head_limited`)
and shown as a data table, never as Markdown; the pickers name each column by its letter and
header text (option labels are plain text). Saving the mapping is a store write
(:func:`cakupan.store.save_column_map`), checked against the editor's provinces and audited
there; this module only decides what to show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cakupan import ingest, store
from cakupan.core.access import Actor
from cakupan.core.errors import CakupanError, StoreUnavailable
from cakupan.core.i18n import segment_label, t
from cakupan.core.spreadsheet import safe_frame
from cakupan.ingest.mapping import (
    STEP_FIELDS,
    ColumnMap,
    Head,
    column_letter,
    detected_positions,
)
from cakupan.ingest.messages import MAPPING_FIXES
from cakupan.ingest.sandbox import head_limited
from cakupan.present.state import SEGMENTS
from ui import context
from ui.context import PageContext
from ui.render import md_escape

log = logging.getLogger(__name__)

OPEN_KEY = "map_open"
HEAD_KEY = "kelola.map_head"  # (file id, sheet, Head | None)
INIT_KEY = "kelola.map_init"  # the (file id, sheet) whose pickers were preset
SAVED_KEY = "kelola.map_saved"  # the saved mapping applied to this file, to say so
WANTED_KEY = "kelola.map_wanted"  # a file whose check was refused in a way a mapping fixes
SHOWN_ROWS = 12


@dataclass(frozen=True)
class Step:
    """What the step decided: the mapping (``None``: no column named), the whole-file segment
    and period it asks for, and the file's header signature."""

    column_map: ColumnMap | None
    segment: str | None
    period: str | None
    signature: str


def want_step(file_id: str | None, key: str) -> bool:
    """After a refusal: open the step on the next run if a mapping can fix ``key``."""
    if file_id is not None and key in MAPPING_FIXES:
        st.session_state[WANTED_KEY] = file_id
        return True
    return False


def _head(ctx: PageContext, data: bytes, name: str, file_id: str, sheet: str | None
          ) -> Head | None:
    cached = st.session_state.get(HEAD_KEY)
    if cached is not None and cached[:2] == (file_id, sheet):
        return cached[2]
    head: Head | None = None
    try:
        head = head_limited(data, name, sheet=sheet, shown=SHOWN_ROWS)
    except ingest.IngestError as err:  # the check says it in full; here one line is enough
        st.error(md_escape(err.message(ctx.lang)), icon=":material/error:")
    except Exception:
        log.exception("reading the first rows of %r failed", name)
        st.error(ctx.t("manage.server_error"), icon=":material/error:")
    st.session_state[HEAD_KEY] = (file_id, sheet, head)
    return head


def _preset(ctx: PageContext, actor: Actor, head: Head, segment: str | None,
            period: str | None) -> bool:
    """Preset the pickers for a new file: a mapping saved for its header (in the editor's
    provinces), else what detection makes of it. Returns whether a saved mapping was used."""
    header = head.rows[head.header_index] if head.rows else []
    saved = None
    try:
        saved = store.saved_column_map(context.engine(), head.signature,
                                       provinces=None if actor.role == "admin"
                                       else actor.provinces)
    except StoreUnavailable:
        saved = None
    positions = (ColumnMap.parse(saved["mapping"]).positions_in(header) if saved
                 else detected_positions(header))
    for field in STEP_FIELDS:
        p = positions.get(field)
        st.session_state[f"map_col_{field}"] = p if p is not None and p < head.width else None
    st.session_state["map_header"] = head.numbers[head.header_index] if head.numbers else 1
    st.session_state["map_segment"] = segment
    st.session_state["map_period"] = period or ""
    st.session_state[SAVED_KEY] = saved
    return saved is not None


def render(ctx: PageContext, actor: Actor, data: bytes, name: str, file_id: str,
           sheet: str | None, segment: str | None, period: str | None) -> Step | None:
    """The step, above the check and publish buttons; ``None`` while it is closed."""
    t = ctx.t
    head = None
    if (file_id, sheet) != st.session_state.get(INIT_KEY):
        head = _head(ctx, data, name, file_id, sheet)
        if head is not None and _preset(ctx, actor, head, segment, period):
            st.session_state[OPEN_KEY] = True
        st.session_state[INIT_KEY] = (file_id, sheet)
    if st.session_state.pop(WANTED_KEY, None) == file_id:
        st.session_state[OPEN_KEY] = True
    if not st.toggle(t("map.open"), key=OPEN_KEY, help=t("map.open_help")):
        return None
    head = head or _head(ctx, data, name, file_id, sheet)
    if head is None or not head.rows:
        return None
    st.subheader(t("map.title"))
    saved = st.session_state.get(SAVED_KEY)
    if saved:
        st.info(t("map.saved_used", who=md_escape(saved["saved_by"]),
                  at=md_escape(saved["saved_at"][:10])), icon=":material/bookmark:")
    st.caption(t("map.first_rows", n=len(head.rows)))
    letters = [column_letter(p) for p in range(head.width)]
    frame = pd.DataFrame([(r + [""] * head.width)[:head.width] for r in head.rows],
                         columns=letters, index=head.numbers)
    st.dataframe(safe_frame(frame), width="stretch")

    header_row = st.selectbox(t("map.header_row"), head.numbers, key="map_header")
    header = head.rows[head.numbers.index(header_row)]

    def label(p: int | None) -> str:
        if p is None:
            return "—"
        text = header[p] if p < len(header) else ""
        return f"{column_letter(p)} · {text}" if text else column_letter(p)

    positions: dict[str, int] = {}
    columns = st.columns(2)
    for i, field in enumerate(STEP_FIELDS):
        choice = columns[i % 2].selectbox(t(f"map.field.{field}"), [None, *range(head.width)],
                                          key=f"map_col_{field}", format_func=label,
                                          placeholder="—")
        if choice is not None:
            positions[field] = choice
    left, right = st.columns(2)
    if "segment" not in positions:
        segment = left.selectbox(t("map.segment"), [None, *SEGMENTS], key="map_segment",
                                 placeholder="—",
                                 format_func=lambda s: "—" if s is None
                                 else segment_label(s, ctx.lang))
    if "period" not in positions:
        period = right.text_input(t("map.period"), key="map_period",
                                  placeholder="2024-06").strip() or None
    if len(set(positions.values())) < len(positions):
        st.warning(t("map.same_column"), icon=":material/warning:")
        return Step(None, segment, period, head.signature)
    column_map = ColumnMap.from_positions(positions, header_row) if positions else None
    if column_map is not None:
        st.text(t("map.as_text", mapping=column_map.to_text()))
    return Step(column_map, segment, period, head.signature)


def render_save(ctx: PageContext, actor: Actor, step: Step, provinces: list[str]) -> None:
    """After a clean check with a mapping: remember it for files with this header."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if step.column_map is not None and provinces:
        st.button(ctx.t("map.save"), key="map_save", help=ctx.t("map.save_help"),
                  on_click=_save, args=(ctx.lang, actor, step, tuple(provinces)))
    if flash is not None:
        kind, message = flash
        (st.success if kind == "success" else st.error)(message)


FLASH_KEY = "kelola.map_flash"


def _save(lang: str, actor: Actor, step: Step, provinces: tuple[str, ...]) -> None:
    """The save button's callback (it runs before the page reruns, once per press); the
    store checks the actor and audits the save."""
    if step.column_map is None:
        return
    try:
        store.save_column_map(context.engine(), step.signature,
                              step.column_map.without_header_row().to_text(),
                              provinces=provinces, actor=actor)
    except StoreUnavailable:
        st.session_state[FLASH_KEY] = ("error", t("msg.store_unavailable_save", lang))
        return
    except CakupanError as err:
        st.session_state[FLASH_KEY] = ("error", t("manage.refused", lang,
                                                  reason=md_escape(str(err))))
        return
    except Exception:
        log.exception("saving a column mapping failed")
        st.session_state[FLASH_KEY] = ("error", t("manage.server_error", lang))
        return
    st.session_state[FLASH_KEY] = ("success", t("map.saved", lang,
                                                provinces=", ".join(provinces)))
