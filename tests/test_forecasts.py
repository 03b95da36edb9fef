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
