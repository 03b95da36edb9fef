"""Propositions of claims (kb.nlp.propositions), deadlines (kb.nlp.deadlines) and the article's
own reports of events (kb.nlp.reports)."""
import pytest

from kb.nlp import analyze, doc_to_dict, load_nlp
from kb.nlp.deadlines import claim_deadline


def claims_of(text):
    return analyze(text)["claims"]


def one(text, needle):
    found = [c for c in claims_of(text) if needle in c["content"]]
    assert found, [c["content"] for c in claims_of(text)]
    return found[0]


def names(claim, role=None):
    return {(p.get("entity") or {}).get("name") for p in claim["participants"]
            if p.get("entity") and (role is None or p["role"] == role)}


def test_participants_by_role_and_not_the_parties_to_the_telling():
    c = one("The Chinese government has told the South Korean embassy that it would soon lift the restrictions "
            "on Line and KakaoTalk, according to a Korean diplomat.", "lift")
    assert c["event"] == "operate" and c["event_polarity"] == "positive"
    assert "China" in names(c, "s") and {"Line", "KakaoTalk"} <= names(c, "o")
    assert "South Korea" not in names(c, "s") | names(c, "o")       # the embassy was told; it does not lift


def test_figures_rates_money_and_names_that_are_not_figures():
    c = one("Tesla said it expects to make about 5,000 Model 3 cars per week by the end of March.", "5,000")
    assert [(q["value"], q["unit"]) for q in c["quantities"]] == [(5000.0, "rate:week")]
    c = one("The IMF said Greece would pay 1.5 billion euros ($1.7 billion) on June 30.", "billion")
    assert {(q["value"], q["unit"]) for q in c["quantities"]} == {(1.5e9, "money:EUR"), (1.7e9, "money:USD")}
    c = one("Musk wrote that the company may hit 6,000 Model 3s a week next month.", "6,000")
    assert [(q["value"], q["unit"]) for q in c["quantities"]] == [(6000.0, "rate:week")]   # "may" is no month


def test_a_claim_that_points_back_takes_the_figures_of_the_one_before():
    text = ("Tesla said it would step up production to 5,000 vehicles a week by the end of 2017. "
            "However, it has now announced that that will not be achieved until the first three months of 2018.")
    c = one(text, "will not be achieved")
    assert c["revision"] and [(q["value"], q["unit"]) for q in c["quantities"]] == [(5000.0, "rate:week")]


def test_a_question_about_a_topic_claims_nothing_a_question_whether_does():
    c = one('Asked about a pending payment to the IMF, he said: "Don\'t worry about it."', "pending payment")
    assert c["event"] is None
    c = one("Reporters asked whether Greece would make the debt repayment on June 30.", "repayment")
    assert c["event"] in ("pay", "repay")


def test_a_cue_that_gives_a_reason_makes_the_claim_a_reason():
    c = one("Chinese state media have linked the disruption to reports that foreign messaging apps had been "
            "used to circulate instructions for violent attacks.", "circulate")
    assert c["event"] == "cause_of"
    c = one("The authority blamed the delay on faults in the software of the train control system.", "faults")
    assert c["event"] == "cause_of"
    c = one("The minister said officials had renewed their promise to reopen the port and had again cited the "
            "spread of smuggling through the harbour as the reason for the closure.", "smuggling")
    nouns = {p.get("noun") for p in c["participants"]}
    assert c["event"] == "cause_of" and {"harbour", "~stop"} <= nouns    # what is explained takes part too


def test_a_bare_phase_verb_continues_the_event_named_before_it():
    c = one('Noting Greece had made payments in the past, he added: "We will continue."', "continue")
    assert c["event"] == "pay" and c["event_polarity"] == "positive"
    assert "payment" in {p.get("noun") for p in c["participants"]}
    c = one("The strike will continue, the union said.", "strike")      # a noun subject: its own stop
    assert (c["event"], c["event_polarity"]) == ("operate", "negative")


def test_the_time_of_the_claims_own_clause():
    c = one('"The Greek authorities have informed the fund today that they plan to bundle the payments into '
            'one, which is now due on June 30," Gerry Rice said.', "bundle")
    assert c["time_text"] in ("on June 30", "June 30")
    c = one('Lagarde said Greece will not be given any leeway if it fails to make a payment at the end of '
            'the month.', "leeway")
    assert c["time_text"] is None                                     # the time is the condition's
    c = one("The authority expects about 30,000 passengers a day by the end of October.", "30,000")
    assert c["content"] == "about 30,000 passengers a day"
    assert c["time_text"] == "by the end of October" and c["time_relation"] == "by"   # the expectation's date
    c = one("The authority said about 30,000 passengers a day used the line by the end of October.", "30,000")
    assert c["time_text"] == "by the end of October"


