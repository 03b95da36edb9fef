"""Assembly: claim records of the accepted candidates (speaker, modality, polarity, time)
and the article's claims. Imports ``kb.nlp.claims.candidates``, never the model."""

# A quote broken by its own cue ('"X," she said. "Y"') reads as its two pieces joined by this:
# written by ``records.quoted_words``, split again by the pages that mark the pieces.
QUOTE_GAP = " … "
