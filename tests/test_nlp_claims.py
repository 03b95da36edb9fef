"""Claims (who said what) of kb.nlp on the seed article and on small made-up sentences."""
from pathlib import Path

import pytest

from conftest import SEED, content_of  # ../shared/seed, else the copy in kb/data/demo
FIELDS = {"sentence", "speaker", "speaker_start", "speaker_end", "speaker_entity", "speaker_refers_to",
          "claimant", "claimant_entity", "cue", "cue_start",
          "cue_end", "content", "content_start", "content_end", "via", "subject", "subject_entity",
          "predicate", "predicate_text", "objects", "modality", "polarity", "direct_quote",
          "time_text", "time_value"}
MODALITIES = {"asserted", "future", "possible", "hedged", "demanded", "conditional"}

from kb.nlp import analyze as _analyze



@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED} (../shared/seed beside the repo)")
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("The Chinese government has told"):]
    return body, _analyze(body)["claims"]


def find(claims, needle):
    hits = [c for c in claims if needle in c["content"]]
    assert hits, f"no claim whose content contains {needle!r}"
    return hits


def ent_name(e):
    return e["name"] if e else None


def test_fields_and_offsets(seed):
    text, claims = seed
    assert claims
    for c in claims:
        assert FIELDS <= set(c)          # the contract says "at least"; tracking adds proposition fields
        assert c["modality"] in MODALITIES and c["polarity"] in ("positive", "negative")
        assert isinstance(c["direct_quote"], bool)
        assert content_of(text, c)
        assert text[c["cue_start"]:c["cue_end"]] == c["cue"]
        if c["speaker"] is not None:
            assert text[c["speaker_start"]:c["speaker_end"]] == c["speaker"]
        for o in c["objects"]:
            assert set(o) == {"text", "entity"}


def test_would_soon_lift_according_to_diplomat(seed):
    _, claims = seed
    c = [c for c in find(claims, "would soon lift") if c["cue"] == "according to"][0]
    assert "diplomat" in c["speaker"]
    assert c["predicate"] == "lift" and c["predicate_text"] == "would soon lift"
    assert c["modality"] == "future" and c["polarity"] == "positive"
    assert ent_name(c["subject_entity"]) == "China"
    assert {"Line", "KakaoTalk"} <= {o["text"] for o in c["objects"]}
    assert c["direct_quote"] is False


def test_not_lifted_quote_via_yonhap(seed):
    _, claims = seed
    c = [c for c in find(claims, "have not lifted") if c["direct_quote"]][0]
    assert c["speaker"] == "the diplomat"
    assert c["cue"] == "quoted as saying"
    assert c["predicate"] == "lift" and c["polarity"] == "negative"
    assert c["via"] == "Yonhap"
    assert ent_name(c["subject_entity"]) == "China"
    assert c["content"].startswith("The Chinese authorities") and not c["content"].endswith("”")


def test_told_the_website_via(seed):
    _, claims = seed
    c = find(claims, "suspended the services")[0]
    assert "experts" in c["speaker"] and c["via"] == "Business Korea"
    assert c["predicate"] == "suspend" and ent_name(c["subject_entity"]) == "China"


def test_firms_do_not_know(seed):
    _, claims = seed
    c = find(claims, "did not know")[0]
    assert c["speaker"] == "Kakao and Naver"
    assert c["predicate"] == "know" and c["polarity"] == "negative"


def test_pronoun_speakers_and_multi_paragraph_quote(seed):
    _, claims = seed
    c = find(claims, "rely on a single app")[0]
    assert c["speaker"] == "she" and ent_name(c["speaker_entity"]) == "Jane Zhang"
    assert c["direct_quote"] and c["content"].startswith("Nowadays")   # the quote spans two sentences
    cont = find(claims, "only natural")[0]                               # next paragraph, no cue
    assert ent_name(cont["speaker_entity"]) == "Jane Zhang" and cont["direct_quote"]
    he = find(claims, "careful in speculating")[0]
    assert he["speaker"] == "he" and ent_name(he["speaker_entity"]) == "Kakao"


def test_analysts_say_parenthetical(seed):
    _, claims = seed
    c = [c for c in claims if c["speaker"] == "analysts"][0]
    assert c["predicate"] == "appear" and c["modality"] == "hedged"
    assert "clampdown" in c["content"]


def test_scare_quotes_are_not_claims(seed):
    _, claims = seed
    assert not [c for c in claims if c["content"] == "clean the internet"]


