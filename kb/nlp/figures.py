"""Figures in a claim's clause: money by currency, rates per period, counts of a noun.

"5,000 Model 3 cars a week" -> 5000 per week; "1.5 billion euros ($1.7 billion)" -> 1.5e9 EUR and
1.7e9 USD; "eight stations" -> 8 stations. A number that is part of a name ("Model 3"), of a date
or a year, or a span of time ("delayed by three months") is no figure. Used by
``kb.nlp.propositions``; tracking matches claims by these figures (``kb.track.match``).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .spans import lemma

TIME_NOUNS = {"week", "month", "year", "day", "quarter", "time", "today", "tomorrow", "yesterday", "hour",
              "minute", "weekend", "end", "beginning", "start", "period", "season", "decade", "century", "past", "future",
              "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "q1", "q2", "q3", "q4"}
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD",
                  "usd": "USD", "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "yen": "JPY", "yuan": "CNY",
                  "renminbi": "CNY", "won": "KRW", "rupee": "INR", "rupees": "INR"}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12, "tn": 1e12}
PERIODS = {"day": "day", "week": "week", "month": "month", "year": "year", "quarter": "quarter",
           "annually": "year", "weekly": "week", "daily": "day", "monthly": "month"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec", "q1", "q2", "q3", "q4"}
GLUED = re.compile(r"^([$€£¥₩])?(\d[\d,]*(?:\.\d+)?)(k|m|mn|bn|b|tn)?$", re.I)


def in_time(t: Token) -> bool:
    """The token is part of a date or time expression (spaCy's DATE/TIME entities, kept in doc.spans)."""
    for key in ("kb_dates", "dates"):
        for sp in t.doc.spans.get(key, ()):
            if sp.start <= t.i < sp.end:
                return True
    return False


NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
                                                    "dozen": 12}


def _number(tok: Token) -> tuple[float, str | None, str | None] | None:
    """(value, currency from a glued sign, scale word glued) of a numeric token, or None."""
    if tok.lower_ in NUMBER_WORDS and tok.dep_ == "nummod":          # "eight stations", "four payments"
        return float(NUMBER_WORDS[tok.lower_]), None, None
    m = GLUED.match(tok.text)
    if not m:
        return None
    sign, digits, scale = m.groups()
    try:
        value = float(digits.replace(",", ""))
    except ValueError:
        return None
    if scale:
        value *= SCALES[scale.lower()]
    return value, CURRENCY_SIGNS.get(sign or ""), scale


def quantities(region: list[Token], claim: dict | None = None) -> list[dict]:
    """Figures of the clause: money (by currency), rates (per period) and counts (of a noun)."""
    doc = region[0].doc if region else None
    out = []
    ids = {t.i for t in region}
    tstart, tend = (claim or {}).get("time_start"), (claim or {}).get("time_end")
    for t in region:
        if t.like_num is False and not GLUED.match(t.text):
            continue
        num = _number(t)
        if num is None:
            continue
        value, currency, _ = num
        if tstart is not None and tend is not None and tstart <= t.idx < tend:
            continue
        if re.fullmatch(r"(19|20)\d\d", t.text) or any(
                0 <= t.i + d < len(doc) and doc[t.i + d].text[:1].isupper()
                and doc[t.i + d].lower_.rstrip(".") in MONTHS for d in (-2, -1, 1)):
            continue                                   # a year, a day of a month
        prev = doc[t.i - 1] if t.i > 0 else None
        if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() and prev.i in ids \
                and t.text.isdigit() and len(t.text) <= 3:
            continue                                   # "Model 3", "Boeing 737"
        j = t.i + 1
        while j < len(doc) and j - t.i <= 2 and doc[j].lower_ in SCALES:
            value *= SCALES[doc[j].lower_]
            j += 1
        if currency is None and prev is not None:
            currency = CURRENCY_SIGNS.get(prev.text) or CURRENCY_WORDS.get(prev.lower_)
        if currency is None and j < len(doc):
            currency = CURRENCY_WORDS.get(doc[j].lower_)
        period = _period(doc, j)
        if currency:
            unit = f"money:{currency}" + (f"/{period}" if period else "")
        elif period:
            unit = f"rate:{period}"
        else:
            head = t.head if t.dep_ in ("nummod", "quantmod") else None
            unit = f"count:{lemma(head)}" if head is not None and head.pos_ == "NOUN" else "count"
            if head is not None and lemma(head) in TIME_NOUNS:
                continue                               # "delayed by three months": a span of time, not a figure
        end = max(j, t.i + 1)
        out.append({"value": value, "unit": unit, "text": doc[t.i:end].text})
    return out


def _period(doc: Doc, j: int) -> str | None:
    """"a week", "per week", "each day", "-a-week", "in a single week" within a few tokens after a figure."""
    window = [x.lower_ for x in doc[j:j + 7]]
    for k, w in enumerate(window):
        if w in (".", ";", ",") and k > 0:
            break
        if w in PERIODS and k > 0 and window[k - 1] in ("a", "per", "each", "every", "single", "-", "an", "/"):
            return PERIODS[w]
        if w in PERIODS and k > 1 and window[k - 2] in ("the", "a") and window[k - 1] in ("final", "last", "first", "same", "one"):
            return PERIODS[w]                          # "5,000 cars in the final week"
        if w in ("weekly", "daily", "monthly", "annually"):
            return PERIODS[w]
    return None
