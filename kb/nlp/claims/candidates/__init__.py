"""Candidate attributions: the cue rules and what they read (lexicons, quotes, spans, repairs).

Each rule yields ``lexicon.Attribution`` tuples of token indices; ``proposals`` runs them
all. Nothing here imports the model or assembly.
"""
