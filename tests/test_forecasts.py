"""Forward-looking statements: the article's own forecasts, modality read below the content's
main verb, and who makes the prediction (speaker resolution)."""
from kb.nlp import analyze


def claims_of(text: str) -> list[dict]:
    return analyze(text)["claims"]


def by_cue(text: str, cue: str) -> dict:
    return next(c for c in claims_of(text) if c["cue"] == cue)


def test_modality_of_a_clause_inside_the_content():
    c = by_cue("The minister said farmers are worried that the policy will raise prices.", "said")
    assert c["modality"] == "future"
    c = by_cue("The minister said farmers are worried that prices could rise.", "said")
    assert c["modality"] == "possible"
    c = by_cue("The minister said farmers are worried that prices have risen.", "said")
    assert c["modality"] == "asserted"
    c = by_cue("The minister said farmers are glad that they can sell their crops.", "said")   # ability
    assert c["modality"] == "asserted"


def test_a_need_in_the_future_is_a_forecast_a_need_now_a_demand():
    assert by_cue("The minister said farmers will have to sell their land.", "said")["modality"] == "future"
    assert by_cue("The minister said farmers have to sell their land.", "said")["modality"] == "demanded"


def test_later_sentence_of_a_quote_gives_its_modality():
    c = by_cue("“We are ready. The plant will close in May,” the manager said.", "said")
    assert c["modality"] == "future"
    c = by_cue("“We are ready. The plant closed in May,” the manager said.", "said")
    assert c["modality"] == "asserted"


def test_predicates_and_nouns_that_look_ahead():
    assert by_cue("The senator said analysts have predicted a victory for the incumbent.", "said")["modality"] == "future"
    assert by_cue("The senator said analysts have praised the incumbent.", "said")["modality"] == "asserted"
    c = [c for c in claims_of("Critics rejected the plan to close the school.") if "close" in c["content"]]
    assert all(c["modality"] != "asserted" for c in c)
    # a forward-looking word in the subject does not make the statement a forecast
    assert by_cue("The mayor said the proposed tax on sugar drinks was unfair.", "said")["modality"] == "asserted"


def test_article_forecasts_passive_expectation_and_will():
    c = [c for c in claims_of("Heavy rain is expected along the coast on Sunday.") if c["speaker"] is None]
    assert c and c[0]["modality"] == "future" and "Heavy rain" in c[0]["content"]
    c = [c for c in claims_of("The company will close the plant next year.") if c["speaker"] is None]
    assert c and c[0]["modality"] == "future" and c[0]["time_text"] == "next year"
    assert claims_of("Heavy rain fell along the coast on Sunday.") == []
    assert claims_of("Will the company close the plant next year?") == []


def test_speaker_resolution_descriptions_and_apposition():
    c = by_cue("Acme Corp reported record profits on Monday. The company said it had hired 500 workers.", "said")
    assert c["speaker"] == "The company" and c["speaker_entity"]["name"] == "Acme Corp"
    c = by_cue("The chief economist at Capital Economics, Neil Shearing, said growth had slowed.", "said")
    assert c["speaker_entity"] == {"name": "Neil Shearing", "type": "person"}
    # no earlier organisation: the description stays unresolved rather than guessed
    c = by_cue("The company said it had hired 500 workers.", "said")
    assert c["speaker_entity"] is None


def test_plans_and_times_ahead_make_a_claim_forward_looking():
    assert by_cue("The minister said the trial opens next week.", "said")["modality"] == "future"
    assert by_cue("The minister said the trial opened last week.", "said")["modality"] == "asserted"
    assert by_cue("The minister said the vote is scheduled for May.", "said")["modality"] == "future"
    assert by_cue("The minister said the report is due on Friday.", "said")["modality"] == "future"
    assert by_cue("The minister discussed the possibility of new elections.", "discussed")["modality"] == "possible"
    assert by_cue("The minister discussed the results of the elections.", "discussed")["modality"] == "asserted"