def test_modality_and_polarity_rules():
    cases = {
        "The minister said the tax might rise.": ("possible", "positive"),
        "The minister said the tax must rise.": ("demanded", "positive"),
        "The minister said the tax will never rise.": ("future", "negative"),
        "The minister said the tax would rise if prices fell.": ("conditional", "positive"),
        "The minister said the tax appears to be rising.": ("hedged", "positive"),
        "The minister said the tax rose.": ("asserted", "positive"),
        "The minister said the tax did not rise.": ("asserted", "negative"),
    }
    for text, (mod, pol) in cases.items():
        claims = _analyze(text)["claims"]
        assert len(claims) == 1, text
        assert (claims[0]["modality"], claims[0]["polarity"]) == (mod, pol), text
        assert claims[0]["speaker"] == "The minister"


def test_inverted_quote_and_according_to():
    text = "“We will fight on,” said Maria Lopez, the party leader. Turnout fell, according to officials."
    claims = _analyze(text)["claims"]
    q = [c for c in claims if c["direct_quote"]][0]
    assert q["speaker"] == "Maria Lopez" and q["content"] == "We will fight on"
    assert q["modality"] == "future" and q["predicate"] == "fight"
    a = [c for c in claims if c["cue"] == "according to"][0]
    assert a["speaker"] == "officials" and a["content"] == "Turnout fell" and a["predicate"] == "fall"


def test_he_resolves_to_person_and_no_claim_without_cue():
    text = "Tom Baker runs a bakery. He said prices were rising. Bread is expensive."
    claims = _analyze(text)["claims"]
    assert len(claims) == 1
    assert claims[0]["speaker"] == "He" and ent_name(claims[0]["speaker_entity"]) == "Tom Baker"


# --- round 2: forward-looking statements, nested reports, speakers, speed helpers ----------

def test_article_own_forecast_is_a_claim_without_speaker():
    claims = _analyze("Acme Corp will close its plant in Ohio next year. The plant employs 300 people.")["claims"]
    assert len(claims) == 1
    c = claims[0]
    assert c["speaker"] is None and c["speaker_entity"] is None and c["cue"] == "will"
    assert c["modality"] == "future" and c["predicate"] == "close" and c["subject"] == "Acme Corp"
    assert c["time_text"] == "next year" and c["content"].startswith("Acme Corp will close")


def test_forecast_not_taken_from_attributed_or_conditional_sentences():
    claims = _analyze("The minister said the ban will be lifted. If prices rise, we will act.")["claims"]
    assert [c["cue"] for c in claims] == ["said"]
    assert claims[0]["modality"] == "future"


def test_nested_report_is_one_claim_of_the_outer_speaker():
    text = "A Korean diplomat said the Chinese government told the embassy that it would soon lift the ban."
    claims = _analyze(text)["claims"]
    assert len(claims) == 1
    c = claims[0]
    assert c["speaker"] == "A Korean diplomat" and c["predicate"] == "lift" and c["modality"] == "future"
    assert "Chinese government told the embassy" in c["content"]


def test_headline_infinitive_is_future():
    claims = _analyze("Curbs on chat apps to be lifted soon, minister says\n\nThe body of the story.\n")["claims"]
    c = next(c for c in claims if c["cue"] == "says")
    assert c["speaker"] == "minister" and c["predicate"] == "lift" and c["modality"] == "future"


def test_first_person_hedge_inside_a_quote_sets_modality():
    claims = _analyze("“I think prices will rise again,” the analyst said.")["claims"]
    assert claims[0]["speaker"] == "the analyst" and claims[0]["modality"] == "hedged"


def test_a_forward_looking_report_in_a_later_clause_of_a_quote_is_a_second_claim():
    text = ('Talk of a default is "all speculation, because we\'re expecting the payment to be made on '
            'June 30th," said the spokesman of the fund.')
    claims = _analyze(text)["claims"]
    assert [c["cue"] for c in claims] == ["said", "expecting"]
    inner = claims[1]
    assert inner["speaker"] == "we" and inner["modality"] == "future" and inner["time_text"] == "on June 30th"
    # the quote's own main verb stays the quote's: one claim, the speaker's
    assert [c["cue"] for c in _analyze('"We are expecting the payment on June 30th," the spokesman said.')["claims"]] == ["said"]


def test_relative_pronoun_speaker_resolves_to_the_person():
    claims = _analyze("The company hired Jane Zhang, an analyst at Canalys, who said the ban would hurt sales.")["claims"]
    c = next(c for c in claims if c["cue"] == "said")
    assert c["speaker"] == "who" and c["content"] == "the ban would hurt sales"
    assert c["speaker_entity"] and c["speaker_entity"]["name"] == "Jane Zhang"


def test_paragraph_and_token_lookup_helpers_match_plain_loops():
    from kb.nlp import load_nlp
    from kb.nlp.spans import paragraph, tokens_with

    doc = load_nlp()("First line says a thing.\n\nSecond paragraph, Says more.\nThird line.")
    for i in range(len(doc)):
        s = i
        while s > 0 and "\n" not in doc[s - 1].text:
            s -= 1
        e = i
        while e < len(doc) and "\n" not in doc[e].text:
            e += 1
        assert paragraph(doc, i) == (s, e)
    assert [t.text for t in tokens_with(doc, "lemma", ["say"])] == [t.text for t in doc if t.lemma_.lower() == "say"]


