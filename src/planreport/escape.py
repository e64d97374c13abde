"""One escaping function per output channel, for text that comes from a plan repository.

Keys, values and file names in a pull request are untrusted: on a terminal they could
move the cursor or forge a problem line, in a GitHub workflow command they could forge
an annotation, in Markdown they could add images or HTML, and in a spreadsheet a cell
starting with '=' runs as a formula. Reporters pass every such text through the function
for their channel.
"""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, line and paragraph separators, and the bidirectional
# controls that can make text read differently from what it is, and invisible spaces and
# marks (not the joiners some scripts need).
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKDOWN = re.compile(r"([\\`*_\[\]!|~])")  # text is one line inside a cell or item
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(text: str) -> str:
    """Text safe to print on one line of a terminal or log: controls shown, not obeyed."""
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def workflow_data(text: str) -> str:
    """A GitHub workflow command's message: one line, '%', CR and LF escaped."""
    clean = _SURROGATE.sub("\ufffd", text)
    clean = clean.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", clean)


def workflow_property(text: str) -> str:
    """A GitHub workflow command's property value (file=, title=): ':' and ',' escaped too."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown(text: str) -> str:
    """Text shown as itself in Markdown (job summaries, pull requests): no HTML, no links."""
    flat = terminal(" ".join(text.split()))
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", flat)


def csv_cell(text: str) -> str:
    """A spreadsheet cell that is shown as text, never run as a formula."""
    text = _SURROGATE.sub("\ufffd", text)
    return "'" + text if text.startswith(_FORMULA_START) else text
