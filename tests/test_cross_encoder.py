"""The cross-encoder experiment (issue 13): its training data, and its three uses with a fake scorer.

The scorer is a deterministic fake (shared words of question and sentence), so each use's effect can
be checked exactly; the trained model itself is exercised by ``python -m eval ablation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pytest

from assistant.indexing import cross_encoder as ce
from assistant.ingest.documents import load_documents
from assistant.ingest.passage_questions import load_questions, questions_dir
from assistant.ingest.passages import build_passages
from assistant.retrieve.cross_scorer import CrossScorer
from eval import cross_encoder as use

_WORD = re.compile(r"[a-z]+")


class WordScorer:
    """Probability = share of the question's words the sentence holds: deterministic, tells texts apart."""

    def __init__(self) -> None:
        self.calls = 0

    def score(self, question, sentences):
        self.calls += 1
        asked = set(_WORD.findall(question.lower()))
        return np.array([len(asked & set(_WORD.findall(s.lower()))) / max(len(asked), 1) for s in sentences],
                        dtype=np.float32)


@pytest.fixture(scope="module")
def corpus(request):
    from assistant.config import PROJECT_ROOT

    documents = {d.id: d for d in load_documents(PROJECT_ROOT / "corpus")}
    passages = build_passages(documents.values())
    entries = load_questions(questions_dir(PROJECT_ROOT / "corpus"))
    return documents, passages, entries


def test_fake_scorer_fits_the_seam():
    scorer: CrossScorer = WordScorer()
    assert scorer.score("consent to share", ["share with consent", "the weather"]).tolist() == [pytest.approx(2 / 3), 0.0]


def test_positives_pair_each_question_with_the_sentence_holding_its_anchor(corpus):
    documents, passages, entries = corpus
    pairs = ce.positives(passages, entries, documents)
    by_id = {p.id: p for p in passages}
    passage_pairs = [p for p in pairs if p[3] == "passage"]
    assert len(passage_pairs) > 1500 and any(p[3] == "claim" for p in pairs)
    for question, sentence, group, _ in passage_pairs:
        passage = by_id[group]
        texts = ce._texts(passage, documents)
        assert sentence in texts or all(part in passage.text for part in texts if part in sentence)
        assert len(sentence) < len(passage.text) or len(passage.sentences) == 1


def test_negatives_are_mined_from_other_passages_and_never_the_positive(corpus, fake_embedder):
    documents, passages, entries = corpus
    pairs = ce.positives(passages, entries, documents)
    sentences = ce.corpus_sentences(passages, documents)
    recipe = ce.Recipe(questions=40, negatives=3)
    data = ce.examples(pairs, sentences, fake_embedder, recipe)
    assert data == ce.examples(pairs, sentences, fake_embedder, recipe)  # seeded
    owner = {text: pid for pid, text in sentences}
    positives = [e for e in data if e.label == 1.0]
    assert len(positives) == 40
    groups = {(q, s): g for q, s, g, _ in pairs}
    for example in data:
        if example.label == 0.0:
            positive = next(p for p in positives if p.question == example.question)
            assert example.sentence != positive.sentence
            assert owner[example.sentence] != groups[(positive.question, positive.sentence)]
    assert sum(e.label == 0.0 for e in data) > 40  # most questions get several negatives


def test_the_name_changes_with_the_recipe_and_the_data():
    pairs = [("q", "s", "p1", "passage")]
    name = ce.digest(pairs, ce.Recipe(), "base@1", "miner@1")
    assert name == ce.digest(pairs, ce.Recipe(), "base@1", "miner@1")
    assert name != ce.digest(pairs, ce.Recipe(negatives=5), "base@1", "miner@1")
    assert name != ce.digest(pairs + [("q2", "s", "p1", "passage")], ce.Recipe(), "base@1", "miner@1")
    assert name != ce.digest(pairs, ce.Recipe(), "base@1", "miner@2")


@dataclass(frozen=True)
class _Hit:
    passage: object
    score: float
    rank: int
    sentences: tuple = ()


def test_rerank_blends_the_fused_score_with_the_probability():
    hits = [_Hit("a", 1.0, 1), _Hit("b", 0.9, 2), _Hit("c", 0.5, 3)]
    assert [h.passage for h in use.reranked(hits, [0.0, 0.0, 0.0], 3)] == ["a", "b", "c"]
    out = use.reranked(hits, [0.0, 0.4, 1.0], 2, weight=0.6)
    assert [(h.passage, h.rank) for h in out] == [("b", 1), ("c", 2)]  # 1.0, 1.14, 1.1
    out = use.reranked(hits, [0.0, 0.4, 1.0], 3, weight=0.0)
    assert [h.passage for h in out] == ["a", "b", "c"]


def test_passage_scores_are_the_best_of_each_passages_nearest_sentences(corpus):
    documents, passages, _ = corpus
    scorer = WordScorer()
    chosen = [p for p in passages if len(p.sentences) >= 5][:3]
    last = len(chosen[0].sentences) - 1
    asked = documents[chosen[0].doc_id].text[slice(*chosen[0].sentences[last])]
    hits = [_Hit(p, 1.0, n) for n, p in enumerate(chosen, 1)]
    assert use.passage_scores(scorer, asked, hits, documents, limit=None)[0] == pytest.approx(1.0)
    assert use.passage_scores(scorer, asked, hits, documents, limit=2)[0] < 1.0  # the last sentence is not scored ...
    near = [_Hit(chosen[0], 1.0, 1, sentences=((last, 0.9),))] + hits[1:]
    scores = use.passage_scores(scorer, asked, near, documents, limit=2)  # ... unless it is near the question
    assert scores[0] == pytest.approx(1.0) and max(scores[1:]) <= 1.0
    assert scorer.calls == 3  # one batch for all the passages' sentences


def test_apply_rejects_an_unknown_use():
    with pytest.raises(ValueError):
        use.apply(object(), WordScorer(), "claims")