def test_lemma_cache_changes_no_lemma():
    from kb.nlp.model import cache_base_forms, load_model

    text = "The ministers were lifting the bans; she has said they'd been running better apps."
    plain, cached = load_model(components=False), load_model(components=False)
    cache_base_forms(cached)
    for _ in range(2):      # the second pass answers from the cache
        assert [t.lemma_ for t in cached(text)] == [t.lemma_ for t in plain(text)]


def test_hope_is_a_cue_despite_the_lemmatizer():
    from kb.nlp import load_nlp

    assert [t.lemma_ for t in load_nlp()("She hoped and he hopes.") if t.pos_ == "VERB"] == ["hope", "hope"]
    c = _analyze("The mayor said she hoped the bridge would reopen next month.")["claims"][0]
    assert c["speaker"] == "The mayor" and c["modality"] in ("hedged", "future")
    for text, cue in (("The senator griped that the plan failed.", "griped"),
                      ("He blogged that the plan failed.", "blogged"), ("She texted that the plan failed.", "texted")):
        assert [c["cue"] for c in _analyze(text)["claims"]] == [cue], text


def test_fast_attribute_ruler_and_lemmas_match_spacy():
    from kb.nlp.attrs_fast import speed_up
    from kb.nlp.model import LEMMA_FIXES, cache_base_forms, load_model

    texts = ["There's no way they're gonna let 'em in, y'all know that.",
             "The minister, who hadn't spoken, said it would be lifted; she'd done it before.",
             "Ain't nothing wrong with it.  \n\nIt was said that he did, but he didn't.", ""]
    plain, fast = load_model(components=False), load_model(components=False)
    assert speed_up(fast.get_pipe("attribute_ruler"))
    cache_base_forms(fast)
    for _ in range(2):
        for a, b in zip(plain.pipe(texts), fast.pipe(texts)):
            assert [(t.tag_, t.pos_, t.dep_, str(t.morph)) for t in a] == \
                [(t.tag_, t.pos_, t.dep_, str(t.morph)) for t in b]
            assert all(x.lemma_ == y.lemma_ or LEMMA_FIXES.get(x.lower_) == y.lemma_ for x, y in zip(a, b))


def test_colon_cue_takes_the_quote_of_the_next_paragraph():
    text = "The senator spoke at length.\n\nHe said:\n\n“We will not raise taxes on working families this year.”\n"
    c = [c for c in _analyze(text)["claims"] if c["cue"] == "said"]
    assert c and c[0]["content"].startswith("We will not raise taxes") and c[0]["direct_quote"]


def test_quote_of_the_previous_sentence_is_not_taken_by_a_cue_with_its_own_clause():
    text = 'Russia insisted that Pyongyang "stop its dangerous tests." The agency said the country had ignored every demand.'
    said = [c for c in _analyze(text)["claims"] if c["cue"] == "said"]
    assert said and said[0]["content"].startswith("the country had ignored")


def test_attitude_inside_an_attributed_quote_is_not_a_claim_of_its_own():
    text = '“We cannot support people who attack our allies and want to weaken our army,” the senator said.'
    claims = _analyze(text)["claims"]
    assert [c["cue"] for c in claims] == ["said"]


def test_reported_clause_stops_before_the_reporters_own_coordinated_cue():
    text = "China said it was strongly opposed to the test and warned the North to stop its provocations."
    claims = _analyze(text)["claims"]
    said = [c for c in claims if c["cue"] == "said"][0]
    assert said["content"] == "it was strongly opposed to the test"


def test_passive_judgment_without_agent_is_a_claim_without_speaker():
    claims = _analyze("The senator has been harshly criticized for his votes on energy policy.")["claims"]
    c = [c for c in claims if "criticized" in c["cue"]]
    assert c and c[0]["speaker"] is None
    assert c[0]["content"].startswith("The senator") and c[0]["content"].endswith("energy policy")


def test_quoted_label_inside_an_object_keeps_the_object():
    claims = _analyze("The governor described the mayor as “a reckless spender” at the rally.")["claims"]
    c = [c for c in claims if c["cue"] == "described"]
    assert c and c[0]["content"].startswith("the mayor as")


def test_quoted_subject_does_not_steal_the_speaker():
    text = '"He would be a fine judge. Not good, great. One of the best lawyers in the state," Rep. Jane Doe said in an interview.'
    c = [c for c in _analyze(text)["claims"] if c["cue"] == "said"]
    assert c and c[0]["speaker"].endswith("Jane Doe") and c[0]["direct_quote"]


