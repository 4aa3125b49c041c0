"""A province's regencies from furthest behind, for the regency profile. Streamlit-only.

A profile link that names only a province (``/wilayah?region=81``, where the sidebar's
province choice leads) opens on the province's furthest-behind regency instead of an empty
page (:func:`open_furthest_behind`); every regency profile then says when it is the furthest
behind and lists the province's other regencies in that order (:func:`render`). Both read
the same cached order, so the sentence, the list and the choice can never disagree, and the
page a link opens depends on the link alone (and the data), not on how the visitor got there.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from cakupan import regions
from cakupan.analysis import furthest
from cakupan.core.i18n import status_label
from cakupan.present import fmt
from ui import context
from ui.context import PageContext
from ui.render import md_escape
from ui.shell import PAGES

#: The profile page's script: links and the redirect open it (the router knows it by path).
_PROFILE = PAGES["wilayah"][0]


def order(ctx: PageContext, province: str) -> furthest.Order:
    """The province's regencies from furthest behind for the view's segment, in the month
    the view pins or else the latest month with a regency figure.

    Not cached itself: it reads the province's cached observations (a few hundred rows per
    segment) and orders them in milliseconds.
    """
    obs = context.observations(ctx.state.segment, "any", province)
    codes = list(regions.regencies(province)["code"])
    return furthest.furthest_behind(obs, codes, segment=ctx.state.segment,
                                    period=ctx.state.period)


def _link_params(ctx: PageContext, code: str) -> dict[str, str]:
    """The view with another regency: segment, period, language... are kept."""
    params = ctx.state.replace(region=code).to_params()
    return {k: v for k, v in params.items() if k not in ("mode", "slide")}


def open_furthest_behind(ctx: PageContext, province: str) -> NoReturn:
    """Reopen the profile on the province's furthest-behind regency, the code in the URL.

    ``st.switch_page`` with the new query (as a click on the map does) rather than
    ``context.update``: the sidebar's regency box is already drawn empty in this run, and
    a view adopted in place would fall back to the province on the visitor's next click.
    On the new run the URL differs from the one the widgets were seeded from, so
    ``context.start`` seeds the province and regency boxes from it: sidebar, URL and copy
    link all name the regency.
    """
    first = order(ctx, province).first
    if first is None:  # a province without regencies does not exist; say what to do
        st.info(ctx.t("control.search_region"), icon=":material/search:")
        st.stop()
    st.switch_page(_PROFILE, query_params=_link_params(ctx, first.code))


def _figure(standing: furthest.Standing | None, lang: str) -> str:
    if standing is None or standing.coverage_pct is None:
        return status_label("no_data", lang)
    return fmt.pct(standing.coverage_pct, lang)


def render(ctx: PageContext, region: str) -> None:
    """Why this regency (when it is the furthest behind), and links to the others in order.

    Region names come from the reference, but they go into Markdown (a page link's label
    is Markdown), so they are escaped all the same.
    """
    province = region[:2]
    ranked = order(ctx, province)
    province_name = regions.name_of(province)
    first = ranked.first
    if first is not None and first.code == region:
        if ranked.period is None:
            st.info(ctx.t("msg.furthest_behind_none", province=md_escape(province_name)),
                    icon=":material/info:")
        else:
            st.info(ctx.t("msg.furthest_behind", regency=md_escape(regions.name_of(region)),
                          province=md_escape(province_name), pct=_figure(first, ctx.lang),
                          month=fmt.month(ranked.period, ctx.lang)),
                    icon=":material/trending_down:")
    others = [(rank, s) for rank, s in enumerate(ranked.standings, start=1) if s.code != region]
    if not others:
        return
    label = ctx.t("section.province_regencies", province=md_escape(province_name),
                  n=len(others))
    with st.expander(label, icon=":material/format_list_numbered:"):
        # Down each column, not across: stacked on a phone, the order still reads right.
        per = -(-len(others) // 3)
        for col, start in zip(st.columns(3), range(0, len(others), per), strict=False):
            for rank, standing in others[start:start + per]:
                text = f"{rank}. {regions.name_of(standing.code)} · {_figure(standing, ctx.lang)}"
                col.page_link(_PROFILE, label=md_escape(text),
                              query_params=_link_params(ctx, standing.code))
