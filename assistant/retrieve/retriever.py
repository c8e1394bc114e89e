"""Hybrid retrieval: BM25 keywords and dense vectors from Chroma, fused, then diversified.

Keyword search gets the question expanded with the domain lexicon and its misspellings corrected
against the corpus vocabulary. Dense search embeds the (corrected) question once and asks Chroma for
the nearest passages and the nearest single sentences; a passage's dense score is the best of its
own similarity, its best sentence's and its best question's, so one precise sentence in a long
passage still counts. The questions (``assistant/passage_questions.py``) are ones practitioners ask
that the passage answers, in their words; keywords match them too. They only rank passages: each
search also reports, as ``Evidence``, how close the documents' own words come, and that is what
``assistant/scope.py`` judges.
The two scores are fused as a weighted sum (measured against reciprocal rank fusion on
eval/cases/retrieval.yaml: ``python -m eval retrieval``): BM25 divided by the best hit's, the dense
score min-max scaled over the candidates Chroma returned, since cosines crowd into a narrow band
(0.5-0.8) and divided by the best alone their differences count for little beside the keywords'
(shipped cases, weight unchanged: MRR 0.876 -> 0.878, hit@5 0.958 -> 0.963). A question that
names a document (its manifest aliases: "Bucks", "the 2006 guide") prefers that document, and a
per-document cap keeps one document from crowding the others out of the top results.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.indexing.collections import sentence_record_of
from assistant.retrieve.lexicon import expand, vocabulary
from assistant.retrieve.memo import Memo
from assistant.stemming import stem, stemmer

CANDIDATES = 60  # nearest passages asked of Chroma
SENTENCE_CANDIDATES = 300  # nearest sentences and passage questions asked of Chroma
QUESTION_WEIGHT = 1.0  # a match with one of a passage's questions (passage_questions.py) counts this much
KEYWORD_WEIGHT = 0.4  # weight of normalised BM25 against normalised dense similarity
ALIAS_BOOST = 0.1  # added to passages of a document the question names
MAX_PER_DOC = 3
SEARCHES_KEPT = 16  # recent searches kept (assistant/retrieve/memo.py): an answer repeats a few of its own
EVIDENCE_K = 5  # top passages on the documents' own words that Hit.guidance is read from
# BM25 saturation and length normalisation: index texts carry their section path, so length says
# little about relevance; b=0.5 measured best (MRR 0.748 -> 0.772 on eval/cases/retrieval.yaml).
BM25_K1 = 1.2
BM25_B = 0.5
_WORD = re.compile(r"[a-z][a-z'’]+")


@dataclass(frozen=True)
class Hit:
    passage: object  # assistant.ingest.passages.Passage
    score: float  # fused score: orders the hits
    dense: float  # best cosine of question and passage, one of its sentences or its questions (0: not a candidate)
    bm25: float  # BM25 score, 0 when not in the keyword candidates
    rank: int
    guidance: "Evidence"  # how close the documents' own words come (the same for every hit of a search)
    # cosine of the question and each of the passage's sentences that were among the nearest
    # sentences (by position in ``passage.sentences``): what a quote is chosen by, beside shared words
    sentences: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Evidence:
    """How close the documents' own words come to a question, without the questions we wrote for
    the passages: the best cosine of a passage or sentence, and the best BM25 of a passage that
    also matched densely, over the top passages ranked on the documents' words alone. Whether the
    guidance answers a question (assistant/scope.py) is read from this; our questions only help
    rank the passages that it does answer."""

    dense: float
    bm25: float


class Retriever:
    """Holds the loaded index, the BM25 model and the embedder. Safe to share between threads."""

    def __init__(self, index, embedder, *, aliases: dict | None = None, max_per_doc: int = MAX_PER_DOC,
                 questions: dict | None = None) -> None:
        import bm25s  # deferred: heavy: loaded only to build the retriever

        self.index = index
        self.embedder = embedder
        self.max_per_doc = max_per_doc
        self.passages = index.passages
        self._by_id = {p.id: i for i, p in enumerate(self.passages)}
        stored = getattr(index, "manifest", {}).get("sentence_count") or SENTENCE_CANDIDATES
        self._sentence_candidates = max(1, min(SENTENCE_CANDIDATES, stored))
        texts = [p.index_text for p in self.passages]
        # Keywords also match the questions each passage answers, in practitioners' words: the ones
        # the index was built with (passage_questions.py), unless a caller gives others.
        asked = _stored_questions(index) if questions is None else questions
        keyword_texts = [" ".join((p.index_text, *asked.get(p.id, ()))) for p in self.passages]
        self._bm25 = _bm25_model(bm25s, keyword_texts)
        self._bm25_text = _bm25_model(bm25s, texts)  # the documents' own words alone (see Evidence)
        self._vocabulary = tuple(sorted({w for t in keyword_texts for w in _WORD.findall(t.lower()) if len(w) > 3}))
        self._known = set(self._vocabulary)
        self._known_stems = {stem(w) for w in self._vocabulary}
        # English words the model knows whole ("reception", "shouting"): never "corrected" to a corpus word
        self._english = getattr(embedder, "whole_words", frozenset)()
        self._bm25_tokenize = bm25s.tokenize
        self._searches: Memo[tuple] = Memo(SEARCHES_KEPT)
        self._doc_of = np.array([p.doc_id for p in self.passages])
        self._aliases = [
            (doc_id, re.compile(r"(?<!\w)" + re.escape(alias.lower()) + r"(?!\w)"))
            for doc_id, names in (aliases or {}).items()
            for alias in names
        ]

    # ---------------------------------------------------------------- query preparation
    def correct_spelling(self, question: str) -> str:
        """Replace words the corpus does not know by the closest word it does (``consnet`` -> consent)."""
        return _correct(question, self)

    def keyword_query(self, question: str) -> list[str]:
        tokens = self._bm25_tokenize(
            [expand(question)], stopwords="en", stemmer=stemmer(), show_progress=False, return_ids=False
        )
        return list(tokens[0])

    # ---------------------------------------------------------------- the two searches
    def bm25_scores(self, question: str, *, text_only: bool = False) -> np.ndarray:
        """BM25 of every passage with its questions (or, ``text_only``, of its own words alone)."""
        tokens = self.keyword_query(question)
        if not tokens:
            return np.zeros(len(self.passages), dtype=np.float32)
        model = self._bm25_text if text_only else self._bm25
        return np.asarray(model.get_scores(tokens), dtype=np.float32)

    def dense_matches(self, question: str, n: int = CANDIDATES, vector=None,
                      by_sentence: dict | None = None) -> tuple[dict[int, float], dict[int, float]]:
        """(passage index -> best cosine of the passage, a sentence or a question of it; the same for
        the document's own words alone, which says whether the guidance itself is close). With
        ``by_sentence``, also fills it with passage index -> {sentence position: cosine}."""
        if vector is None:
            vector = self.embedder.embed([question])[0]
        scores: dict[int, float] = {}
        passages = self.index.collection.query(
            query_embeddings=[vector], n_results=min(n, len(self.passages)), include=["distances"]
        )
        for pid, distance in zip(passages["ids"][0], passages["distances"][0]):
            scores[self._by_id[pid]] = 1.0 - float(distance)
        text = dict(scores)
        sentences = self.index.sentences.query(
            query_embeddings=[vector], n_results=self._sentence_candidates, include=["distances"]
        )
        for sid, distance in zip(sentences["ids"][0], sentences["distances"][0]):
            passage_id, kind, position = sentence_record_of(sid)
            i = self._by_id[passage_id]
            similarity = 1.0 - float(distance)
            if kind == "question":
                scores[i] = max(scores.get(i, 0.0), QUESTION_WEIGHT * similarity)
            else:
                scores[i] = max(scores.get(i, 0.0), similarity)
                text[i] = max(text.get(i, 0.0), similarity)
                if by_sentence is not None and position is not None:
                    by_sentence.setdefault(i, {})[position] = similarity
        return scores, text

    def named_documents(self, question: str) -> set[str]:
        lowered = question.lower()
        return {doc_id for doc_id, pattern in self._aliases if pattern.search(lowered)}

    # ---------------------------------------------------------------- fused search
    def search(
        self,
        question: str,
        k: int = 5,
        *,
        mode: str = "hybrid",
        vector=None,
        corrected: str | None = None,
        doc_id: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages (of one document, with ``doc_id``). ``vector``/``corrected`` let a
        caller reuse work it already did. A search asked again is answered from the last results."""
        corrected = corrected if corrected is not None else self.correct_spelling(question)
        key = (question, k, mode, corrected, doc_id, None if vector is None else np.asarray(vector, np.float32).tobytes())
        return list(self._searches.get(key, lambda: tuple(self._search(question, k, mode, vector, corrected, doc_id))))

    def _search(self, question: str, k: int, mode: str, vector, corrected: str, doc_id: str | None) -> list[Hit]:
        size = len(self.passages)
        keywords, vectors = mode in ("hybrid", "bm25"), mode in ("hybrid", "dense")
        bm25 = self.bm25_scores(corrected) if keywords else np.zeros(size, np.float32)
        own_bm25 = self.bm25_scores(corrected, text_only=True) if keywords else np.zeros(size, np.float32)
        by_sentence: dict[int, dict[int, float]] = {}
        dense_map, text_map = self.dense_matches(corrected, vector=vector, by_sentence=by_sentence) if vectors else ({}, {})
        dense, own_dense = _array(dense_map, size), _array(text_map, size)
        weight = {"hybrid": KEYWORD_WEIGHT, "bm25": 1.0, "dense": 0.0}[mode]
        named = self.named_documents(question)
        chosen, fused = self._rank(weight, bm25, dense, named, doc_id, k)
        own, _ = self._rank(weight, own_bm25, own_dense, named, doc_id, EVIDENCE_K)
        evidence = Evidence(
            dense=max((float(own_dense[i]) for i in own), default=0.0),
            bm25=max((float(own_bm25[i]) for i in own if own_dense[i] > 0), default=0.0),
        )
        return [
            Hit(passage=self.passages[i], score=float(fused[i]), dense=float(dense[i]), bm25=float(bm25[i]), rank=n + 1,
                guidance=evidence, sentences=tuple(sorted(by_sentence.get(i, {}).items())))
            for n, i in enumerate(chosen)
        ]

    def _rank(self, weight: float, bm25: np.ndarray, dense: np.ndarray, named: set, doc_id: str | None, k: int):
        """The ``k`` best passage indexes under the weighted fusion, and the fused scores."""
        fused = weight * _normalised(bm25) + (1.0 - weight) * _spread(dense)
        if named:
            fused = fused + ALIAS_BOOST * np.isin(self._doc_of, list(named))
        if doc_id is not None:
            fused = np.where(self._doc_of == doc_id, fused, 0.0)
        ranked = [int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0]
        chosen = ranked[:k] if doc_id is not None else _diversify(ranked, self.passages, k, self.max_per_doc)
        return chosen, fused


def _stored_questions(index) -> dict[str, tuple[str, ...]]:
    """Passage id -> the questions stored with it in the index's sentence collection."""
    stored = index.sentences.get(where={"kind": "question"}, include=["metadatas", "documents"])
    found: dict[str, tuple[str, ...]] = {}
    for meta, text in zip(stored["metadatas"], stored["documents"]):
        found[meta["passage_id"]] = found.get(meta["passage_id"], ()) + (text,)
    return found


def _array(scores: dict[int, float], size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.float32)
    for i, value in scores.items():
        out[i] = max(value, 0.0)
    return out


def _bm25_model(bm25s, texts: list[str]):
    model = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    model.index(bm25s.tokenize(texts, stopwords="en", stemmer=stemmer(), show_progress=False), show_progress=False)
    return model


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def _spread(scores: np.ndarray) -> np.ndarray:
    """Candidates' scores min-max scaled (the worst candidate 0, the best 1); non-candidates stay 0.
    Fewer than two distinct candidate scores: divided by the best, as for BM25."""
    candidates = scores[scores > 0]
    if candidates.size < 2 or float(candidates.max()) <= float(candidates.min()):
        return _normalised(scores)
    low, top = float(candidates.min()), float(candidates.max())
    return np.where(scores > 0, (scores - low) / (top - low), 0.0)


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


# English contractions typed without their apostrophe, a closed class: restored, never "corrected"
# to the nearest corpus word ("shes taken a pack of tablets" had become "wishes taken ...").
_CONTRACTIONS = {
    "shes": "she's", "hes": "he's", "theyre": "they're", "youre": "you're", "ive": "I've", "theyve": "they've",
    "weve": "we've", "youve": "you've", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't",
    "wont": "won't", "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't", "werent": "weren't", "hasnt": "hasn't",
    "havent": "haven't", "hadnt": "hadn't", "shouldnt": "shouldn't", "couldnt": "couldn't", "wouldnt": "wouldn't",
    "mustnt": "mustn't", "thats": "that's", "whats": "what's", "theres": "there's", "hed": "he'd",
    "theyd": "they'd", "itll": "it'll", "theyll": "they'll", "im": "I'm",
}  # not "shed", "shell", "id": words in their own right


def _correct(question: str, retriever: Retriever) -> str:
    def fix(match: re.Match) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered in _CONTRACTIONS:
            return _CONTRACTIONS[lowered]
        if len(lowered) < 4 or lowered in retriever._known or lowered in vocabulary() or lowered in retriever._english:
            return word
        if stem(lowered) in retriever._known_stems:
            return word  # another form of a word the corpus uses ("competence", "year"): not a typo
        if stem(lowered) in retriever._english:
            return word  # another form of an English word ("roasting"): not a typo of a corpus word ("raising")
        return _closest(lowered, retriever) or word

    return re.sub(r"[A-Za-z]+", fix, question)


@lru_cache(maxsize=4096)
def _closest_cached(word: str, vocabulary: tuple) -> str | None:
    matches = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
    return matches[0] if matches else None


def _closest(word: str, retriever: Retriever) -> str | None:
    return _closest_cached(word, retriever._vocabulary)
