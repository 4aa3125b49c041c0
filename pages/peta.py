"""peta page (in progress)."""

from ui import context, render

ctx = context.start("peta")
render.page_header(ctx, "page.peta")
