"""Time expressions of claims (kb.nlp.timex): which one belongs to the claim's own clause,
its relation and tense, and the interval and deadline it names against the article date."""
import json
from datetime import date

import pytest

from conftest import CORPUS, need
from kb.nlp import load_nlp
from kb.nlp.claims import claim_dicts
from kb.nlp.timex import Interval, TimeExpr, claim_time, deadline, iso_value, resolve

TRACKING = CORPUS / "tracking"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def content_time(nlp, text: str, content: str, pred: str) -> TimeExpr | None:
    """claim_time over `content` (a substring of text) whose predicate is the word `pred`."""
    doc = nlp(text)
    return _time_in(doc, content, pred)


def _time_in(doc, content: str, pred: str) -> TimeExpr | None:
    at = doc.text.index(content)
    span = doc.char_span(at, at + len(content), alignment_mode="expand")
    head = next(t for t in span if t.text == pred)
    return claim_time(doc, (span.start, span.end), head)


# ----------------------------------------------------------------------------- resolving
JULY_14 = date(2014, 7, 14)           # a Monday
CASES = [
    ("by the end of this month", JULY_14, None, "2014-07-31"),
    ("by the end of June", date(2018, 1, 9), "future", "2018-06-30"),
    ("at the end of the month", date(2015, 6, 4), "future", "2015-06-30"),
    ("in the second quarter", date(2018, 1, 9), "future", "2018-06-30"),
    ("by year end", JULY_14, None, "2014-12-31"),
    ("by the end of the year", JULY_14, None, "2014-12-31"),
    ("next week", JULY_14, None, "2014-07-27"),                  # the Sunday that ends next week
    ("within 30 days", JULY_14, None, "2014-08-13"),
    ("late Q1 2018", date(2017, 11, 2), "future", "2018-03-31"),
    ("by late Q1 2018", date(2017, 11, 2), "future", "2018-03-31"),
    ("late in the first quarter of 2018", date(2017, 11, 2), "future", "2018-03-31"),
    ("the first three months of 2018", date(2017, 11, 2), "future", "2018-03-31"),
    ("within the first quarter of 2018", date(2017, 11, 2), "future", "2018-03-31"),
    ("by the end of the quarter", date(2018, 5, 15), None, "2018-06-30"),
    ("in 2017", date(2016, 3, 1), "future", "2017-12-31"),
    ("by December 2017", date(2017, 11, 2), None, "2017-12-31"),
    ("next month", JULY_14, None, "2014-08-31"),
    ("next month", date(2014, 12, 3), None, "2015-01-31"),
    ("next year", date(2018, 7, 2), "future", "2019-12-31"),
    ("on June 30", date(2015, 6, 4), "future", "2015-06-30"),
    ("June 30th", date(2015, 6, 25), "future", "2015-06-30"),
    ("30 June", date(2015, 6, 5), "future", "2015-06-30"),
    ("on June 30", date(2015, 7, 5), "future", "2016-06-30"),  # already past: next year's
    ("today", date(2015, 6, 30), "future", "2015-06-30"),
    ("until the end of June", date(2018, 1, 9), "future", "2018-06-30"),
    ("won't ... until the end of June", date(2018, 1, 9), "future", "2018-06-30"),
    ("on July 1", date(2015, 6, 18), "future", "2015-07-01"),
    ("this Friday", date(2015, 6, 1), "future", "2015-06-05"),
    ("no later than 30 June", date(2015, 6, 1), "future", "2015-06-30"),
    ("in two weeks", JULY_14, "future", "2014-07-28"),
    ("by end-2017", date(2017, 3, 1), "future", "2017-12-31"),
    ("by the end of last year", date(2018, 5, 15), "past", "2017-12-31"),  # a deadline already missed
]