@pytest.mark.parametrize("claim, published, expected", [
    ({"time_text": "by the end of this month", "time_relation": "by", "modality": "future"}, "2014-07-14", "2014-07-31"),
    ({"time_text": "in the final week of the quarter", "time_relation": "in", "modality": "asserted"}, "2018-07-02", None),
    ({"time_text": "by December 2017", "time_relation": "by", "modality": "asserted"}, "2018-01-09", "2017-12-31"),
    ({"time_text": "by the end of August", "time_relation": "by", "modality": "future", "time_frame": "past",
      "time_tense": "future"}, "2014-09-03", "2014-08-31"),       # a promise made before it: this year's August
    ({"time_text": "by the end of August", "time_relation": "by", "modality": "future",
      "time_tense": "future"}, "2014-09-03", "2015-08-31"),       # said now: next August
    ({"time_text": "next year", "time_relation": None, "modality": "future", "time_frame": "past",
      "time_tense": "future"}, "2018-06-06", "2019-12-31"),
    ({"time_text": "soon", "time_relation": None, "modality": "future"}, "2014-08-04", None),
])
def test_deadlines(claim, published, expected):
    assert claim_deadline(claim, published) == expected


def test_the_articles_own_reports_of_events():
    doc = load_nlp()("Greece has now missed its payment to the International Monetary Fund. "
                     "Beijing had said that the restrictions would be lifted soon. "
                     "The minister will visit Athens next week.")
    reports = doc_to_dict(doc, reports=True)["reports"]
    assert [(r["event"], r["event_polarity"], r["realized"]) for r in reports] == [("pay", "negative", True)]
    assert reports[0]["speaker"] is None and reports[0]["kind"] == "report"
    assert "reports" not in analyze("Greece has now missed its payment to the IMF.")   # kb analyze: claims only


def test_a_question_and_a_transcript_turn_are_no_reports_of_the_article():
    from kb.nlp.claims.candidates.phrase_cues import in_turn
    doc = load_nlp()("Has Greece missed its payment to the International Monetary Fund?")
    assert doc_to_dict(doc, reports=True)["reports"] == []
    doc = load_nlp()("Greece has now missed its payment.\n\nHOLT: Greece has now missed its payment. Right?\n")
    turn = [t.i for t in doc if t.text == "Greece"]
    assert [in_turn(doc, i) for i in turn] == [False, True]


def test_a_wire_dateline_is_no_participant():
    c = one("OTTAWA - Striking flight attendants at Laurentide Air will return to work this week, "
            "the labour ministry said.", "return")
    assert "Laurentide Air" in names(c) and not {"OTTAWA", "Ottawa"} & names(c)
    c = one("WASHINGTON (dpa-AFX) - Tesla Inc. will meet its goal of making 5,000 cars a week, the company "
            "said.", "goal")                           # the agency in the dateline's brackets neither
    words = names(c) | {p.get("noun") for p in c["participants"]}
    assert not {"WASHINGTON", "Washington", "dpa", "afx"} & words


def test_we_in_a_quote_is_the_organisation_the_speaker_speaks_for():
    text = ("Laurentide Air cancelled 40 flights on Friday. \"We will be back to full strength on June 10,\" "
            "Laurentide chief executive Richard Thibodeau said.")
    c = one(text, "full strength")
    assert names(c, "s") == {"Laurentide Air"}
    c = one("\"We will open the line in March,\" said Dana Whitlock.", "open")   # no organisation named: the speaker
    assert names(c, "s") == {"Dana Whitlock"}
    text = ("Laurentide Air cancelled 212 flights. Its attendants, represented by the Canadian Union of Cabin "
            "Personnel, began the strike at dawn. The airline said it was a short disruption. \"We will be back "
            "to a normal schedule soon,\" spokeswoman Julie Fortin said.")
    c = one(text, "normal schedule")     # a spokeswoman for the organisation that spoke just before
    assert names(c, "s") == {"Laurentide Air"}
    c = one(text, "short disruption")    # "the airline": the firm named before, not the union between
    assert c["speaker_entity"]["name"] == "Laurentide Air"
    c = one(text.replace("spokeswoman Julie Fortin", "passenger Julie Fortin"), "normal schedule")
    assert "Laurentide Air" not in names(c, "s")                      # a passenger speaks for no airline


def test_a_forecast_of_a_bare_figure_is_a_target_matched_by_its_figure():
    c = one("The Corrington Regional Transit Authority expects about 30,000 passengers a day.", "30,000")
    assert c["event"] == "target" and [(q["value"], q["unit"]) for q in c["quantities"]] == [(30000.0, "rate:day")]
    c = one("The authority expects about 12 new stations.", "12 new stations")
    assert c["event"] is None                                   # a small count is no target: too common to match by
    c = one("The authority expects 58 percent turnout.", "58 percent")
    assert c["event"] is None                                   # nor a share (polls are full of them)


def test_a_delay_by_a_span_of_time_moves_the_date_forward():
    c = one("The opening of the first section of the Blue Line has been delayed by three months to the end of "
            "June, the transit authority said on Thursday.", "delayed")
    assert c["revision"] and c["time_text"] == "to the end of June"
    assert not c["quantities"]                                   # three months is no figure of the opening
    assert claim_deadline(c, "2022-01-20") == "2022-06-30"
