"""Text that came from a submission (file names, messages, feedback), made safe to show.

Anything a student controls may hold terminal escapes, newlines that fake a table row, text
direction overrides, lone surrogates that cannot be encoded, or a megabyte of noise; ``clean``
turns it into one printable line of bounded length, the same on every terminal and in JSON.
"""

from __future__ import annotations

import os
import unicodedata

#: Direction controls that reorder text on screen (a line could then show "13/13" reversed).
_BIDI = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}


def clean(text: object, limit: int = 500) -> str:
    """One line: control and direction characters escaped (``\\n``, ``\\x1b``), lone
    surrogates replaced by U+FFFD, at most ``limit`` characters."""
    try:
        raw = text if isinstance(text, str) else str(text)
    except Exception:
        raw = "<unprintable>"
    raw = raw[: limit * 4]
    out = []
    for char in raw:
        category = unicodedata.category(char)
        if category == "Cs":
            out.append("\ufffd")
        elif char in _BIDI or category == "Cc":
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    line = "".join(out)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def file_name(path: str | os.PathLike) -> str:
    """A path as text: undecodable bytes shown as \\xNN, then cleaned."""
    raw = os.fsencode(path).decode("utf-8", "backslashreplace")
    return clean(raw, 300)
