"""Choosing the domain embedder's epochs (``python -m eval tune-embedder``).

Trains on nine tenths of the passage questions (and all claim wording) for each number of epochs
asked, and scores dense retrieval, a passage counting the best of its own text and its training
questions, on:

* the held-out tenth of the passage questions (the dev split: the passage each was written for);
* ``eval/cases/retrieval.yaml`` and ``eval/heldout/retrieval.yaml`` (expected phrases), which the
  embedder never trains on.

The base model is scored the same way as the first row. Training happens in a temporary folder; the
shipped model is trained by ``build-index`` with ``assistant.indexing.tuning.EPOCHS``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.indexing import tuning
from assistant.indexing.embedder import packaged_model_dir
from eval.cases import retrieval_cases
from eval.retrieval import first_hit

EVAL_DIR = Path(__file__).resolve().parent


def _scores(model, passages, questions, cases):
    """hit@1, hit@5 of dense retrieval for each (question, expected) in cases, where expected is a
    passage id or a list of phrases."""
    texts = [p.index_text for p in passages]
    p_vecs = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    owners, q_texts = [], []
    for i, p in enumerate(passages):
        for q in questions.get(p.id, ()):
            owners.append(i)
            q_texts.append(q)
    q_vecs = model.encode(q_texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    asked = model.encode([c[0] for c in cases], batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    best = asked @ p_vecs.T
    by_question = asked @ q_vecs.T
    owners = np.array(owners)
    for j in range(len(passages)):
        cols = np.where(owners == j)[0]
        if len(cols):
            best[:, j] = np.maximum(best[:, j], by_question[:, cols].max(axis=1))
    ranks = []
    for row, (_, expected) in zip(best, cases):
        order = np.argsort(-row)[:5]
        if isinstance(expected, str):
            hit = [k for k, j in enumerate(order, 1) if passages[j].id == expected]
            ranks.append(hit[0] if hit else None)
        else:
            ranks.append(first_hit([passages[j].section + " " + passages[j].text for j in order], expected))
    n = max(len(cases), 1)
    return sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n


def report(settings, epochs_list=(1, 2, 3), with_base: bool = True) -> str:
    from sentence_transformers import SentenceTransformer  # deferred: heavy: training only

    from assistant.ingest.documents import load_documents
    from assistant.ingest.passages import build_passages
    from assistant.ingest.passage_questions import load_questions, questions_by_passage, questions_dir

    passages = build_passages(load_documents(settings.corpus_dir))
    entries = load_questions(questions_dir(settings.corpus_dir))
    questions = questions_by_passage(passages, entries)
    pairs = tuning.training_pairs(passages, entries)
    train, dev = tuning.split(pairs)
    dev_set = {(p.anchor, p.group) for p in dev}
    train_questions = {pid: tuple(q for q in qs if (q, pid) not in dev_set) for pid, qs in questions.items()}
    sets = {
        "dev split (passage questions)": [(p.anchor, p.group) for p in dev],
        "eval/cases/retrieval.yaml": [(c["question"], c["expect_phrases"]) for c in retrieval_cases()],
        "eval/heldout/retrieval.yaml": [(c["question"], c["expect_phrases"]) for c in retrieval_cases(EVAL_DIR / "heldout")],
    }
    lines = [f"{len(train)} training pairs, {len(dev)} dev questions; dense retrieval, best of passage and its training questions",
             f"{'model':<16} {'seconds':>7} " + " ".join(f"{name[:28]:>30}" for name in sets),
             f"{'':<16} {'':>7} " + " ".join(f"{'hit@1  hit@5':>30}" for _ in sets)]
    base = packaged_model_dir()
    models = [("base", 0)] * with_base + [(f"tuned {e} epoch{'s' if e > 1 else ''}", e) for e in epochs_list]
    with tempfile.TemporaryDirectory() as tmp:
        for name, epochs in models:
            started = time.perf_counter()
            path = base if not epochs else tuning.train(base, train, Path(tmp) / f"e{epochs}", epochs=epochs)
            seconds = time.perf_counter() - started
            model = SentenceTransformer(str(path), device="cpu")
            cells = [_scores(model, passages, train_questions, cases) for cases in sets.values()]
            lines.append(f"{name:<16} {seconds:>7.0f} " + " ".join(f"{h1:>23.3f} {h5:>6.3f}" for h1, h5 in cells))
            print(lines[-1], flush=True)
    return "\n".join(lines)
