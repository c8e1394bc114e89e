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
# The recipe scored: the only one tried here that learnt at all (three epochs, about 5 min 20 s of
# training on two cores; the one-epoch runs in the 70-second budget stayed at the constant predictor).
RECIPE = ce.Recipe(questions=800, negatives=2, random_negatives=1, epochs=3, learning_rate=1e-4)
RERANK_DEPTH = 8
SENTENCES_PER_PASSAGE = 3  # a passage's sentences scored: the cost is about 10 ms a pair on two cores
RERANK_WEIGHT = 0.5
QUOTE_WEIGHT = 1.0
SCOPE_VETO = 0.05
SCOPE_ACCEPT = 0.9


def ready(settings, cache_dir: Path, embedder, recipe: ce.Recipe = RECIPE, progress: bool = True):
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


def _sentences(passage, documents, nearest=(), limit: int | None = None) -> list[tuple[int, str]]:
    """(position, text) of a passage's sentences of four words or more; with ``limit``, only that
    many, the ones nearest the question first (``nearest``: ``Hit.sentences``), then in order."""
    text = documents[passage.doc_id].text
    out = [(j, normalise_ws(text[s:e])) for j, (s, e) in enumerate(passage.sentences)]
    out = [(j, t) for j, t in out if len(t.split()) >= 4]
    if limit is None:
        return out
    close = dict(nearest)
    return sorted(out, key=lambda item: (-close.get(item[0], -1.0), item[0]))[:limit]


def passage_scores(scorer, question: str, hits, documents, limit: int | None = SENTENCES_PER_PASSAGE) -> list[float]:
    """The best cross-encoder probability of each hit's sentences (its ``limit`` nearest; 0 for a
    passage without one)."""
    spans = [_sentences(h.passage, documents, getattr(h, "sentences", ()), limit) for h in hits]
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
            probs = passage_scores(scorer, kw.get("corrected") or question, hits, documents)
            return reranked(hits, probs, k)

        assistant.retriever.search = rerank_search
    elif use == "quotes":
        picker = assistant.guidance.picker
        pick = picker.pick

        def ce_pick(question, passage, doc_text, limit=2, meaning=(), **options):
            sents = _sentences(passage, documents, meaning, SENTENCES_PER_PASSAGE)
            probs = scorer.score(question, [t for _, t in sents])
            close = dict(meaning)
            for (j, _), p in zip(sents, probs):
                close[j] = close.get(j, 0.0) + QUOTE_WEIGHT * float(p)
            return pick(question, passage, doc_text, limit=limit, meaning=tuple(close.items()), **options)

        picker.pick = ce_pick
    elif use == "scope":
        scope = assistant.scope
        in_scope = scope.in_scope
        top_k = assistant.settings.top_k

        def ce_in_scope(question, hits):
            ruled = in_scope(question, hits)
            if not hits:
                return ruled
            best = max(passage_scores(scorer, question, hits[:top_k], documents))
            return best >= SCOPE_VETO if ruled else best >= SCOPE_ACCEPT

        scope.in_scope = ce_in_scope


def report(settings, cache_dir: Path, recipe: ce.Recipe = RECIPE, progress: bool = True) -> str:
    """``python -m eval cross-encoder``: the trained model's figures on the shipped and held-out
    retrieval and out-of-scope cases, for several weights: reranking (hit@1, hit@5, MRR of the top 5),
    quote choice (the first quote / any quote holds an expected phrase), the scope signal (AUC of the
    best probability, in-scope against out-of-scope, beside the embedder's cosine) and its cost."""
    global QUOTE_WEIGHT
    saved = QUOTE_WEIGHT
    from assistant import Assistant
    from assistant.indexing import models
    from eval.cases import out_of_scope_cases, retrieval_cases
    from eval.retrieval import contains_any, first_hit

    assistant = Assistant.load(settings)
    scorer, info = ready(settings, cache_dir, models.load(settings), recipe, progress=progress)
    documents, retriever, guidance = assistant.documents, assistant.retriever, assistant.guidance
    heldout = Path(__file__).resolve().parent / "heldout"
    sets = {"shipped": (retrieval_cases(), out_of_scope_cases()),
            "held-out": (retrieval_cases(heldout), out_of_scope_cases(heldout))}
    lines = [f"cross-encoder {info}"]
    spent, scored = 0.0, 0
    for name, (cases, outside) in sets.items():
        searched = [(c, retriever.search(c["question"], k=RERANK_DEPTH)) for c in cases]
        probs = []
        for c, hits in searched:
            started = time.perf_counter()
            probs.append(passage_scores(scorer, c["question"], hits, documents))
            spent, scored = spent + time.perf_counter() - started, scored + 1
        for weight in (0.0, 0.25, 0.5, 1.0, 100.0):
            ranks = [first_hit([f"{h.passage.section} {h.passage.text}" for h in reranked(hits, p, 5, weight)],
                               c["expect_phrases"]) for (c, hits), p in zip(searched, probs)]
            n = len(ranks)
            lines.append(f"{name:<9} rerank weight {weight:<5g} hit@1 {sum(r == 1 for r in ranks) / n:.3f}  "
                         f"hit@5 {sum(r is not None for r in ranks) / n:.3f}  MRR {sum(1 / r for r in ranks if r) / n:.3f}")
        signal = {}
        for label, group in (("in", cases), ("out", outside)):
            rows = []
            for c in group:
                hits = retriever.search(c["question"], k=assistant.settings.top_k)
                rows.append((max(passage_scores(scorer, c["question"], hits, documents), default=0.0),
                             hits[0].guidance.dense if hits else 0.0))
            signal[label] = np.array(rows)
        for j, what in ((0, "cross-encoder"), (1, "embedder cosine")):
            auc = np.mean([(a > b) + 0.5 * (a == b) for a in signal["in"][:, j] for b in signal["out"][:, j]])
            lines.append(f"{name:<9} scope AUC {what}: {auc:.3f}")
        for t in (SCOPE_VETO, 0.2, 0.5, SCOPE_ACCEPT):
            lines.append(f"{name:<9} probability >= {t:g}: in-scope kept {np.mean(signal['in'][:, 0] >= t):.3f}, "
                         f"out-of-scope below {np.mean(signal['out'][:, 0] < t):.3f}")
        top = [(c, retriever.search(c["question"], k=settings.top_k)) for c in cases]
        pick = guidance.picker.pick
        for weight in (0.0, 1.0, 3.0):
            QUOTE_WEIGHT = weight
            if weight:
                apply(assistant, scorer, "quotes")
            first = anywhere = 0
            for c, hits in top:
                texts = [q.text for q in guidance.quotes(c["question"], hits)]
                first += bool(texts) and contains_any(texts[0], c["expect_phrases"])
                anywhere += any(contains_any(t, c["expect_phrases"]) for t in texts)
            guidance.picker.pick = pick
            lines.append(f"{name:<9} quote weight {weight:<3g} first quote {first / len(top):.3f}  any quote {anywhere / len(top):.3f}")
        if progress:
            print("\n".join(lines[-20:]), flush=True)
    QUOTE_WEIGHT = saved
    lines.append(f"cost: {1000 * spent / max(scored, 1):.0f} ms a question to score the top {RERANK_DEPTH} passages' "
                 f"{SENTENCES_PER_PASSAGE} nearest sentences")
    return "\n".join(lines)