def test_reported_clause_stops_before_a_trailing_participle_cue():
    text = "Analysts said geopolitical factors have raised the country's appeal, citing its long border with China."
    said = [c for c in _analyze(text)["claims"] if c["cue"] == "said"]
    assert said and said[0]["content"] == "geopolitical factors have raised the country's appeal"


def test_quote_after_an_addressee_and_time_is_the_content():
    text = "Limbaugh told his radio audience on Monday, “What has happened is simple. The campaign sent orders to its friends.”"
    told = [c for c in _analyze(text)["claims"] if c["cue"] == "told"]
    assert told and told[0]["direct_quote"] and told[0]["content"].endswith("sent orders to its friends")


def test_as_someone_put_it_is_a_speech_cue():
    claims = _analyze("As one tax lawyer put it, the plan is a gift to the richest families.")["claims"]
    c = [c for c in claims if c["cue"] == "put"]
    assert c and c[0]["speaker"] == "one tax lawyer" and c[0]["content"].startswith("the plan is a gift")


def test_speaker_never_reaches_across_a_paragraph_break():
    text = ("The speech drew thinly disguised contempt\n\nDonald Trump promised a new American moment "
            "and said the economy would grow.")
    for c in _analyze(text)["claims"]:
        if c["speaker"]:
            assert "\n" not in c["speaker"], c
            assert text[c["speaker_start"]:c["speaker_end"]] == c["speaker"]
        if c["subject"]:
            assert "\n" not in c["subject"], c


# --- anonymous sources and what speakers stand for ------------------------------------------

def test_headline_line_is_its_own_sentence_and_speaker_follows_the_last_comma():
    text = ("Ban to be lifted on Line and WhatsApp, Korean official says\n\n"
            "Access to them has been disrupted for weeks")
    c = _analyze(text)["claims"][0]
    assert c["speaker"] == "Korean official" and c["speaker_entity"] is None
    assert c["content"] == "Ban to be lifted on Line and WhatsApp"
    assert "\n" not in c["sentence"]


def test_a_wire_datelines_place_and_agency_stay_one_sentence():
    from kb.nlp import load_nlp
    text = ("Tesla Says It Will Meet Goal\n\nWASHINGTON (dpa-AFX) - Tesla Inc. will meet its goal this month, "
            "Musk told investors on Tuesday.")
    sents = [s.text.strip() for s in load_nlp()(text).sents]
    assert sents[0] == "Tesla Says It Will Meet Goal"          # the parser made 'WASHINGTON' a sentence
    assert sents[1].startswith("WASHINGTON (dpa-AFX) - Tesla Inc. will")


def test_anonymous_source_is_kept_and_the_description_is_linked_to_it():
    text = ("A Korean diplomat said the ban on Line would end soon. Line is run by Naver. "
            "\u201cThe ban has not been lifted yet,\u201d the diplomat said.")
    claims = _analyze(text)["claims"]
    last = [c for c in claims if c["speaker"] == "the diplomat"][0]
    assert last["speaker_entity"] is None             # anonymous stays anonymous ...
    assert last["speaker_refers_to"] == "A Korean diplomat"   # ... but linked to who it is
    first = [c for c in claims if c["speaker"] == "A Korean diplomat"][0]
    assert first["speaker_refers_to"] is None


def test_one_of_them_refers_to_the_group():
    text = ("Three people close to the app stores said the app had been removed. "
            "One of them said, \u201cWe got a notice from above.\u201d")
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "One of them"][0]
    assert c["speaker_refers_to"] == "Three people close to the app stores"


def test_pronoun_refers_to_the_named_speaker():
    text = "Jane Zhang, an analyst at Gartner, said sales fell. She said they would recover."
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "She"][0]
    assert ent_name(c["speaker_entity"]) == "Jane Zhang" and c["speaker_refers_to"] == "Jane Zhang"


def test_editorial_label_with_a_colon_is_no_speaker():
    text = ("Correction: An earlier version of this article misstated when the law was passed.\n\n"
            "PENCE: Well, look, the governor has been very clear about the plan.")
    claims = _analyze(text)["claims"]
    assert [c["speaker"] for c in claims] == ["PENCE"]


def test_a_known_place_or_a_picture_before_a_colon_is_no_speaker():
    # a dateline, a list of names by state, a picture caption, a section of letters
    text = ("Kigali: Four outstanding young people have won Commonwealth Youth Awards for their work.\n\n"
            "NEW DELHI: The ongoing farmers' agitation entered the eleventh day on Sunday.\n\n"
            "Iowa: Tim Albrecht, Brad Anderson, Rob Barron and Jeff Boeyink are the insiders polled.\n\n"
            "Image: The crowd outside the court was larger than the police had expected.\n\n"
            "Letters: Coddling criminals is undermining the road to safety\n\n"
            "Lagarde: Greece will not have grace period on payment\n\n"
            "Poll: Voters are split on the new tax plan\n")
    speakers = [c["speaker"] for c in _analyze(text)["claims"] if c["cue"] == ":"]
    assert speakers == ["Lagarde", "Poll"]


