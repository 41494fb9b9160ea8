"""Microlearn citations: [[ml:KEY]] in a post's sanitised HTML becomes a card.

Posts are stored as sanitised HTML in which a citation is plain text. It turns
into a card when the page is shown, so a microlearn's changed title or retirement
shows everywhere it is cited, and the sanitiser in forum/markup.py needs no
exception for it. Text inside links and code stays as written.
"""

import re
from collections.abc import Callable

from markupsafe import Markup

CITE_RE = re.compile(r"\[\[ml:([A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9])\]\]", re.I)
_TAG_RE = re.compile(r"(<[^>]*>)")
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z0-9]+)")
_OPEN_P_RE = re.compile(r"<p(\s[^>]*)?>", re.I)
# Inside these, a citation is text someone means literally.
_LITERAL = frozenset({"a", "code", "pre"})


def replace_citations(html: str, card: Callable[[str, bool], str | None]) -> Markup:
    """Return sanitised HTML with each citation replaced by card(key, block).

    block is True for a citation alone in its paragraph: the whole paragraph
    becomes the card. card returns None for a key it does not know, which then
    stays as the text the author wrote.
    """
    parts = _TAG_RE.split(html or "")
    out: list[str] = []
    literal = 0
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.startswith("<"):
            name_match = _TAG_NAME_RE.match(part)
            name = name_match.group(1).lower() if name_match else ""
            if name in _LITERAL and not part.endswith("/>"):
                literal = max(0, literal + (-1 if part.startswith("</") else 1))
            alone = (
                not literal
                and _OPEN_P_RE.fullmatch(part)
                and i + 2 < len(parts)
                and parts[i + 2].lower() == "</p>"
                and CITE_RE.fullmatch(parts[i + 1].strip())
            )
            if alone:
                key = CITE_RE.fullmatch(parts[i + 1].strip()).group(1).lower()
                block = card(key, True)
                if block is not None:
                    out.append(block)
                    i += 3
                    continue
            out.append(part)
        elif not literal and "[[" in part:
            out.append(
                CITE_RE.sub(
                    lambda m: card(m.group(1).lower(), False) or m.group(0), part
                )
            )
        else:
            out.append(part)
        i += 1
    return Markup("".join(out))
