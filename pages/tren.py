"""tren page (in progress)."""

from ui import context, render

ctx = context.start("tren")
render.page_header(ctx, "page.tren")