@pytest.mark.parametrize("text,ref,tense,expected", CASES, ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_deadline_is_the_end_of_the_interval(text, ref, tense, expected):
    assert deadline(text, ref, tense) == expected
    assert deadline(text, ref.isoformat(), tense) == expected          # an ISO string works too
    assert resolve(text, ref, tense).end.isoformat() == expected


def test_intervals_have_a_start_and_a_granularity():
    q2 = Interval(date(2018, 4, 1), date(2018, 6, 30), "quarter")
    assert resolve("in the second quarter", date(2018, 1, 9)) == q2
    assert resolve("next week", JULY_14) == Interval(date(2014, 7, 21), date(2014, 7, 27), "week")
    assert resolve("within 30 days", JULY_14) == Interval(JULY_14, date(2014, 8, 13), "day")
    assert resolve("December 2017", None) == Interval(date(2017, 12, 1), date(2017, 12, 31), "month")
    assert resolve("next month", None) is None               # relative: needs the article date


def test_iso_values_name_the_period():
    ref = date(2014, 8, 4)
    assert [iso_value(resolve(e, ref)) for e in ("next month", "by Friday", "in two weeks", "next week",
                                                  "in 2015", "within 30 days")] == \
        ["2014-09", "2014-08-08", "2014-08-18", "2014-W33", "2015", "2014-08-04/2014-09-03"]
    assert iso_value(resolve("in the second quarter", date(2018, 1, 9))) == "2018-Q2"
    assert iso_value(resolve("soon", ref)) is None


def test_a_present_clause_sets_a_deadline_only_ahead():
    ref = date(2016, 10, 5)
    assert deadline("this year", ref, "present") is None          # "is lowering its forecast this year"
    assert deadline("this year", ref, "future") == "2016-12-31"     # "will grow 2 percent this year"
    assert deadline("next week", ref, "present") == "2016-10-16"    # "talks resume next week"


def test_a_bare_weekday_follows_the_tense():
    wednesday = date(2014, 7, 16)
    assert resolve("on Monday", wednesday, "past").start == date(2014, 7, 14)     # the Monday before
    assert resolve("on Friday", wednesday, "future").start == date(2014, 7, 18)   # the Friday after
    friday = date(2014, 7, 18)
    assert resolve("on Friday", friday, "future").start == friday                  # that very day
    assert resolve("on Friday", date(2014, 7, 19), "past").start == friday
    assert deadline("on Monday", wednesday, "past") is None                       # a past event sets none


@pytest.mark.parametrize("text,tense", [("earlier this month", "past"), ("last year", "past"),
                                        ("since March", "present"), ("since 2003", "past"),
                                        ("two weeks ago", None), ("on Monday", "past")])
def test_past_expressions_set_no_deadline(text, tense):
    assert resolve(text, JULY_14, tense) is not None
    assert deadline(text, JULY_14, tense) is None


@pytest.mark.parametrize("text", ["soon", "shortly", "in the coming weeks", "the next few days",
                                  "in the near future", "a later date", "for 10 years"])
def test_vague_expressions_resolve_to_nothing(text):
    assert resolve(text, JULY_14, "future") is None and deadline(text, JULY_14, "future") is None


@pytest.mark.parametrize("bad", [None, "", "   ", "gibberish words", "June 31", "Q7 2018", 42, "by", "the end of"])
def test_bad_input_gives_none_not_a_traceback(bad):
    assert resolve(bad, JULY_14) is None and deadline(bad, "not a date") is None
    assert resolve("next month", "not a date") is None


# ----------------------------------------------------------------------------- finding
def test_the_models_dates_are_kept_beside_kb_entities(nlp):
    doc = nlp("Acme said on Monday it will close the plant next month.")
    assert [s.text for s in doc.spans["kb_dates"]] == ["Monday", "next month"]
    assert not any(e.label_ in ("DATE", "TIME") for e in doc.ents)


def test_time_through_the_relative_clause_of_the_object_not_the_frame(nlp):
    text = ("The Greek authorities have informed the fund today that they plan to bundle the country's "
            "four June payments into one, which is now due on June 30.")
    t = content_time(nlp, text, text[:-1], "plan")
    assert (t.text, t.relation, t.tense) == ("on June 30", "on", "future")
    assert text[t.start_char:t.end_char] == "on June 30"
    assert deadline(t, "2015-06-04") == "2015-06-30"


def test_time_of_a_condition_is_not_the_claims(nlp):
    text = "Greece will not be given any leeway if it fails to make a payment at the end of the month."
    assert content_time(nlp, text, text[:-1], "given") is None


def test_time_of_another_clause_is_not_the_deadline(nlp):
    text = "Prices have been rising since earlier this month, and the bank will act by the end of June."
    t = content_time(nlp, text, text[:-1], "act")
    assert (t.text, t.relation, t.tense) == ("by the end of June", "by", "future")
    text = "The company, which was founded in 2003, will open a plant next month."
    assert content_time(nlp, text, text[:-1], "open").text == "next month"


def test_negated_until_and_tense(nlp):
    text = "Now that target won't be hit until the end of June."
    t = content_time(nlp, text, text[:-1], "hit")
    assert (t.text, t.relation, t.tense) == ("until the end of June", "not_until", "future")
    assert deadline(t, "2018-01-09") == "2018-06-30"
    text = "The minister informed the embassy on Monday that Greece will pay on Friday."
    past = content_time(nlp, text, text[:-1], "informed")
    assert (past.text, past.tense) == ("on Monday", "past") and deadline(past, "2014-07-16") is None
    ahead = content_time(nlp, text, "Greece will pay on Friday", "pay")
    assert (ahead.text, ahead.tense) == ("on Friday", "future") and deadline(ahead, "2014-07-16") == "2014-07-18"


def test_conjoined_verb_and_rates(nlp):
    text = ("Greece has told the IMF it will delay a key debt payment that was due on Friday and bundle all "
            "four of its June payments together and pay them at the end of the month.")
    t = content_time(nlp, text, text[text.index("it will"):-1], "delay")
    assert t.text == "at the end of the month" and deadline(t, "2015-06-04") == "2015-06-30"
    text = "He indicated Tesla aims to build 10,000 Model 3 cars a week next year."
    t = content_time(nlp, text, text[text.index("Tesla"):-1], "aims")
    assert t.text == "next year" and deadline(t, "2018-07-02") == "2019-12-31"


def test_a_weekday_naming_an_event_in_a_present_clause_is_past(nlp):
    text = "The impact of Monday's debate is still small."
    t = content_time(nlp, text, text[:-1], "is")
    assert t.tense == "past" and resolve(t, "2016-09-30").start == date(2016, 9, 26)
    text = "This means it will miss Friday's repayment of 300 million euros."
    t = content_time(nlp, text, text[text.index("it will"):-1], "miss")
    assert t.tense == "future" and deadline(t, "2015-06-04") == "2015-06-05"


def test_parts_of_a_period():
    ref = date(2016, 9, 12)
    assert resolve("mid-June", ref, "future") == Interval(date(2017, 6, 11), date(2017, 6, 20), "month")
    assert resolve("early next year", ref).start == date(2017, 1, 1)
    assert resolve("the final week of the quarter", date(2018, 7, 2), "past") == \
        Interval(date(2018, 6, 24), date(2018, 6, 30), "week")      # the quarter just ended


def test_vague_times_are_returned_without_a_deadline(nlp):
    text = "He said the ban would be lifted soon."
    t = content_time(nlp, text, "the ban would be lifted soon", "lifted")
    assert t.text == "soon" and t.tense == "future" and deadline(t, "2014-07-16") is None
    text = "Talks will resume in the coming weeks."
    t = content_time(nlp, text, text[:-1], "resume")
    assert t.text == "in the coming weeks" and deadline(t, "2014-07-16") is None


def test_bad_content_bounds(nlp):
    doc = nlp("The plant will close next month.")
    assert claim_time(doc, (3, 3), doc[3]) is None
    assert claim_time(doc, (5, 2), doc[3]) is None
    assert claim_time(doc, (0, 99), doc[3]).text == "next month"
    assert claim_time(doc, (0, len(doc)), None) is None


# ----------------------------------------------------------------------------- real articles
def _article(case: str, name: str) -> tuple[str, str]:
    folder = need(TRACKING / case)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    when = next(a["date"] for a in gold["articles"] if a["file"] == name)
    lines = (folder / "articles" / name).read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[2:]).strip(), when


