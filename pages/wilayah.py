"""wilayah page (in progress)."""

from ui import context, render

ctx = context.start("wilayah")
render.page_header(ctx, "page.wilayah")