def test_a_request_or_a_formula_opening_a_sentence_reports_nothing():
    text = ("BLITZER: Thank you very much, Senator.\n\nSANDERS: The economy is rigged.\n\n"
            "Tell me more about the plan, he said. We thank the voters for their support.")
    got = [(c["speaker"], c["cue"]) for c in _analyze(text)["claims"]]
    assert ("BLITZER", "Thank") not in got and ("SANDERS", ":") in got
    assert ("he", "said") in got and ("We", "thank the voters for") in got


def test_a_transcript_turn_that_only_asks_or_directs_is_no_claim():
    text = ("HOLT: Secretary Clinton, is it President Obama's fault? Is it?\n\n"
            "CLINTON: The economy grew in every year of his term. Was that his fault?\n\n"
            "HOLT: Thank you, Secretary. Let me turn to Mr. Trump. Go ahead, sir.\n\n"
            "TRUMP: Wrong.\n")
    turns = [(c["speaker"], c["content"]) for c in _analyze(text)["claims"] if c["cue"] == ":"]
    assert turns == [("CLINTON", "The economy grew in every year of his term. Was that his fault")]


def test_a_transcript_speaker_label_in_capitals_names_the_speaker_whatever_its_tag():
    # the small tagger reads 'TODD' as an adjective and 'SANDERS' as a verb
    text = ("TODD: And neither party has seen this yet.\n\n"
            "SANDERS: Let's deal with the comments the secretary made. The economy is rigged.\n\n"
            "UPDATE: The mayor has resigned.\n")
    assert [c["speaker"] for c in _analyze(text)["claims"] if c["cue"] == ":"] == ["TODD", "SANDERS"]


def test_the_i_of_a_report_inside_a_transcript_turn_is_the_turn_speaker():
    text = "HOLT: Good evening. I expect us to cover all the issues tonight. I remind you there are two more debates.\n"
    [c] = [c for c in _analyze(text)["claims"] if c["cue"] == "expect"]
    assert c["speaker"] == "I" and c["speaker_refers_to"] == "HOLT"


def test_headline_names_its_speaker_before_a_colon():
    text = ("EXCLUSIVE – Roger Stone: Don’t Trust the Voting Machines\n\n"
            "Former Attorney General Mukasey at Convention: Email Scandal Disqualifies Her\n\n"
            "Council on Foreign Relations: The Sanctions Will Fail Within A Year\n\n"
            "Related: Clinton Wins Big In Nevada Caucus")
    speakers = {c["speaker"]: c["content"] for c in _analyze(text)["claims"] if c["cue"] == ":"}
    assert speakers["Roger Stone"] == "Don’t Trust the Voting Machines"        # after the lead's dash
    assert speakers["Former Attorney General Mukasey at Convention"] == "Email Scandal Disqualifies Her"
    assert speakers["Council on Foreign Relations"] == "The Sanctions Will Fail Within A Year"
    assert "Related" not in speakers


def test_speaker_entity_from_the_name_in_apposition():
    text = "The head of the delegation, Tom Baker, said the talks would resume in May."
    c = _analyze(text)["claims"][0]
    assert ent_name(c["speaker_entity"]) == "Tom Baker"


def test_statement_from_an_organisation_speaks_for_it():
    text = "A statement from Microsoft said the service would be restored by Friday."
    c = _analyze(text)["claims"][0]
    assert ent_name(c["speaker_entity"]) == "Microsoft"


def test_a_quote_continues_over_several_paragraphs_until_another_speaker_is_named():
    text = ("The council met on Monday.\n\n“We will rebuild the bridge by March,” the mayor said.\n\n"
            "“The money is there and the plans are ready.”\n\n“The river will not stop us.”\n\n"
            "“No,” the engineer said.\n\n“It will take a year at least.”\n\nThe meeting ended.")
    by_content = {c["content"]: c["speaker"] for c in _analyze(text)["claims"]}
    assert by_content["The money is there and the plans are ready"] == "the mayor"
    assert by_content["The river will not stop us"] == "the mayor"          # two paragraphs on
    assert by_content["No"] == "the engineer"                              # named in its own sentence
    assert by_content["It will take a year at least"] == "the engineer"


def test_a_one_word_quote_opens_words_that_resume_after_the_cue():
    text = ("The mayor spoke on Monday.\n\n“Fine,” she said, turning away. “We will see what the court decides.”\n\n"
            "The meeting ended.")
    c = next(c for c in _analyze(text)["claims"] if c["cue"] == "said")
    assert c["speaker"] == "she" and c["content"].startswith("Fine")
    assert c["content"].endswith("We will see what the court decides")


