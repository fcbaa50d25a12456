"""Reading numbers from query strings and forms without ever raising.

A hand-edited URL (``?campaign=²``, ``?year=99999``, a 30-digit id) must give an empty
filter or a 404, never a 500: ``str.isdigit()`` accepts superscripts, Python ints
overflow the database's 64-bit ids, and ``date`` stops at year 9999.
"""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1


def int_param(value: Any) -> int | None:
    """A positive database id, or None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def year_param(value: Any) -> int | None:
    """A year usable in a date lookup (1–9999), or None."""
    number = int_param(value)
    return number if number is not None and number <= 9999 else None
