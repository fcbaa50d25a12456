"""QR codes of the short application links, drawn here (segno): no outside service sees
which union recruits, and the intranet needs no network to print a poster."""

from __future__ import annotations

import io

import segno

# The poster is printed and photographed; M (15 %) survives a crease or a blurred phone.
ERROR_LEVEL = "m"


def _code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, scale: int = 8) -> bytes:
    """A standalone SVG whose title is the link itself."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=scale, border=4, title=url, dark="#000", light="#fff")
    return out.getvalue()


def qr_png(url: str, *, scale: int = 12) -> bytes:
    """A PNG for WeChat and office software (about 500 px square for a short link)."""
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
