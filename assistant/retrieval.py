"""Hybrid retrieval: BM25 keywords and dense vectors from Chroma, fused by reciprocal rank.

Keyword search gets the question expanded with the domain lexicon and its misspellings corrected
against the corpus vocabulary; dense search embeds the (corrected) question with the packaged model.
The two rankings are fused (reciprocal rank fusion), then a per-document cap keeps one document from
crowding the others out of the top results.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.lexicon import expand

RRF_K = 60
CANDIDATES = 30
MAX_PER_DOC = 2
_WORD = re.compile(r"[a-z][a-z'’]+")


@dataclass(frozen=True)
class Hit:
    passage: object  # assistant.corpus.Passage
    score: float  # fused (reciprocal-rank) score: orders the hits
    dense: float  # cosine similarity of question and passage, 0 when not in the dense candidates
    bm25: float  # BM25 score, 0 when not in the keyword candidates
    rank: int


class Retriever:
    """Holds the loaded index, the BM25 model and the embedder. Safe to share between threads."""

    def __init__(self, index, embedder, *, max_per_doc: int = MAX_PER_DOC) -> None:
        import bm25s
        import Stemmer

        self.index = index
        self.embedder = embedder
        self.max_per_doc = max_per_doc
        self.passages = index.passages
        self._by_id = {p.id: i for i, p in enumerate(self.passages)}
        self._stemmer = Stemmer.Stemmer("english")
        texts = [p.index_text for p in self.passages]
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._bm25 = bm25s.BM25()
        self._bm25.index(tokens, show_progress=False)
        self._vocabulary = tuple(sorted({w for t in texts for w in _WORD.findall(t.lower()) if len(w) > 3}))
        self._known = set(self._vocabulary)
        self._bm25_tokenize = bm25s.tokenize

    # ---------------------------------------------------------------- query preparation
    def correct_spelling(self, question: str) -> str:
        """Replace words the corpus does not know by the closest word it does (``consnet`` -> consent)."""
        return _correct(question, self)

    def keyword_query(self, question: str) -> list[str]:
        tokens = self._bm25_tokenize(
            [expand(question)], stopwords="en", stemmer=self._stemmer, show_progress=False, return_ids=False
        )
        return list(tokens[0])

    # ---------------------------------------------------------------- the two searches
    def bm25_scores(self, question: str) -> np.ndarray:
        tokens = self.keyword_query(question)
        if not tokens:
            return np.zeros(len(self.passages), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def dense_scores(self, question: str, n: int = CANDIDATES, vector=None) -> dict[int, float]:
        if vector is None:
            vector = self.embedder.embed([question])[0]
        result = self.index.collection.query(
            query_embeddings=[vector], n_results=min(n, len(self.passages)), include=["distances"]
        )
        return {
            self._by_id[pid]: 1.0 - float(distance)
            for pid, distance in zip(result["ids"][0], result["distances"][0])
        }

    # ---------------------------------------------------------------- fused search
    def search(
        self, question: str, k: int = 5, *, mode: str = "hybrid", vector=None, corrected: str | None = None
    ) -> list[Hit]:
        """The ``k`` best passages. ``vector``/``corrected`` let a caller reuse work it already did."""
        corrected = corrected if corrected is not None else self.correct_spelling(question)
        bm25 = self.bm25_scores(corrected) if mode in ("hybrid", "bm25") else None
        dense = self.dense_scores(corrected, vector=vector) if mode in ("hybrid", "dense") else {}
        fused: dict[int, float] = {}
        if bm25 is not None:
            order = [i for i in np.argsort(-bm25, kind="stable")[:CANDIDATES] if bm25[i] > 0]
            for rank, i in enumerate(order):
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, (i, _) in enumerate(sorted(dense.items(), key=lambda kv: (-kv[1], kv[0]))):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        ranked = sorted(fused, key=lambda i: (-fused[i], i))
        chosen = _diversify(ranked, self.passages, k, self.max_per_doc)
        return [
            Hit(
                passage=self.passages[i],
                score=fused[i],
                dense=dense.get(i, 0.0),
                bm25=float(bm25[i]) if bm25 is not None else 0.0,
                rank=n + 1,
            )
            for n, i in enumerate(chosen)
        ]


def _diversify(ranked: list[int], passages, k: int, max_per_doc: int) -> list[int]:
    """Best first, at most ``max_per_doc`` from one document, then fill up from the rest in order."""
    chosen: list[int] = []
    per_doc: dict[str, int] = {}
    for i in ranked:
        doc = passages[i].doc_id
        if per_doc.get(doc, 0) < max_per_doc:
            chosen.append(i)
            per_doc[doc] = per_doc.get(doc, 0) + 1
        if len(chosen) == k:
            return chosen
    for i in ranked:
        if i not in chosen:
            chosen.append(i)
            if len(chosen) == k:
                break
    return chosen


def _correct(question: str, retriever: Retriever) -> str:
    def fix(match: re.Match) -> str:
        word = match.group(0)
        lowered = word.lower()
        if len(lowered) < 5 or lowered in retriever._known:
            return word
        return _closest(lowered, retriever) or word

    return re.sub(r"[A-Za-z]+", fix, question)


@lru_cache(maxsize=4096)
def _closest_cached(word: str, vocabulary: tuple) -> str | None:
    matches = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
    return matches[0] if matches else None


def _closest(word: str, retriever: Retriever) -> str | None:
    return _closest_cached(word, retriever._vocabulary)
