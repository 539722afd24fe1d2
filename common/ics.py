"""Text made safe for an iCalendar file (RFC 5545), shared by training_events/ics.py and certification/ics.py.

icalendar escapes commas, semicolons and line feeds in TEXT values, but not in every property (``x-wr-calname``
raised "Content line can not contain unescaped new line characters" and a registration rolled back), and no
property may carry other control characters. So every text we put into a calendar passes through here first.
"""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]{2,}")


def one_line(value) -> str:
    """For single-line properties (summary, location, x-wr-calname): line breaks and controls become one space."""
    text = _LINE_BREAKS.sub(" ", str(value or ""))
    text = _CONTROLS.sub(" ", text).replace("\t", " ")
    return _SPACES.sub(" ", text).strip()


def multi_line(value) -> str:
    """For a description: CRLF and lone CR become LF (icalendar escapes LF as \\n); other controls are dropped."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    return _CONTROLS.sub("", text.replace("\t", " ")).strip()
