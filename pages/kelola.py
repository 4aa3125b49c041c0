"""Kelola Data: a signed-in editor's own regions — import, review, publish, roll back — and
the audit trail; user roles and boundary files for admins. Anyone else sees one sentence and
nothing to click.

The store checks every action again with the same actor (STYLE.md 17): this page only
decides what to show.
"""

import streamlit as st

from ui import boundaries, context, manage, render, upload, village_upload

# 1. View and who is here.
ctx = context.start("kelola", controls=())
render.page_header(ctx, "page.kelola")
actor = manage.current_actor()

# 2. Nobody signed in, or no editor role: say how to get one, show no control.
if not actor.signed_in:
    st.info(ctx.t("manage.sign_in_needed"), icon=":material/lock:")
    st.stop()
if not actor.can_edit:
    st.info(ctx.t("manage.no_role", email=actor.email or actor.id), icon=":material/lock:")
    st.stop()
manage.render_scope(ctx, actor)
manage.render_flash()

# 3. Import, batches, audit trail, users (admins), templates.
tabs = [ctx.t("manage.tab.import"), ctx.t("manage.tab.batches"), ctx.t("manage.tab.audit"),
        ctx.t("manage.templates")]
if actor.role == "admin":
    tabs += [ctx.t("manage.tab.users"), ctx.t("manage.tab.boundaries")]
panes = st.tabs(tabs)
with panes[0]:
    upload.render_import(ctx, actor)
    village_upload.render_village_import(ctx, actor)  # one regency's desa/kelurahan rows
with panes[1]:
    manage.render_batches(ctx, actor)
with panes[2]:
    manage.render_audit(ctx, actor)
with panes[3]:
    upload.render_templates(ctx)
if actor.role == "admin":
    with panes[4]:
        manage.render_users(ctx, actor)
    with panes[5]:  # boundary files and versions (issue 15)
        boundaries.render_boundaries(ctx, actor)
