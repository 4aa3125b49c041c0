"""sumber page (in progress)."""

from ui import context, render

ctx = context.start("sumber")
render.page_header(ctx, "page.sumber")
