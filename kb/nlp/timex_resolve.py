"""Resolving time expressions against an article's date: intervals and deadlines.

A small compositional grammar over the words of the expression (its preposition and
negation stripped): anchors (today, tomorrow, weekdays, dates, months, quarters, halves,
seasons, years, decades, this/next/last units, durations, clock times) under modifiers (the
end/beginning/middle of, late/early/mid, the first N months of, the final week of,
earlier/later this ...). A date named without its year follows the clause's tense ("will pay
on June 30" in July is next year's June 30); a weekday too ("informed ... on Monday": the
Monday before; "will pay on Friday": the Friday after). Used by ``kb.nlp.timex``.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

SOME_DAY = date(2001, 1, 1)     # a reference date to tell resolvable expressions from vague ones


class Interval(NamedTuple):
    start: date
    end: date
    granularity: str            # day week month quarter half season year decade


# what the grammar reads: (start, end, granularity, flag) with flag past | span | clock | None;
# (None, "vague" | "duration") for a time expression that names no interval; None for no time
Reading = tuple | None


# ----------------------------------------------------------------------------- lexicon
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS |= {d[:3]: i for d, i in list(WEEKDAYS.items())} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
UNITS = {u + s: u for u in ("day", "week", "fortnight", "month", "quarter", "year", "decade", "hour", "minute")
         for s in ("", "s")}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
           "thirty": 30, "sixty": 60, "ninety": 90, "hundred": 100}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": -1, "final": -1}
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
DAY_PARTS = {"morning", "afternoon", "evening", "night", "tonight", "overnight"}
DEICTIC = {"this": 0, "current": 0, "same": 0, "next": 1, "coming": 1, "following": 1, "upcoming": 1,
           "last": -1, "past": -1, "previous": -1, "preceding": -1}
# words that make a phrase a time expression even when it cannot be resolved
TIME_WORDS = set(UNITS) | set(MONTHS) | set(WEEKDAYS) | set(SEASONS) | DAY_PARTS | {
    "today", "tomorrow", "yesterday", "future", "date", "time", "times", "era", "period", "weekend",
    "weekends", "century", "centuries", "holiday", "holidays", "term", "season", "now", "soon"}
PAST_WORDS = {"ago", "earlier", "yesterday", "recent", "recently", "previous", "past", "last", "former"}

# prepositions -> relation; "to" as in "pushed the goal to the end of March" (a new deadline)
PREP_RELATION = {"by": "by", "until": "until", "till": "until", "til": "until", "'til": "until",
                 "through": "until", "thru": "until", "to": "by", "on": "on", "in": "in",
                 "during": "in", "throughout": "in", "over": "within", "within": "within",
                 "before": "before", "after": "after", "following": "after", "from": "after",
                 "since": "since", "at": "at", "for": None, "of": None}
CLOCK_RE = re.compile(r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\b\.?|p\.?m\b\.?|o'clock)|\b\d{1,2}:\d\d\b"
                      r"|\b(?:midnight|noon|midday)\b")
ZONES = {"gmt", "utc", "bst", "cet", "cest", "et", "est", "edt", "ct", "cst", "cdt", "pt", "pst", "pdt", "eastern",
         "local"}
APPROX = {"nearly", "almost", "about", "around", "approximately", "roughly", "just", "only", "full", "some"}
APPROX2 = {("less", "than"), ("more", "than"), ("at", "least"), ("up", "to"), ("no", "more"), ("fewer", "than")}
LEAD_WORDS = set(PREP_RELATION) | {"no", "not", "than", "prior", "ahead", "as"}


# ----------------------------------------------------------------------------- reading
def words_of(text: str | None) -> list[str] | None:
    """Lower-case words, clock times as "clock", possessives and hyphens undone."""
    if not isinstance(text, str) or not text.strip():
        return None
    t = text.lower().replace("’", "'").replace("–", " ").replace("—", " ")
    t = CLOCK_RE.sub(" clock ", t)
    t = re.sub(r"'s\b|s'(?=\s|$)", lambda m: "" if m.group() == "'s" else "s", t)
    t = re.sub(r"(?<=[a-z])-(?=[a-z0-9])|(?<=[0-9])-(?=[a-z])", " ", t)
    t = re.sub(r"[^\w\s'/-]", " ", t)
    return t.split()


def relation_of(text: str) -> str | None:
    """The relation named by a leading preposition ("won't ... until X": not_until)."""
    w = words_of(text) or []
    if "until" in w or "till" in w:
        k = w.index("until" if "until" in w else "till")
        return "not_until" if any(x in ("not", "n't", "won't", "wont", "never") or x.endswith("n't")
                                  for x in w[:k]) else "until"
    if w[:3] in (["no", "later", "than"], ["not", "later", "than"]):
        return "by"
    for x in w[:3]:
        if x in PREP_RELATION:
            return PREP_RELATION[x]
    return None


def core_words(words: list[str] | None) -> list[str]:
    """The expression without its relation words ("won't ... until", "no later than", "by");
    "late in X" keeps its "late"."""
    words = list(words or [])
    for k, w in enumerate(words):
        if w in ("until", "till") and k > 0:
            words = words[k:]
            break
    mods = []
    while len(words) > 1:
        x = words[0]
        if x in ("late", "early", "mid", "later", "earlier") and words[1] in ("in", "on", "than"):
            mods += [x] if words[1] != "than" else []
            words = words[1:]
        elif x in LEAD_WORDS:
            words = words[1:]
        else:
            break
    out = []
    for k, w in enumerate(words):
        if w == "the" or w in APPROX or w in ZONES and "clock" in words \
                or k + 1 < len(words) and (w, words[k + 1]) in APPROX2 or k and (words[k - 1], w) in APPROX2:
            continue
        out.append(w)
    return mods + out


def _num(w: str) -> int | None:
    return int(w) if w.isdigit() else NUMBERS.get(w)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, min(d.day, calendar.monthrange(d.year + y, m + 1)[1]))


def _unit(unit: str, ref: date, step: int) -> tuple[date, date, str]:
    """The calendar unit (week, month, quarter, year, decade) `step` away from ref's."""
    if unit in ("week", "weekend"):
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        return (monday + timedelta(days=5) if unit == "weekend" else monday), monday + timedelta(days=6), "week"
    if unit == "month":
        first = _add_months(ref.replace(day=1), step)
        return first, _month_end(first.year, first.month), "month"
    if unit == "quarter":
        q = (ref.month - 1) // 3 + step
        y, q = ref.year + q // 4, q % 4
        return date(y, 3 * q + 1, 1), _month_end(y, 3 * q + 3), "quarter"
    if unit == "decade":
        y = ref.year // 10 * 10 + 10 * step
        return date(y, 1, 1), date(y + 9, 12, 31), "decade"
    return date(ref.year + step, 1, 1), date(ref.year + step, 12, 31), "year"


