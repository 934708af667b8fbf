#!/usr/bin/env python3
"""Draw cinerec's favicon (the page's ▶ logo) and write `src/cinerec/web/static/favicon.ico`.

The same picture as `favicon.svg` beside it: a dark rounded square, a yellow frame and a yellow
play triangle. Drawn with Pillow at 4x and scaled down, saved at 16, 32 and 48 px.

Usage: python tools/make_favicon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "src" / "cinerec" / "web" / "static" / "favicon.ico"
BACKGROUND, ACCENT = (15, 17, 21, 255), (245, 197, 24, 255)


def draw(size: int = 256) -> Image.Image:
    s = size / 64  # the SVG's viewBox is 64 x 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(14 * s), fill=BACKGROUND)
    pen.rounded_rectangle(
        (4 * s, 4 * s, 60 * s, 60 * s), radius=round(11 * s), outline=ACCENT, width=round(4 * s)
    )
    pen.polygon([(25 * s, 18 * s), (47 * s, 32 * s), (25 * s, 46 * s)], fill=ACCENT)
    return image


def main() -> None:
    draw().save(OUT, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
