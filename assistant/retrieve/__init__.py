"""Retrieve: BM25 + dense search fused into ranked passages, with spelling and the lexicon.

Holds ``retriever`` (the Retriever) and ``lexicon`` (practitioners' words and the documents').

May import: the top-level modules (stemming, datafiles, errors). The embedder and index are passed in.
"""