def test_inverted_speaker_after_a_quote_is_no_object():
    text = "“How big is that wall going to be?” asked the boy, who was wearing a red hat."
    c = next(c for c in _analyze(text)["claims"] if c["cue"] == "asked")
    assert c["speaker"] == "the boy" and c["content"] == "How big is that wall going to be"


def test_a_speaker_the_parser_lost_is_read_from_word_order():
    # the small parser hangs these speakers elsewhere and leaves the cue without a subject
    text = ("The rejection of the deal signals \"the end of an era\" for the union, said Marta Kovac, "
            "head of the Croatian Farmers Party.\n\n"
            "Ms. Okafor, whose latest firm, Solara, uses satellite data to help farmers plan harvests, "
            "said the tariff was a mistake.\n\n"
            "In a statement to the Guardian, her chief of staff, Tom Reyes, said the mayor would not resign.")
    got = {(c["speaker"], c["content"]) for c in _analyze(text)["claims"] if c["cue"] == "said"}
    assert got == {("Marta Kovac", 'The rejection of the deal signals "the end of an era" for the union'),
                   ("Ms. Okafor", "the tariff was a mistake"),
                   ("her chief of staff", "the mayor would not resign")}


def test_a_name_between_the_quote_and_its_cue_speaks_not_the_cue_object():
    from spacy.tokens import Doc

    from kb.nlp import load_nlp
    from kb.nlp.claims.candidates.cues import verb_cues
    from kb.nlp.claims.candidates.quotes import quote_spans
    # the parse of a real misreading: the name an apposition inside the quote, 'tells' with no subject
    words = ["“", "Yes", ",", "I", "back", "Weber", ",", "”", "Ann", "Cole", ",", "founder", "of", "the", "trust",
             ",", "tells", "Reuters", "."]
    heads = [4, 4, 4, 4, 16, 4, 5, 5, 9, 5, 9, 9, 11, 14, 12, 16, 16, 16, 16]
    deps = ["punct", "intj", "punct", "nsubj", "ccomp", "dobj", "punct", "punct", "compound", "appos", "punct",
            "appos", "prep", "det", "pobj", "punct", "ROOT", "dobj", "punct"]
    pos = ["PUNCT", "INTJ", "PUNCT", "PRON", "VERB", "PROPN", "PUNCT", "PUNCT", "PROPN", "PROPN", "PUNCT", "NOUN",
           "ADP", "DET", "NOUN", "PUNCT", "VERB", "PROPN", "PUNCT"]
    tags = ["``", "UH", ",", "PRP", "VBP", "NNP", ",", "''", "NNP", "NNP", ",", "NN", "IN", "DT", "NN", ",", "VBZ",
            "NNP", "."]
    lemmas = [w.lower() for w in words[:16]] + ["tell", "reuters", "."]
    spaces = [False, False, True, True, True, False, False, True, True, False, True, True, True, True, False, True,
              True, False, False]
    doc = Doc(load_nlp().vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas)
    att = next(a for a in verb_cues(doc, quote_spans(doc, doc.text)) if doc[a.cue[0]].text == "tells")
    assert att.speaker.text == "Cole" and doc[att.content[0]:att.content[1]].text == "Yes, I back Weber"


def test_an_inverted_speaker_keeps_the_quote_when_the_words_after_the_name_parse_as_a_clause():
    text = "''I am better with my hands than I am with my head,'' said Tom Reyes, half joking."
    c = next(c for c in _analyze(text)["claims"] if c["cue"] == "said")
    assert c["speaker"] == "Tom Reyes" and c["content"] == "I am better with my hands than I am with my head"


def test_than_inside_the_quote_opens_no_adverbial_clause():
    text = ("“The only ones peering into this data more closely than the trading desk will be the "
            "regulators themselves,” Okafor said.")
    c = next(c for c in _analyze(text)["claims"] if c["cue"] == "said")
    assert c["speaker"] == "Okafor" and c["content"].startswith("The only ones peering")


def test_a_document_reads_its_words():
    text = ("The council will not reopen the bridge this year. "
            "“The repairs will take until March,” the statement read.")
    c = next(c for c in _analyze(text)["claims"] if c["cue"] == "read")
    assert c["speaker"] == "the statement" and c["content"] == "The repairs will take until March"
    assert c["direct_quote"]


def test_it_as_subject_resolves_unless_expletive():
    text = "Microsoft reported strong sales on Monday. It will open ten stores in Europe next year."
    c = [c for c in _analyze(text)["claims"] if c["subject"] == "It"][0]
    assert ent_name(c["subject_entity"]) == "Microsoft"
    text = "Microsoft reported strong sales on Monday. It is expected that prices will rise next year."
    for c in _analyze(text)["claims"]:
        assert c["subject_entity"] is None or c["subject"] != "It", c


