"""The terminal: a rich Console that never passes control characters from data.

Names, ids and paths come from planners' files; an ESC or OSC sequence in a name
("\\x1b]0;...\\x07" sets the window title) must not reach the terminal raw. Rich's own
styling travels in control segments and is kept; every other segment loses its C0 and
C1 control characters (tab and newline stay).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without C0 and C1 control characters (tab and newline are kept)."""
    return CONTROL_CHARACTERS.sub("", text)


class SafeConsole(Console):
    """A rich Console whose output carries no control character from the data."""

    def render(self, renderable: Any, options: Any = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not CONTROL_CHARACTERS.search(segment.text):
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style, segment.control)