def test_meeting_or_missing_a_goal_is_no_plan():
    assert by_cue("The minister said the company unveiled a goal of 500 cars a week.", "said")["modality"] == "future"
    assert by_cue("The minister said the company hit its goal of 500 cars a week.", "said")["modality"] == "asserted"
    assert by_cue("The minister said the company missed its production target.", "said")["modality"] == "asserted"


def test_be_to_and_clausal_subjects_are_article_forecasts():
    c = [c for c in claims_of("Talks between the two sides are to resume on Monday.") if c["speaker"] is None]
    assert c and c[0]["modality"] == "future" and c[0]["subject"] == "Talks between the two sides"
    assert claims_of("The question is how to pay for the new bridge.") == []
    assert all(c["speaker"] for c in claims_of("The driver of the truck is to blame for the crash."))
    c = claims_of("Lifting the ban on imports will make trade much easier.")
    assert c and c[0]["speaker"] is None and c[0]["content"].startswith("Lifting the ban")


def test_impersonal_expectations_have_no_speaker():
    c = claims_of("It is estimated that the storm could destroy half of the rice crop.")
    assert len(c) == 1 and c[0]["speaker"] is None and c[0]["cue"] == "estimated"
    assert c[0]["content"] == "the storm could destroy half of the rice crop" and c[0]["modality"] == "possible"
    c = claims_of("It is believed the former minister is suffering from heart failure.")
    assert c and c[0]["modality"] == "hedged" and c[0]["content"].startswith("the former minister")


def test_expectations_held_by_someone_the_article_names():
    c = claims_of("Local farmers are worried that the spill will ruin their land.")
    assert len(c) == 1 and c[0]["speaker"] == "Local farmers" and c[0]["cue"] == "worried"
    assert c[0]["content"] == "the spill will ruin their land" and c[0]["modality"] == "future"
    # a worry about the past or about a thing is the farmers' stance, not a forecast
    for text in ("Local farmers are worried that the spill has ruined their land.",
                 "Local farmers are worried about the spill."):
        assert [(x["speaker"], x["modality"]) for x in claims_of(text)] == [("Local farmers", "asserted")]


def test_could_may_might_forecasts_need_a_time_of_their_own():
    c = claims_of("Heavy snow could reach the coast by Thursday.")
    assert len(c) == 1 and c[0]["speaker"] is None and c[0]["modality"] == "possible"
    assert claims_of("The 2016 vote could be decisive for the party.") == []     # a musing, no event
    assert claims_of("Heavy snow could have reached the coast by Thursday.") == []
    assert claims_of("Heavy snow might not reach the coast until Thursday.") == []
    for text in ("The border crossing may soon reopen to trucks.",            # kb.nlp.timex's times:
                 "The border crossing could reopen to trucks in the near future.",   # adverbs, phrases,
                 "The border crossing could reopen to trucks by the end of the quarter."):   # dates
        assert [x["cue"] for x in claims_of(text)] in (["may"], ["could"]), text


def test_relative_and_participle_clauses_that_look_ahead():
    c = claims_of("Crowds gathered at the new stadium, which is set to open on Tuesday.")
    assert [x["content"] for x in c if x["speaker"] is None] == ["the new stadium, which is set to open on Tuesday"]
    assert claims_of("Crowds gathered at the stadium which opened on Tuesday.") == []
    c = claims_of("Police prepared for a large protest planned to coincide with the summit.")
    assert c and c[0]["modality"] == "future" and c[0]["content"].startswith("a large protest planned")
    assert claims_of("Police broke up a protest held near the summit.") == []


def test_quote_resumed_after_its_cue_gives_its_modality():
    text = "“We are ready,” the manager added. “The plant will close in May.”"
    assert by_cue(text, "added")["modality"] == "future"
    text = "“We are ready,” the manager added. “The plant closed in May.”"
    assert by_cue(text, "added")["modality"] == "asserted"
    text = "“We are ready,” the manager said. “The plant will close in May,” his deputy replied."
    assert by_cue(text, "said")["modality"] == "asserted"


