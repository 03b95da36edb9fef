"""Assembly: claim records of the accepted candidates (speaker, modality, polarity, time)
and the article's claims. Imports ``kb.nlp.claims.candidates``, never the model."""
