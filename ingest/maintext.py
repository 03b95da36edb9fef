"""Main text from trafilatura's two modes, and paragraphs that are calls to action.

trafilatura's balanced mode keeps the article whole but often also the comments or the
"more stories" block below it, or the toolbar above it; its precision mode drops those
but now and then a real paragraph too. `trim_edges` keeps the balanced text and cuts only
its edges to where the precise text begins and ends: trailing paragraphs the precise text
does not have go, and so do leading ones, back to the first short line (a toolbar or a
dateline), since a long leading paragraph is more likely the article's lead.

`drop_calls_to_action` removes short paragraphs that address the reader to subscribe, sign
up, log in, download an app or respect a copyright notice: the subscription walls and
newsletter boxes that sit inside article bodies. Quoted speech is never touched.
"""
from __future__ import annotations

import re

SHORT_LINE = 80      # a leading line this short, missing from the precise text, is chrome
CTA_MAX = 320        # calls to action are short; longer paragraphs are kept whatever they say

_CTA = re.compile(
    r"\b(?:subscri(?:be|ber|bers|ption)|sign(?:ing)?[ -]up|log ?in|newsletters?|"
    r"download (?:the|our)\b[^.]{0,40}\bapps?|daily edition|by email|"
    r"(?:all )?rights reserved|copyrighted?|written permission|reprint)\b|©", re.I)
_READER = re.compile(r"\b(?:you|your|our|us|please|now|today|never miss|free)\b|©|!", re.I)
_QUOTE = re.compile(r"[\"“”«»„]|\b(?:said|says|told)\b")


def _norm(text: str) -> str:
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    return [p for p in (text or "").split("\n") if p.strip()]


def trim_edges(full: str, precise: str) -> str:
    """The balanced text `full`, cut at its edges to where `precise` begins and ends."""
    paras = paragraphs(full)
    target = _norm(precise)
    if not paras or not target:
        return full
    inside = [_norm(p) in target for p in paras]
    if not any(inside):
        return full
    first = inside.index(True)
    last = len(inside) - inside[::-1].index(True)
    while first > 0 and len(paras[first - 1]) > SHORT_LINE:
        first -= 1
    return "\n".join(paras[first:last])


def is_call_to_action(para: str) -> bool:
    """A short paragraph that asks the reader to subscribe, sign up, download, respect ©."""
    para = _norm(para)
    return (len(para) <= CTA_MAX and bool(_CTA.search(para)) and bool(_READER.search(para))
            and not _QUOTE.search(para))


def drop_calls_to_action(text: str) -> str:
    kept = [p for p in paragraphs(text) if not is_call_to_action(p)]
    return "\n".join(kept) if kept else text