def test_odd_texts_never_raise_and_offsets_stay_inside():
    from kb.nlp import analyze_many
    texts = ["", "   \n\n  ", "“", "\"\"\"", "“He said", "said said said.", "\n" * 300,
             "He said: “" + "word " * 400, "“A,” she said, “B,” he said, “C", "— ― – : : :",
             "Ünïcödé “quotes” said 北京 officials 🙂 \u200b\u202e.", "It is expected that. Will.",
             ("The minister said the plan would work. " * 300)]
    for text, out in zip(texts, analyze_many(texts)):
        assert out["text"] == text
        for c in out["claims"]:
            assert 0 <= c["content_start"] <= c["content_end"] <= len(text)
            assert content_of(text, c)
            if c["speaker"] is not None:
                assert text[c["speaker_start"]:c["speaker_end"]] == c["speaker"]


def test_pronoun_speaker_skips_people_named_in_its_own_quote():
    text = 'Maria Lopez spoke first. "We will never get an apology from John Smith," she said.'
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "she"][0]
    assert ent_name(c["speaker_entity"]) == "Maria Lopez"
    assert c["speaker_refers_to"] == "Maria Lopez"


def test_a_pronoun_outside_a_quote_passes_over_the_names_quoted_before_it():
    text = ("Peter Hall blamed the weather for the defeat on Monday.\n\n"
            "He says, “Playing in that rain was harder than playing against Tom Jones.”\n\n"
            "He notes that the league announced on Friday that the pitch had flooded.")
    c = [c for c in _analyze(text)["claims"] if c["cue"] == "notes"][0]
    assert ent_name(c["speaker_entity"]) == "Peter Hall" and c["speaker_refers_to"] == "Peter Hall"


def test_a_title_the_article_gives_a_surname_elsewhere_tells_the_pronoun_apart():
    text = ("Maria Lopez met Mr. Smith at the town hall on Monday. Later John Smith spoke at the rally. "
            "The reform would pass this year, she said.")
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "she"][0]
    assert ent_name(c["speaker_entity"]) == "Maria Lopez"
    text = ("Maria Lopez met Mr. Smith and Mrs. Smith at the town hall. Later Jane Smith spoke at the rally. "
            "The reform would pass this year, she said.")     # both titles: the surname tells nothing
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "she"][0]
    assert ent_name(c["speaker_entity"]) == "Jane Smith"


def test_he_passes_over_a_thing_that_speaks():
    text = ("The economist at Capital Economics, Neil Shearing, said in a note that the data confirms "
            'the decline. "Growth will remain weak," he added.')
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "he"][0]
    assert ent_name(c["speaker_entity"]) == "Neil Shearing"
    text = "The data shows that prices will rise. Growth will slow next year, he said."
    c = [c for c in _analyze(text)["claims"] if c["speaker"] == "he"][0]
    assert c["speaker_entity"] is None and c["speaker_refers_to"] is None


def test_he_after_a_name_the_ner_missed_takes_the_name_but_not_a_title():
    c = [c for c in _analyze("Balsican said growth would slow next year. He added that exports would fall.")["claims"]
         if c["speaker"] == "He"][0]
    assert c["speaker_entity"] == {"name": "Balsican", "type": "person"}
    c = [c for c in _analyze("The president said the figures would improve. He added that exports would fall.")["claims"]
         if c["speaker"] == "He"][0]
    assert c["speaker_entity"] is None and c["speaker_refers_to"] == "The president"


def test_a_chain_of_pronouns_refers_back_to_the_name():
    text = "Anna Berg said the plan would fail. She said prices would rise. She added that wages would fall."
    claims = [c for c in _analyze(text)["claims"] if c["speaker"] == "She"]
    assert len(claims) == 2
    for c in claims:
        assert ent_name(c["speaker_entity"]) == "Anna Berg" and c["speaker_refers_to"] == "Anna Berg"


def test_pronouns_respect_titles_and_each_other():
    text = "Mrs Clinton met Mr Bolt on Monday. She said the talks went well. He said nothing had changed."
    got = {c["speaker"]: c["speaker_refers_to"] for c in _analyze(text)["claims"]}
    assert got == {"She": "Mrs Clinton", "He": "Mr Bolt"}


def test_place_in_apposition_to_an_employer_is_not_the_speaker():
    text = "Researchers at the University of Oxford, England, said the drug would work."
    assert _analyze(text)["claims"][0]["speaker_entity"] is None
    text = "The chief economist at Capital Economics, Neil Shearing, said growth would slow."
    assert ent_name(_analyze(text)["claims"][0]["speaker_entity"]) == "Neil Shearing"


