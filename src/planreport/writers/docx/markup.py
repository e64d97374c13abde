"""WordprocessingML as text, escaped by construction.

`el("w:r", el("w:t", PRESERVE, text))` is `<w:r><w:t xml:space="preserve">...</w:t></w:r>`:
a plain string among an element's content is text and is escaped, a dict is attributes
(their values escaped), and Xml (what el returns) is markup, put in as it is. An element
with no content is self-closing; one with empty text is not (`<w:t></w:t>`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PRESERVE = {"xml:space": "preserve"}


class Xml(str):
    """Markup, well formed and escaped already: put into other markup as it is."""

    __slots__ = ()


def esc(text: str) -> str:
    """Text escaped for XML, in an element or an attribute value."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def el(tag: str, *content: str | Mapping[str, object]) -> Xml:
    """An element: each dict adds attributes, Xml is markup, any other string is text."""
    attrs = ""
    inner = []
    for part in content:
        if isinstance(part, Xml):
            inner.append(part)
        elif isinstance(part, str):
            inner.append(esc(part))
        else:
            attrs += "".join(f' {name}="{esc(str(value))}"' for name, value in part.items())
    if not inner:
        return Xml(f"<{tag}{attrs}/>")
    return Xml(f"<{tag}{attrs}>{''.join(inner)}</{tag}>")


def cat(parts: Iterable[str]) -> Xml:
    """Markup after markup; plain strings among them are text, and escaped."""
    return Xml("".join(p if isinstance(p, Xml) else esc(p) for p in parts))


def join(separator: Xml, parts: Iterable[Xml]) -> Xml:
    """Markup with separator between each part and the next."""
    return Xml(separator.join(parts))