@pytest.mark.parametrize("case,name,content,pred,text,expected", [
    ("greece-imf-payment-june-2015", "02.txt",
     "The Greek authorities have informed the fund today that they plan to bundle the country's four June "
     "payments into one, which is now due on June 30", "plan", "on June 30", "2015-06-30"),
    ("greece-imf-payment-june-2015", "01.txt", "Athens would make a payment due to the IMF on Friday", "make",
     "on Friday", "2015-06-05"),
    ("tesla-model3-5000-per-week", "04.txt", "that target won't be hit until the end of June", "hit",
     "until the end of June", "2018-06-30"),
    ("tesla-model3-5000-per-week", "01.txt", "to make about 5,000 units of the car per week late in the first "
     "quarter of 2018", "make", "late in the first quarter of 2018", "2018-03-31"),
    ("tesla-model3-5000-per-week", "03.txt", "it would step up production to 5,000 vehicles a week by the end "
     "of 2017", "step", "by the end of 2017", "2017-12-31"),
])
def test_deadlines_of_tracked_claims(nlp, case, name, content, pred, text, expected):
    body, when = _article(case, name)
    t = _time_in(nlp(body), content, pred)
    assert t is not None and t.text == text
    assert deadline(t, when) == expected


def test_every_tracking_claim_gets_a_time_inside_its_content(nlp):
    folder = need(TRACKING)
    timed = total = 0
    for path in sorted(folder.glob("*/articles/*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        doc = nlp("\n".join(lines[2:]).strip())
        for c in claim_dicts(doc):
            span = doc.char_span(c["content_start"], c["content_end"], alignment_mode="expand")
            t = claim_time(doc, (span.start, span.end), span.root)
            total += 1
            if t is not None:
                timed += 1
                assert c["content_start"] <= t.start_char < t.end_char <= c["content_end"]
                assert doc.text[t.start_char:t.end_char] == t.text
                resolve(t, "2015-06-04"), deadline(t, "2015-06-04")     # never raises
    assert total > 50 and timed >= total // 4