def test_a_wire_dateline_is_not_the_speaker():
    # the parser makes the dateline the subject (the name its apposition) or part of the name
    for text, speaker, name in [
        ("LONDON (Reuters) - Prime Minister Theresa May said on Monday that Britain would leave the single market.",
         "Prime Minister Theresa May", "Theresa May"),
        ("OTTAWA - Finance Minister Bill Morneau said the budget would be balanced by 2019.",
         "Finance Minister Bill Morneau", "Bill Morneau")]:
        (claim,) = _analyze(text)["claims"]
        assert claim["speaker"] == speaker and text[claim["speaker_start"]:claim["speaker_end"]] == speaker
        assert claim["speaker_entity"]["name"] == name


def test_a_relative_pronoun_speaks_as_written_and_resolves_to_what_it_modifies():
    claims = {c["cue"]: c for c in _analyze(
        "The company was fined by the European Commission, which said Ireland had undertaxed the firm for years. "
        "Apple was criticised by Citizens for Tax Justice, a group that says the firm holds $200 billion offshore.")["claims"]}
    assert claims["said"]["speaker"] == "which"
    assert claims["said"]["speaker_entity"]["name"] == "European Commission"
    assert claims["says"]["speaker"] == "that"       # through the apposition: the group's name
    assert claims["says"]["speaker_entity"]["name"] == "Citizens for Tax Justice"


def test_the_words_start_after_a_wire_dateline():
    for text, content in [
        ("BEIJING (Reuters) - China will lift the ban soon, a diplomat said.", "China will lift the ban soon"),
        ("SEOUL, Aug 4 (Yonhap) - The embassy will reopen next week, an official said.",
         "The embassy will reopen next week"),
        ("WASHINGTON — “We will win,” the president said.", "We will win"),
        ("Tesla Says It Will Meet Goal\n\nWASHINGTON (dpa-AFX) - Tesla Inc. will meet its goal this month, "
         "Musk told investors on Tuesday.", "Tesla Inc. will meet its goal this month")]:
        (claim,) = [c for c in _analyze(text)["claims"] if c["cue"] in ("said", "told")]
        assert claim["content"] == content, text


def test_a_dateline_parsed_as_a_second_subject_gives_way_to_the_name():
    from spacy.tokens import Doc

    from kb.nlp import load_nlp
    from kb.nlp.claims.assembly.speakers import past_dateline
    from kb.nlp.claims.candidates.lexicon import Attribution
    # the parse of a real wire opening: the dateline and the name both subjects of 'tried'
    words = ["BUENA", "PARK", ",", "Calif.", "-", "Rallying", "workers", ",", "Ann", "Cole", "tried", "and",
             "promised", "change", "."]
    heads = [1, 10, 1, 1, 1, 10, 5, 10, 9, 10, 10, 10, 10, 12, 10]
    deps = ["compound", "nsubj", "punct", "npadvmod", "punct", "advcl", "dobj", "punct", "compound", "nsubj",
            "ROOT", "cc", "conj", "dobj", "punct"]
    doc = Doc(load_nlp().vocab, words=words, spaces=[True, False, True, True, True, True, False, True, True, True,
                                                    True, True, True, False, False], heads=heads, deps=deps)
    got = past_dateline(doc, Attribution((12, 13), doc[1], (13, 14), doc[13], False, None))
    assert got.speaker.text == "Cole"


def test_a_speaker_ends_before_a_no_break_space():
    (claim,) = _analyze("The ministry\u00a0 said the bridge would reopen in May.")["claims"]
    assert claim["speaker"] == "The ministry"


def test_a_relative_pronoun_for_a_document_resolves_to_its_issuer():
    (claim,) = _analyze("The World Bank released a report on Monday that showed poverty would fall by 2030.")["claims"]
    assert claim["speaker"] == "that" and claim["speaker_entity"]["name"] == "World Bank"


def test_a_quote_broken_by_its_cue_sentence_reads_as_the_quoted_words():
    text = '"We dodged a bullet," Steve Cowan said in an e-mail. "Tomorrow will be a quieter day."'
    (c,) = _analyze(text)["claims"]
    assert c["speaker"] == "Steve Cowan"
    assert c["content"] == "We dodged a bullet … Tomorrow will be a quieter day"     # not '..." Steve Cowan said'
    assert text[c["content_start"]:c["content_end"]].startswith("We dodged") and content_of(text, c)
    assert "Steve Cowan" not in [o["text"] for o in c["objects"]]                # the speaker is no object
    (c,) = _analyze('The mayor said the plan will pass.')["claims"]                 # one piece: the text as is
    assert c["content"] == "the plan will pass"


def test_an_object_at_a_paragraphs_end_leaves_the_line_break_out():
    """'... until the middle of next month' then a blank line: the object is the words, not the
    words and the break (which the thread page and exports would show)."""
    claims = _analyze("Officials said the talks will go on until the middle of next month\n\n"
                      "Officials said the company will need cash\n\nThe end.")["claims"]
    objects = [o["text"] for c in claims for o in c["objects"]]
    assert "the middle of next month" in objects and "cash" in objects
    assert all(o == o.strip() for o in objects), objects
