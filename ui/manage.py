"""The rest of Kelola Data: batches in the editor's scope (rollback, preferring an upload over
published figures), the audit trail (filterable, CSV), and user roles for admins.

Every button calls a store function with the signed-in actor; the store refuses what the actor
may not do, so a forged request that reaches one of them changes nothing.

Tables here are shown straight away with ``st.dataframe``, unlike the public pages' tables
behind a "Show table" toggle (``render.table_on_request``): signed-in staff come here to read
them, so the DataFrame front-end chunk is worth loading at once.
"""

from __future__ import annotations

import logging

import streamlit as st

from cakupan import store
from cakupan.core.access import ACTIONS, ANONYMOUS, ROLES, Actor
from cakupan.core.errors import CakupanError, StoreUnavailable
from cakupan.core.i18n import t
from cakupan.core.spreadsheet import safe_frame, to_csv_bytes
from ui import auth, context
from ui.context import PageContext
from ui.render import md_escape

log = logging.getLogger(__name__)
AUDIT_SHOWN = 500


def current_actor() -> Actor:
    """The signed-in person's actor (their stored role), or anonymous."""
    email = auth.signed_in_email()
    if email is None:
        return ANONYMOUS
    return store.actor_for(context.engine(), email)


def render_scope(ctx: PageContext, actor: Actor) -> None:
    provinces = (ctx.t("manage.scope_all") if actor.role == "admin"
                 else ", ".join(sorted(actor.provinces)))
    st.text(ctx.t("manage.scope", email=actor.email or actor.id, role=actor.role,
                  provinces=provinces))


FLASH_KEY = "kelola.flash"


def _act(lang: str, action, *args, **kwargs) -> bool:
    """Run one store action; a refusal or failure becomes one sentence, never a traceback.

    Used as a button callback (it runs before the page reruns, once per click); the outcome
    is kept for :func:`render_flash` to show at the top of the page.
    """
    try:
        action(*args, **kwargs)
    except StoreUnavailable:  # the database is down: nothing changed (no host names here)
        st.session_state[FLASH_KEY] = ("error", t("msg.store_unavailable_save", lang))
        return False
    except CakupanError as err:
        st.session_state[FLASH_KEY] = ("error", t("manage.refused", lang,
                                                  reason=md_escape(str(err))))
        return False
    except Exception:
        log.exception("store action %s failed", getattr(action, "__name__", action))
        st.session_state[FLASH_KEY] = ("error", t("manage.server_error", lang))
        return False
    st.session_state[FLASH_KEY] = ("success", t("manage.done", lang))
    return True


def render_flash() -> None:
    """The outcome of the last action, once."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is not None:
        kind, message = flash
        (st.error if kind == "error" else st.success)(message)


def render_batches(ctx: PageContext, actor: Actor) -> None:
    engine = context.engine()
    batches = store.list_batches(engine)
    provinces = store.batch_provinces(engine)
    uploads = batches[batches["kind"] == "upload"].copy()
    uploads["provinces"] = [", ".join(provinces.get(b, [])) for b in uploads["id"]]
    mine = uploads[[not actor.out_of_scope(provinces.get(b, [])) for b in uploads["id"]]]
    if mine.empty:
        st.info(ctx.t("manage.no_batches"))
        return
    shown = mine[["id", "file_name", "imported_at", "rows", "imported_by", "provinces",
                  "status", "preferred"]]
    st.dataframe(safe_frame(shown), hide_index=True, width="stretch")
    active = list(mine.loc[mine["status"] == "active", "id"])
    if not active:
        return
    choice = st.selectbox("Batch", active, key="batch_choice")
    left, right = st.columns(2)
    left.button(ctx.t("manage.rollback"), key="rollback_go", on_click=_act,
                args=(ctx.lang, store.rollback_batch, engine, choice), kwargs={"actor": actor})
    preferred = bool(mine.set_index("id").loc[choice, "preferred"])
    right.button(ctx.t("manage.prefer_off" if preferred else "manage.prefer_toggle"),
                 key="prefer_go", on_click=_act,
                 args=(ctx.lang, store.prefer_upload, engine, choice),
                 kwargs={"actor": actor, "preferred": not preferred})


def render_audit(ctx: PageContext, actor: Actor) -> None:
    # Editors see the changes of their own provinces; admins every change.
    trail = store.audit_trail(context.engine(),
                              provinces=None if actor.role == "admin" else actor.provinces)
    if trail.empty:
        st.info(ctx.t("manage.audit_empty"))
        return
    a, b = st.columns(2)
    action = a.selectbox(ctx.t("manage.audit_filter_action"), [None, *ACTIONS],
                         key="audit_action", format_func=lambda v: "—" if v is None else v)
    actors = sorted(set(trail["actor"]))
    who = b.selectbox(ctx.t("manage.audit_filter_actor"), [None, *actors], key="audit_actor",
                      format_func=lambda v: "—" if v is None else v)
    if action:
        trail = trail[trail["action"] == action]
    if who:
        trail = trail[trail["actor"] == who]
    table = safe_frame(trail.head(AUDIT_SHOWN))
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(ctx.t("action.download_csv"), to_csv_bytes(trail),
                       "cakupan-audit.csv", mime="text/csv", key="audit_csv")


def render_users(ctx: PageContext, actor: Actor) -> None:
    engine = context.engine()
    st.dataframe(safe_frame(store.list_users(engine)), hide_index=True, width="stretch")
    with st.form("user_form"):
        st.subheader(ctx.t("manage.user_add"))
        email = st.text_input(ctx.t("manage.user_email"))
        role = st.selectbox(ctx.t("manage.user_role"), ROLES, index=1)
        provinces = st.text_input(ctx.t("manage.user_provinces"), placeholder="81,74")
        save, remove = st.columns(2)
        saved = save.form_submit_button(ctx.t("manage.user_save"))
        removed = remove.form_submit_button(ctx.t("manage.user_remove"))
    wanted = [p.strip() for p in provinces.split(",") if p.strip()]
    if saved:
        _act(ctx.lang, store.add_user, engine, email, role, wanted, actor=actor)
        render_flash()
    if removed:
        _act(ctx.lang, store.remove_user, engine, email, actor=actor)
        render_flash()
