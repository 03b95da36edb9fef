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

`drop_trailing_link_list` removes a closing run of bulleted headlines ("more stories");
`with_standfirst` puts back the standfirst (the page's description, shown under the
headline) that trafilatura drops when it is set as a heading outside the article body.
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


LINK_LIST_MIN = 3    # a trailing run of this many bulleted headlines is a "more stories" list
LINK_LIST_LINE = 100


def drop_trailing_link_list(text: str) -> str:
    """`text` without a closing run of bulleted headlines ("- Is Snoozing Bad for You?"):
    the "more stories" list under an article. Bullets that are sentences (ending in a period)
    or longer than a headline stay, and so does a list the text introduces with a colon:
    an article may close on a list of its own."""
    paras = paragraphs(text)
    end = len(paras)
    while end > 0 and re.match(r"\s*[-•*]\s", paras[end - 1]) and \
            len(paras[end - 1].strip()) <= LINK_LIST_LINE and not paras[end - 1].rstrip().endswith("."):
        end -= 1
    if len(paras) - end < LINK_LIST_MIN or end == 0 or paras[end - 1].rstrip().endswith(":"):
        return text  # a list the article introduces ("The new rules:") is its own
    return "\n".join(paras[:end])


def is_call_to_action(para: str) -> bool:
    """A short paragraph that asks the reader to subscribe, sign up, download, respect ©."""
    para = _norm(para)
    return (len(para) <= CTA_MAX and bool(_CTA.search(para)) and bool(_READER.search(para))
            and not _QUOTE.search(para))


def drop_calls_to_action(text: str) -> str:
    kept = [p for p in paragraphs(text) if not is_call_to_action(p)]
    return "\n".join(kept) if kept else text


STANDFIRST_MIN = 60  # shorter descriptions are labels, not a standfirst


def _overlap(part: str, whole: str, n: int = 4) -> float:
    """The share of `part`'s word n-grams that occur in `whole`."""
    words, have = re.findall(r"\w+", part), set()
    grams = {tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1))}
    other = re.findall(r"\w+", whole)
    have = {tuple(other[i:i + n]) for i in range(max(len(other) - n + 1, 1))}
    return len(grams & have) / len(grams) if grams else 1.0


def with_standfirst(text: str, standfirst: str | None, page_text: str,
                    headline: str | None = None) -> str:
    """`text` led by the standfirst, when the page shows its description (the summary in
    <meta name=description>) as visible text and the extracted text lacks it: trafilatura
    drops a standfirst set as a heading between the headline and the article body. It goes
    after the headline when the text starts with it."""
    lead = _norm(standfirst or "")
    if len(lead) < STANDFIRST_MIN or lead.endswith(("...", "…")):
        return text
    body, shown = _norm(text).casefold(), _norm(page_text).casefold()
    key = lead.casefold()
    if key not in shown or _overlap(key, body) > 0.3:
        return text
    paras = paragraphs(text)
    at = 1 if paras and headline and _norm(paras[0]).casefold() == _norm(headline).casefold() else 0
    return "\n".join(paras[:at] + [lead] + paras[at:])
