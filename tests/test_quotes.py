"""Direct quotes (kb.nlp.claims.candidates.quotes) and how a quote joins the content of its cue.

Sentences are made up for these tests.
"""
from kb.nlp import analyze


def claims_by_cue(text: str) -> dict[str, dict]:
    return {c["cue"]: c for c in analyze(text)["claims"]}


def test_a_quote_after_the_cue_continues_an_unquoted_report_before_it():
    got = claims_by_cue('The council may delay the vote until spring, Smith said. "The other question is '
                        'whether the money will still be there. Nobody can promise that."')
    assert got["said"]["content"].startswith("The council may delay the vote")
    assert got["said"]["content"].endswith('Nobody can promise that."')       # the quote closed
    got = claims_by_cue('The budget will be tight next year, the mayor said. "We will have to make hard '
                        'choices about the schools."')
    assert got["said"]["content"].endswith('hard choices about the schools."')


def test_a_quoted_phrase_inside_the_writers_sentence_is_not_a_resumed_quote():
    got = claims_by_cue('"You forced the staff to the breaking point" to lift the share price, she said, citing '
                        'the bank\'s drive to "cross-sell" products. "You blamed thousands of low-paid" clerks.')
    assert "clerks" not in got["said"]["content"] and "blamed" not in got["said"]["content"]
    assert got["citing"]["content"] == 'the bank\'s drive to "cross-sell" products'


def test_a_resumed_quote_of_whole_sentences_joins_even_when_words_follow_it():
    got = claims_by_cue('"We are not finished," the coach said. "We will be back. We will win the cup" for the town.')
    assert got["said"]["direct_quote"]
    assert got["said"]["content"].endswith("We will win the cup")


def test_a_clause_opened_by_as_after_the_cue_is_when_it_was_said_not_what():
    # the parser hangs "as ... worked out" on "said" as its complement: the quote is still the claim
    got = claims_by_cue("“The vote was fair,” the senator said, as a few angry protesters worked out in the square.")
    assert got["said"]["content"] == "The vote was fair" and got["said"]["speaker"] == "the senator"