def test_unanchored_could_is_a_forecast_of_an_event_not_a_musing():
    c = by_cue("The hurricane could force the agency to cut short the flight.", "could")
    assert c["speaker"] is None and c["modality"] == "possible"
    for text in ("The ethnic vote could be decisive in a close election.",
                 "The vote could decide the case if it goes to the court.",
                 "No protesters could be seen."):
        assert not any(c["cue"] == "could" for c in claims_of(text)), text


def test_a_statement_still_to_be_made_is_future():
    assert by_cue("The senator will criticize the new tax law.", "criticize")["modality"] == "future"
    assert by_cue("The senator criticized the new tax law.", "criticized")["modality"] == "asserted"


def test_quote_resumed_after_a_long_cue_sentence():
    text = ("“His condition remains stable,” said a statement issued by the hospital where doctors "
            "have been trying to wake him. “This evening he will undergo a scan.”")
    assert by_cue(text, "said")["modality"] == "future"


def test_a_promise_or_threat_of_a_noun_phrase():
    c = by_cue("The union threatened a strike at the port.", "threatened")
    assert c["speaker"] == "The union" and c["content"] == "a strike at the port" and c["modality"] == "future"
    c = by_cue("The embassy warned its citizens of possible attacks.", "warned")
    assert c["content"] == "of possible attacks"
    assert not any(c["cue"] == "declined" for c in claims_of("Sales declined to 55 percent."))
    assert not any(c["cue"] == "threatened" for c in claims_of("We threatened a strike."))


def test_relations_and_judged_effects_are_musings_not_events():
    for text in ("That could include new sanctions against Russia.",
                 "Control of the chamber could hinge on the Virginia seat.",
                 "Stronger coordination could bolster armies that relied on American firepower."):
        assert not any(c["cue"] == "could" for c in claims_of(text)), text
    assert by_cue("The storm could force the airline to cancel its flights.", "could")["speaker"] is None


def test_advice_to_the_reader_is_not_a_forecast():
    assert not any(c["speaker"] is None for c in claims_of(
        "Paying tuition for two children at once will increase your chances of getting aid."))
    assert any(c["speaker"] is None for c in claims_of(
        "Paying tuition for two children at once will increase the family's chances of getting aid."))


def test_due_to_a_cause_and_a_relative_risk_are_not_forecasts():
    assert claims_of("The rise is due to higher fuel prices.") == []
    assert claims_of("Smokers are three times more likely to fall ill with cancer.") == []
    assert by_cue("The report is due for release in March.", "is")["modality"] == "future"
    assert by_cue("The takeover is likely to win approval next month.", "is")["speaker"] is None


def test_a_judgment_about_the_future_is_not_a_checkable_forecast():
    for text in ("The outcome will be as unpredictable as the candidate himself.",
                 "These tactics will be difficult to replicate in the debates."):
        assert not any(c["speaker"] is None for c in claims_of(text)), text
    assert by_cue("Rail fares will be 20 percent cheaper from January.", "will")["speaker"] is None
    assert by_cue("Residents will be able to vote next year.", "will")["speaker"] is None


def test_object_control_the_object_makes_the_prediction():
    c = by_cue("The drought has led farmers to predict that the harvest will fail this year.", "predict")
    assert c["speaker"] == "farmers" and c["modality"] == "future"
    c = by_cue("Rising costs prompted economists at the Reserve Bank to forecast that prices will climb.",
               "forecast")
    assert c["speaker"].startswith("economists")
    # a purpose clause or a norm keeps its own source
    c = by_cue("The ministers used the summit to warn that the talks will collapse.", "warn")
    assert c["speaker"] == "The ministers"


def test_a_statement_resolves_to_whoever_issued_it():
    c = by_cue("Maria Lopez released a statement saying that the factory will close in May.", "saying")
    assert c["speaker_entity"]["name"] == "Maria Lopez"
    c = by_cue("The plant will close in May, said a statement issued by General Motors.", "said")
    assert c["speaker_entity"]["name"] == "General Motors"
    # a document someone else obtained is not theirs
    c = by_cue("Emails obtained by Reuters suggest that the plant will close.", "suggest")
    assert c["speaker_entity"] is None


