"""The cross-encoder experiment (issue 13): train on demand (cached), and try it in three places.

``ready`` trains the model of ``assistant/indexing/cross_encoder.py`` when its fingerprint is not in
the cache folder and exports it to ONNX. ``apply`` puts it into a loaded ``Assistant`` for one of
the uses the ablation scores (``eval/ablation.py``):

* ``rerank``: the hybrid's top ``RERANK_DEPTH`` passages reordered by their fused score plus
  ``RERANK_WEIGHT`` times the best cross-encoder probability of one of their sentences;
* ``quotes``: a sentence's cross-encoder probability counts beside its cosine in the quote choice
  (``SentencePicker.pick``'s ``meaning``);
* ``scope``: the best probability over the top passages' sentences as a further scope signal: a
  question the rules find in scope is declined below ``SCOPE_VETO``, one they decline is answered
  at or above ``SCOPE_ACCEPT``.

These uses live here, not in ``assistant/``, because none of them earned a place in the product
(``eval/ablation.md``).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np

from assistant.indexing import cross_encoder as ce
from assistant.retrieve.cross_scorer import OnnxCrossScorer
from assistant.verbatim import normalise_ws

USES = ("rerank", "quotes", "scope")
RERANK_DEPTH = 10
RERANK_WEIGHT = 0.5
QUOTE_WEIGHT = 1.0
SCOPE_VETO = 0.05
SCOPE_ACCEPT = 0.9


def ready(settings, cache_dir: Path, embedder, recipe: ce.Recipe = ce.Recipe(), progress: bool = True):
    """The trained scorer for ``recipe`` (training it first if the cache lacks it) and what it cost:
    seconds mining and training (when it trained now), the ONNX file's size."""
    from assistant.indexing import models
    from assistant.indexing.embedder import model_fingerprint, packaged_model_dir
    from assistant.ingest.documents import load_documents
    from assistant.ingest.passage_questions import load_questions, questions_dir
    from assistant.ingest.passages import build_passages

    documents = {d.id: d for d in load_documents(settings.corpus_dir)}
    passages = build_passages(documents.values())
    pairs = ce.positives(passages, load_questions(questions_dir(settings.corpus_dir)), documents)
    base = packaged_model_dir() if recipe.init == "base" else models.tuned_paths(settings.with_(embedder="tuned"))[0]
    name = f"{ce.PREFIX}{recipe.key()}-{ce.digest(pairs, recipe, model_fingerprint(), embedder.name)}"
    folder, onnx_file = Path(cache_dir) / name, Path(cache_dir) / f"{name}.onnx"
    seconds = {}
    if not onnx_file.exists():
        started = time.perf_counter()
        data = ce.examples(pairs, ce.corpus_sentences(passages, documents), embedder, recipe)
        seconds["mine"] = round(time.perf_counter() - started, 1)
        if progress:
            print(f"Training the cross-encoder on {len(data)} pairs ({recipe.key()})", flush=True)
        started = time.perf_counter()
        ce.train(base, data, folder, recipe=recipe, progress=progress)
        seconds["train"] = round(time.perf_counter() - started, 1)
        ce.export_onnx(folder, onnx_file)
    info = {"recipe": recipe.key(), "seconds": seconds, "onnx_mb": round(onnx_file.stat().st_size / 1e6, 1)}
    return OnnxCrossScorer(onnx_file, folder), info


def _sentences(passage, documents) -> list[tuple[int, str]]:
    text = documents[passage.doc_id].text
    out = [(j, normalise_ws(text[s:e])) for j, (s, e) in enumerate(passage.sentences)]
    return [(j, t) for j, t in out if len(t.split()) >= 4]


def passage_scores(scorer, question: str, passages, documents) -> list[float]:
    """The best cross-encoder probability of each passage's sentences (0 for a passage without one)."""
    spans = [_sentences(p, documents) for p in passages]
    flat = [t for sents in spans for _, t in sents]
    probs = scorer.score(question, flat) if flat else np.zeros(0)
    out, at = [], 0
    for sents in spans:
        out.append(float(probs[at : at + len(sents)].max()) if sents else 0.0)
        at += len(sents)
    return out


def reranked(hits, probs, k: int, weight: float = RERANK_WEIGHT):
    """``hits`` reordered by fused score + ``weight`` x cross-encoder probability; the first ``k``."""
    order = sorted(range(len(hits)), key=lambda i: -(hits[i].score + weight * probs[i]))[:k]
    return [dataclasses.replace(hits[i], rank=n + 1) for n, i in enumerate(order)]


def apply(assistant, scorer, use: str) -> None:
    """Put the cross-encoder into ``assistant`` for ``use`` (one of ``USES``)."""
    if use not in USES:
        raise ValueError(f"unknown use {use!r}")
    documents = assistant.documents
    if use == "rerank":
        search = assistant.retriever.search

        def rerank_search(question, k=5, **kw):
            hits = search(question, k=max(k, RERANK_DEPTH), **kw)
            probs = passage_scores(scorer, kw.get("corrected") or question, [h.passage for h in hits], documents)
            return reranked(hits, probs, k)

        assistant.retriever.search = rerank_search
    elif use == "quotes":
        picker = assistant.guidance.picker
        pick = picker.pick

        def ce_pick(question, passage, doc_text, limit=2, meaning=(), at_risk=False):
            sents = _sentences(passage, documents)
            probs = scorer.score(question, [t for _, t in sents])
            close = dict(meaning)
            for (j, _), p in zip(sents, probs):
                close[j] = close.get(j, 0.0) + QUOTE_WEIGHT * float(p)
            return pick(question, passage, doc_text, limit=limit, meaning=tuple(close.items()), at_risk=at_risk)

        picker.pick = ce_pick
    elif use == "scope":
        scope = assistant.scope
        in_scope = scope.in_scope
        top_k = assistant.settings.top_k

        def ce_in_scope(question, hits):
            ruled = in_scope(question, hits)
            if not hits:
                return ruled
            best = max(passage_scores(scorer, question, [h.passage for h in hits[:top_k]], documents))
            return best >= SCOPE_VETO if ruled else best >= SCOPE_ACCEPT

        scope.in_scope = ce_in_scope