def _shift(words: list[str], n: int, ref: date, sign: int) -> date | None:
    unit = UNITS.get(words[0]) if words else None
    if unit in ("hour", "minute"):
        return ref + timedelta(days=-(-n // 24) if unit == "hour" else 0) * sign
    if unit in ("day", "week", "fortnight"):
        return ref + sign * timedelta(days=n * {"day": 1, "week": 7, "fortnight": 14}[unit])
    if unit in ("month", "quarter", "year", "decade"):
        return _add_months(ref, sign * n * {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit])
    return None


def read(words: list[str] | None, ref: date | None = None, tense_: str | None = None) -> Reading:
    """(start, end, granularity, flags) of the expression, or (None, kind) for a time
    expression that does not resolve (kind vague | duration), or None (not a time expression).
    Without ref only absolute expressions resolve (relative ones are vague)."""
    if not words:
        return None
    try:
        got = _parse_words(words, ref or SOME_DAY, tense_, ref is None)
        return _rolled(words, got, ref, tense_) if ref is not None else got
    except (ValueError, OverflowError, IndexError, KeyError, TypeError):
        return None


def _rolled(words: list[str], got: Reading, ref: date, tense_: str | None) -> Reading:
    """A bare unit ("the end of the month", "the final week of the quarter") read again as
    the next one when the whole lies behind a future clause, the last one when it lies
    ahead of a past clause."""
    if not got or got[0] is None or tense_ not in ("past", "future"):
        return got
    ahead, behind = got[0] > ref, got[1] < ref
    if not (tense_ == "past" and ahead or tense_ == "future" and behind):
        return got
    units = [k for k, x in enumerate(words) if x in ("week", "month", "quarter", "year")]
    if not units or any(y in MONTHS or y.isdigit() for y in words) or units[-1] and words[units[-1] - 1] in DEICTIC:
        return got
    k = units[-1]                                     # the innermost anchor
    new = _parse_words(words[:k] + ["last" if tense_ == "past" else "next"] + words[k:], ref, tense_, False)
    return new if new and new[0] is not None else got


def _parse_words(w: list[str], ref: date, tense_: str | None, no_ref: bool) -> Reading:
    past = any(x in PAST_WORDS for x in w)
    if w[0] in ("earlier", "later") and len(w) > 1:             # "earlier this month", "later in the week"
        inner = _parse_words([x for x in w[1:] if x != "in"], ref, tense_, no_ref)
        if inner is None or inner[0] is None:
            return inner
        s, e, g, _ = inner
        if w[0] == "earlier":
            return s, max(s, min(e, ref - timedelta(days=1))), g, "past"
        return min(e, max(s, ref + timedelta(days=1))), e, g, None   # "later today": still today
    if len(w) > 1 and w[-1] == "end" or w[0] == "end" and len(w) > 1 and w[1] != "of":
        w = ["end", "of"] + (w[:-1] if w[-1] == "end" else w[1:])    # "year end", "end 2017"
    for lead, part in (("end", 2), ("close", 2), ("beginning", 0), ("start", 0), ("middle", 1), ("late", 2),
                       ("early", 0), ("mid", 1)):
        if w[0] == lead and len(w) > 1:
            rest = w[2:] if w[1] == "of" else w[1:]
            inner = _parse_words(rest, ref, tense_, no_ref)
            if inner is None or inner[0] is None:
                return inner
            s, e, g, fl = inner
            if lead in ("end", "close"):
                return e, e, "day", fl
            third = (e - s + timedelta(days=1)) / 3          # "mid-June": 11-20 June
            return s + part * third, (e if part == 2 else s + (part + 1) * third - timedelta(days=1)), g, fl
    if len(w) >= 4 and w[0] in ("first", "last", "final") and _num(w[1]) and UNITS.get(w[2]) and w[3] == "of":
        inner = _parse_words(w[4:], ref, tense_, no_ref)        # "the first three months of 2018"
        if inner is None or inner[0] is None:
            return inner
        s, e, g, fl = inner
        n, unit = _num(w[1]), UNITS[w[2]]
        if w[0] == "first":
            end = _shift([w[2]], n, s, 1) - timedelta(days=1)
            return s, end, unit, fl
        return _shift([w[2]], n, e + timedelta(days=1), -1), e, unit, fl
    if len(w) >= 2 and w[0] in ORDINALS and w[1] in ("week", "month", "quarter", "half") \
            and (w[0] not in ("last", "final") or "of" in w[2:3]):     # not "last week"
        rest = w[3:] if len(w) > 2 and w[2] == "of" else w[2:]
        return _ordinal(ORDINALS[w[0]], w[1], rest, ref, tense_, no_ref)
    m = re.fullmatch(r"([qh])([1-4])", w[0])
    if m and (m.group(1) == "q" or m.group(2) in "12"):
        return _ordinal(int(m.group(2)), "quarter" if m.group(1) == "q" else "half", w[1:], ref, tense_, no_ref)
    return _anchor(w, ref, tense_, no_ref, past)


def _ordinal(n: int, unit: str, rest: list[str], ref: date, tense_: str | None, no_ref: bool) -> Reading:
    """The n-th (or last: -1) week, month, quarter or half of an interval (the year by default)."""
    if rest:
        inner = _parse_words(rest, ref, tense_, no_ref)
        if inner is None or inner[0] is None:
            return inner
        s, e, g, fl = inner
        explicit = True
    else:
        if no_ref:
            return None, "vague"
        s, e, g, fl, explicit = date(ref.year, 1, 1), date(ref.year, 12, 31), "year", None, False
    if unit == "week":
        if n > 0:
            lo = s + timedelta(weeks=n - 1)
            return lo, min(e, lo + timedelta(days=6)), "week", fl
        return max(s, e - timedelta(days=6)), e, "week", fl
    months = {"month": 1, "quarter": 3, "half": 6}[unit]
    count = max(1, ((e.year - s.year) * 12 + e.month - s.month + 1) // months)
    k = n - 1 if n > 0 else count - 1
    lo = _add_months(s.replace(day=1), k * months)
    hi = _add_months(lo, months) - timedelta(days=1)
    if not explicit:
        lo, hi = _roll(lo, hi, ref, tense_)
    return lo, hi, unit, fl


def _roll(lo: date, hi: date, ref: date, tense_: str | None) -> tuple[date, date]:
    """A date named without its year: next year's when already past in a future clause,
    last year's when still ahead in a past one."""
    n = 1 if tense_ == "future" and hi < ref else -1 if tense_ == "past" and lo > ref else 0
    if not n:
        return lo, hi
    return tuple(d.replace(year=d.year + n, day=min(d.day, calendar.monthrange(d.year + n, d.month)[1]))
                 for d in (lo, hi))


def _anchor(w: list[str], ref: date, tense_: str | None, no_ref: bool, past: bool) -> Reading:
    flag = "past" if past else None
    w = [x for x in w if x not in ("of", "in", "on", "at", "around", "about", "approximately", "roughly")] or w
    if w[-1] in ("ago", "earlier", "before") and len(w) >= 2 and (_num(w[0]) or w[0] in ("few", "several")):
        if no_ref or not _num(w[0]):
            return None, "vague"
        d = _shift(w[1:], _num(w[0]), ref, -1)
        return (d, d, UNITS.get(w[1], "day"), "past") if d else None
    if w[-1] in ("later",) and _num(w[0]):
        return None, "vague"                                # "two years later": after some other time
    if w[-1] in ("time", "now", "hence") and len(w) >= 3 and _num(w[0]) and w[1] in UNITS:
        w = w[:2] + ["from_now"]
    if len(w) in (2, 3) and _num(w[0]) and w[1] in UNITS:
        if len(w) == 3 and w[2] != "from_now":
            return None
        if no_ref:
            return None, "duration"
        d = _shift(w[1:2], _num(w[0]), ref, 1)          # "30 days": a duration; "in 30 days" a point
        return (ref, d, "day", "span" if len(w) == 2 else None) if d else None
    if w[0] in DEICTIC and len(w) >= 2 and (_num(w[1]) or w[1] in ("few", "several", "couple")) and len(w) >= 3:
        if w[1] in ("few", "several", "couple") or no_ref:
            return None, "vague"                            # "the next few days", "the past 15 years"
        sign = DEICTIC[w[0]] or 1
        d = _shift(w[2:3], _num(w[1]), ref, sign)
        if d is None:
            return None
        return (ref, d, "day", None) if sign > 0 else (d, ref, "day", "past")
    if w[0] in DEICTIC and len(w) == 2 and w[1] in ("days", "weeks", "months", "years", "decades"):
        return None, "vague"                                # "the coming weeks", "recent years"
    if "clock" in w:                                        # "3 p.m.", "10pm GMT tomorrow"
        rest = [x for x in w if x != "clock"]
        if not rest:
            return (None, "vague") if no_ref else (ref, ref, "day", flag or "clock")
        return _anchor(rest, ref, tense_, no_ref, past)
    if w[:2] == ["last", "night"]:
        w = ["yesterday"]
    if w[0] in ("today", "tonight", "now") or w[0] == "this" and len(w) > 1 and w[1] in DAY_PARTS:
        return (None, "vague") if no_ref else (ref, ref, "day", None)
    if w[0] in ("tomorrow", "yesterday"):
        if no_ref:
            return None, "vague"
        d = ref + timedelta(days=1 if w[0] == "tomorrow" else -1)
        return d, d, "day", "past" if w[0] == "yesterday" else None
    step = DEICTIC.get(w[0])
    rest = w[1:] if step is not None else w
    step = step or 0
    if rest and rest[0] in WEEKDAYS and not any(x in MONTHS or x.isdigit() for x in rest[1:]):
        if no_ref:
            return None, "vague"
        return _weekday(WEEKDAYS[rest[0]], w[0] if w[0] in DEICTIC else None, ref, tense_) + (flag,)
    unit = rest[0] if rest else None
    if unit in ("week", "weekend", "month", "quarter", "year", "decade") and len(rest) == 1 \
            and (w[0] in DEICTIC or len(w) == 1):
        if no_ref:
            return None, "vague"
        if w[0] in ("coming", "following", "upcoming") and unit == "week":
            return ref + timedelta(days=1), ref + timedelta(days=7), "day", None
        if unit == "decade" and w[0] in DEICTIC and step:      # "over the next decade": ten years
            d = _add_months(ref, 120 * step)
            return (ref, d, "year", None) if step > 0 else (d, ref, "year", "past")
        s, e, g = _unit(unit, ref, step)
        return s, e, g, flag if step < 0 or w[0] == "past" else None
    if rest and rest[0] in SEASONS:
        year = next((int(x) for x in rest[1:] if re.fullmatch(r"\d{4}", x)), None)
        if year is None and no_ref:
            return None, "vague"
        m = SEASONS[rest[0]]
        y = year if year is not None else ref.year + step
        lo, hi = date(y, m, 1), _month_end(y + (m == 12), (m + 2 - 1) % 12 + 1)
        if year is None and step == 0 and w[0] not in DEICTIC:
            lo, hi = _roll(lo, hi, ref, tense_)
        return lo, hi, "season", flag
    return _calendar(w, ref, tense_, no_ref, flag)


def _weekday(wd: int, deictic: str | None, ref: date, tense_: str | None) -> tuple[date, date, str]:
    """A weekday: the one ahead (on or after ref) in a future or present clause, the one
    before (on or before ref) in a past one; "next"/"last" move a week."""
    ahead = (wd - ref.weekday()) % 7
    if deictic in ("next",):
        d = ref - timedelta(days=ref.weekday()) + timedelta(days=7 + wd)
    elif deictic in ("last", "past", "previous"):
        d = ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)
    elif tense_ == "past":
        d = ref - timedelta(days=(ref.weekday() - wd) % 7)
    else:
        d = ref + timedelta(days=ahead)
    return d, d, "day"


def _calendar(w: list[str], ref: date, tense_: str | None, no_ref: bool, flag: str | None) -> Reading:
    """Dates, months and years: "June 30", "30 June", "Jan 1 2017", "December 2017", "2017",
    "fiscal 2019", "the 1970s", "2015-06-30", "6/30/2015"."""
    step = None
    for k in range(len(w) - 1):         # "March of next year", "June 16th of last year", "June this year"
        if w[k] in DEICTIC and w[k + 1] == "year" and any(x in MONTHS for x in w):
            step, w = DEICTIC[w[k]], w[:k] + w[k + 2:]
            break
    w = [x for x in w if x not in ("fiscal", "fy", "calendar", "year") or len(w) == 1]
    w = [x for x in w if x not in WEEKDAYS or not any(y in MONTHS for y in w)]
    if step is None and len(w) == 2 and w[0] in ("last", "next", "this", "past") and w[1] in MONTHS:
        if no_ref:
            return None, "vague"             # "last July": the latest July before this month
        m, now = MONTHS[w[1]], ref.month
        y = ref.year + (m <= now if w[0] == "next" else 0 if w[0] == "this" else -(m >= now))
        return date(y, m, 1), _month_end(y, m), "month", "past" if w[0] != "next" and w[0] != "this" else None
    if step is not None and no_ref:
        return None, "vague"
    if len(w) == 1:
        x = w[0]
        m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", x)
        if m:
            d = date(*map(int, m.groups()))
            return d, d, "day", flag
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", x)
        if m:                        # US order, as in the English news kb reads
            y = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
            d = date(y, int(m.group(1)), int(m.group(2)))
            return d, d, "day", flag
        m = re.fullmatch(r"(1[5-9]\d|20\d)0s", x)
        if m:
            y = int(m.group(1)) * 10
            return date(y, 1, 1), date(y + 9, 12, 31), "decade", flag
    years = [int(x) for x in w if re.fullmatch(r"(1[5-9]|20)\d\d", x)]
    months = [MONTHS[x] for x in w if x in MONTHS]
    days = [int(re.match(r"\d+", x).group()) for x in w if re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", x)]
    used = len(years) + len(months) + len(days)
    if used != len(w) or len(years) > 1 or len(months) > 1 or len(days) > 1 or not (years or months):
        return (None, "vague") if not used and any(x in TIME_WORDS for x in w) else None
    if days and not months:
        return None
    year = years[0] if years else ref.year + step if step is not None else None
    if year is None and no_ref:
        return None, "vague"
    y = year if year is not None else ref.year
    if months and days:
        lo = hi = date(y, months[0], days[0])
        g = "day"
    elif months:
        lo, hi, g = date(y, months[0], 1), _month_end(y, months[0]), "month"
    else:
        return date(y, 1, 1), date(y, 12, 31), "year", flag
    if year is None:
        lo, hi = _roll(lo, hi, ref, tense_)
    return lo, hi, g, flag


def _ref(ref) -> date | None:
    """The article date as a date (from a date, datetime or ISO string), or None."""
    if isinstance(ref, datetime):
        return ref.date()
    if isinstance(ref, date):
        return ref
    if isinstance(ref, str):
        try:
            return date.fromisoformat(ref.strip()[:10])
        except ValueError:
            return None
    return None


def _evaluate(expr, ref: date | str | None, tense: str | None) -> tuple | None:
    """(interval, flag, relation, tense) of an expression (a TimeExpr-like object with text,
    relation and tense, or a string), or None."""
    text = getattr(expr, "text", expr)
    words = words_of(text)
    if not words:
        return None
    rel = expr.relation if hasattr(expr, "relation") else relation_of(text)
    tense = tense if tense is not None else getattr(expr, "tense", None)
    got = read(core_words(words), _ref(ref), tense)
    if not got or got[0] is None or len(got) < 4:
        return None
    s, e, g, flag = got
    if flag == "span" and rel not in ("within", "in", "after", "by", "until", "not_until"):
        return None                                      # "for 30 days": how long, not when
    if flag == "span" and rel in ("in", "after"):
        s = e                                            # "in two weeks": a point
    return Interval(s, e, g), flag, rel, tense


def resolve(expr, ref: date | str | None, tense: str | None = None) -> Interval | None:
    """The interval a time expression (a TimeExpr or a string such as "by the end of June")
    names, against the article date `ref` (a date or ISO string); None when it is vague
    ("soon", "the coming weeks") or a bare duration ("for 30 days")."""
    got = _evaluate(expr, ref, tense)
    return got[0] if got else None


def deadline(expr, ref: date | str | None, tense: str | None = None) -> str | None:
    """The ISO date a claim's time expression sets as its deadline (the end of its interval),
    or None: vague, past ("last year", "earlier this month", a past clause's "on Monday"),
    or open-ended ("since", "after")."""
    got = _evaluate(expr, ref, tense)
    if not got:
        return None
    iv, flag, rel, tense = got
    bounded = rel in ("by", "until", "not_until", "before", "within")
    if rel in ("since", "after") or flag == "past" and not bounded:
        return None
    if flag == "clock" and tense != "future":
        return None                          # "gets up at 3 a.m.": no day named
    if tense == "past" and (not bounded or rel == "until"):
        return None                          # "hit $1.1 billion through the end of August"
    ref_day = _ref(ref)
    if ref_day is not None and iv.end < ref_day and not bounded:
        return None                          # "the Act of 1993", "in his 2002 book"
    if ref_day is not None and tense in ("present", None) and iv.start <= ref_day and not bounded:
        return None                          # "is lowering its forecast for growth this year": now, not due
    if rel == "before" and "end" not in (words_of(getattr(expr, "text", expr)) or []):
        return (iv.start - timedelta(days=1)).isoformat()
    return iv.end.isoformat()