def test_an_expectation_with_according_to_is_the_sources():
    c = next(c for c in claims_of("The minister is expected to resign by the end of March, according to "
                                  "the Daily Courier.") if "resign" in c["content"])
    assert c["speaker"] == "the Daily Courier" and c["modality"] == "future"
    c = next(c for c in claims_of("The minister is expected to resign by the end of March.") if "resign" in c["content"])
    assert c["speaker"] is None and c["modality"] == "future"


def test_there_are_reports_that_the_reports_are_the_source():
    c = next(c for c in claims_of("There are reports that the mine will reopen next spring.") if "mine" in c["content"])
    assert c["speaker"] == "reports" and c["modality"] == "future"
    c = next(c for c in claims_of("There is an unconfirmed rumour that the striker will leave the club.")
             if "striker" in c["content"])
    assert c["speaker"] == "an unconfirmed rumour"
    # an attitude is no source
    assert all(c["speaker"] != "little hope" for c in claims_of(
        "There is little hope that the mine will reopen next spring."))


def test_a_bare_pronoun_subject_keeps_the_clause_that_names_it():
    assert by_cue("Those arrested on Monday will appear in court next week.", "will")["subject"] == \
        "Those arrested on Monday"
    assert by_cue("The men arrested on Monday will appear in court next week.", "will")["subject"] == "The men"


def test_had_this_to_say_misparsed_keeps_the_speaker():
    """The parser sometimes makes "this" the subject of "to say" in "X had this to say": the
    one who says is X."""
    import spacy
    from spacy.tokens import Doc

    from kb.nlp.spans import subject_of
    words = ["Berger", "had", "this", "to", "say", ":", "sales", "will", "rise", "."]
    heads = [1, 1, 4, 4, 1, 4, 8, 8, 4, 1]
    deps = ["nsubj", "ROOT", "nsubj", "aux", "ccomp", "punct", "nsubj", "aux", "ccomp", "punct"]
    lemmas = ["Berger", "have", "this", "to", "say", ":", "sale", "will", "rise", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, lemmas=lemmas)
    assert subject_of(doc[4]).text == "Berger"
    assert subject_of(doc[8]).text == "sales"


def test_a_goal_given_a_date_is_a_forward_looking_claim():
    c = by_cue("In November, the chief executive pushed that goal to the end of March.", "pushed")
    assert c["speaker"] == "the chief executive" and c["modality"] == "future"
    assert c["content"] == "that goal to the end of March" and c["time_text"] == "to the end of March"
    c = by_cue("Meeting the goal of 5,000 cars a week by the end of June is crucial to the company.", "goal")
    assert c["speaker"] is None and c["modality"] == "future"
    assert c["content"] == "Meeting the goal of 5,000 cars a week by the end of June"
    # a goal with no date ahead, or a date gone by, is no forecast
    assert claims_of("The company reached its goal of 5,000 cars a week.") == []
    assert claims_of("The company missed its goal of 5,000 cars a week by last year.") == []
    assert claims_of("The owner sold the business by the end of June.") == []      # not a goal



def test_a_reading_the_model_rejects_holds_no_words_unless_it_has_a_speaker():
    from kb.nlp import load_nlp
    from kb.nlp.claims.candidates.lexicon import Attribution
    from kb.nlp.claims.extract import holding

    doc = load_nlp()("It is believed the bodies will be found. Officials said the search would go on.")
    no_one = Attribution((6, 7), None, (3, 8), doc[6], False, None)             # cue "found"
    someone = Attribution((10, 11), doc[9], (11, 16), doc[14], False, None)     # "Officials said"
    assert holding(doc, [no_one, someone], kept=[]) == [someone]
    kept = [{"cue_start": doc[6].idx}]
    assert holding(doc, [no_one, someone], kept) == [no_one, someone]
