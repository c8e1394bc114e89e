"""A cross-encoder trained here, with sentence-transformers: does this sentence answer this question?

An experiment (issue 13), run by ``python -m eval ablation``; nothing in ``build-index`` or the query
path uses it (``eval/ablation.md`` says why). It reads a practitioner's question and one sentence of
the guidance together and gives the probability that the sentence answers it.

Training examples (``examples``), never eval cases or held-out rounds:

* positives: each passage question (``corpus/questions/``) with the sentence holding its anchor, and
  each claim's statement and paraphrases (``assistant/data/claims.yaml``) with each sentence it cites;
* negatives, mined with the embedder: the sentences of other passages closest to the question,
  skipping any the embedder puts closer than the positive itself (a likely unlabelled answer: the
  same rule in another document).

The loss is binary cross-entropy, the positive weighted by the negatives per question, so the score
reads as a probability. Seeded; the model is named by a fingerprint of its base weights, the
training data, this file and the settings below, written to a partial folder and renamed into place.
The query side is ``assistant/retrieve/cross_scorer.py`` (onnxruntime only).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.datafiles import load_yaml
from assistant.indexing import tuning
from assistant.verbatim import normalise_ws

SEED = 20261206
NEGATIVES = 2  # mined negatives per question
RANDOM_NEGATIVES = 1  # and random sentences of other passages: hard negatives alone taught only the prior
MINE_DEPTH = 30  # nearest sentences looked at for negatives
QUESTIONS = 600  # positives (passage questions, claim wordings) sampled for training (the time budget: see eval/ablation.md)
EPOCHS = 1
BATCH_SIZE = 32
LEARNING_RATE = 3e-4
WARMUP_RATIO = 0.1
MAX_WORDPIECES = 64  # question and sentence together (a longer sentence is cut; also at query time)
PREFIX = "cross-minilm-"


@dataclass(frozen=True)
class Example:
    question: str
    sentence: str
    label: float  # 1.0: the sentence answers the question


@dataclass(frozen=True)
class Recipe:
    """What a cross-encoder is trained with; part of its name."""

    questions: int = QUESTIONS
    negatives: int = NEGATIVES
    epochs: int = EPOCHS
    init: str = "base"  # "base": the packaged MiniLM; "tuned": the domain embedder's weights
    learning_rate: float = LEARNING_RATE
    random_negatives: int = RANDOM_NEGATIVES

    def key(self) -> str:
        return (f"q{self.questions}-n{self.negatives}r{self.random_negatives}-e{self.epochs}"
                f"-lr{self.learning_rate:g}-{self.init}")


def _texts(passage, documents: dict) -> list[str]:
    text = documents[passage.doc_id].text
    return [normalise_ws(text[s:e]) for s, e in passage.sentences]


def _holding(anchor: str, sentences: list[str]) -> str:
    """The sentence holding ``anchor``, or the run of sentences it spans ('' if none)."""
    whole = [t for t in sentences if anchor in t]
    if whole:
        return whole[0]
    head, tail = anchor[:40], anchor[-40:]
    return " ".join(t for t in sentences if t and (t in anchor or head in t or tail in t))


def corpus_sentences(passages, documents: dict) -> list[tuple[str, str]]:
    """(passage id, sentence text) for every sentence of every passage, as the index stores them."""
    out = [(p.id, t) for p in passages for t in _texts(p, documents)]
    return [(pid, t) for pid, t in out if len(t.split()) >= 4]


def positives(passages, entries, documents: dict, claims_file: Path = tuning.CLAIMS_FILE) -> list[tuple[str, str, str, str]]:
    """(question, answering sentence, passage id or claim id, "passage" or "claim"), in a fixed order.
    A passage question's sentence is the one of its passage's sentences (as the index splits them)
    that holds its anchor, or the ones the anchor runs across."""
    out = []
    for entry, anchor, passage in tuning.anchored(passages, entries):
        sentence = _holding(anchor, _texts(passage, documents))
        if sentence:
            out.extend((q, sentence, passage.id, "passage") for q in entry.questions)
    for claim in load_yaml(claims_file).get("claims", []):
        quotes = [c["quote"] for c in claim.get("citations", []) if c.get("quote")]
        for wording in [claim["statement"], *claim.get("paraphrases", [])]:
            out.extend((wording, normalise_ws(q), claim["id"], "claim") for q in quotes)
    return out


def examples(pairs, sentences, embedder, recipe: Recipe = Recipe(), seed: int = SEED) -> list[Example]:
    """A seeded sample of ``recipe.questions`` positives (passage questions and claim wordings), each
    with ``recipe.negatives`` hard negatives mined by ``embedder`` from ``sentences`` and
    ``recipe.random_negatives`` random ones."""
    rng = random.Random(seed)
    chosen = rng.sample(list(pairs), min(recipe.questions, len(pairs)))
    texts = [t for _, t in sentences]
    owners = [pid for pid, _ in sentences]
    s_vecs = embedder.embed(texts)
    q_vecs = embedder.embed([p[0] for p in chosen])
    pos_vecs = embedder.embed([p[1] for p in chosen])
    out = []
    for (question, sentence, group, _), qv, pv in zip(chosen, q_vecs, pos_vecs):
        out.append(Example(question, sentence, 1.0))
        sims = s_vecs @ qv
        ceiling = float(pv @ qv)
        taken = 0
        for j in np.argsort(-sims)[:MINE_DEPTH]:
            if taken == recipe.negatives:
                break
            text = texts[j]
            if owners[j] == group or sims[j] >= ceiling or text in sentence or sentence in text:
                continue
            out.append(Example(question, text, 0.0))
            taken += 1
        others = [j for j in range(len(texts)) if owners[j] != group and texts[j] != sentence]
        out.extend(Example(question, texts[j], 0.0) for j in rng.sample(others, min(recipe.random_negatives, len(others))))
    return out


def digest(pairs, recipe: Recipe, base_fingerprint: str, miner: str) -> str:
    """Names a trained model: its base weights, the embedder that mined its negatives, its data,
    this file and its settings."""
    h = hashlib.sha256(f"{base_fingerprint}\0{miner}".encode())
    for pair in pairs:
        h.update("\0".join(pair).encode() + b"\n")
    h.update(Path(__file__).read_bytes())
    h.update(repr((SEED, MINE_DEPTH, BATCH_SIZE, WARMUP_RATIO, MAX_WORDPIECES, recipe)).encode())
    return h.hexdigest()[:12]


def train(base_dir: Path, data: list[Example], target: Path, *, recipe: Recipe = Recipe(), progress: bool = True) -> Path:
    """Train a cross-encoder from the weights in ``base_dir`` on ``data``; save it to ``target`` atomically."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch  # deferred: heavy: training only
    from datasets import Dataset  # deferred: heavy: training only
    from sentence_transformers.cross_encoder import (  # deferred: heavy: training only
        CrossEncoder,
        CrossEncoderTrainer,
        CrossEncoderTrainingArguments,
    )
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss  # deferred: heavy: training only
    from transformers import set_seed  # deferred: heavy: training only
    from transformers.utils import logging as hf_logging  # deferred: heavy: training only

    hf_logging.set_verbosity_error()
    set_seed(SEED)
    random.seed(SEED)
    torch.manual_seed(SEED)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    work = target.with_name(f".{target.name}.{os.getpid()}.work")
    model = CrossEncoder(str(base_dir), num_labels=1, max_length=MAX_WORDPIECES, device="cpu")
    _open_pooler(model.model)
    dataset = Dataset.from_dict({"question": [e.question for e in data], "sentence": [e.sentence for e in data],
                                 "label": [e.label for e in data]})
    args = CrossEncoderTrainingArguments(
        output_dir=str(work), num_train_epochs=recipe.epochs, per_device_train_batch_size=BATCH_SIZE,
        learning_rate=recipe.learning_rate, warmup_steps=WARMUP_RATIO, seed=SEED, data_seed=SEED,
        save_strategy="no", logging_strategy="steps" if progress else "no", logging_steps=25, report_to=[],
        disable_tqdm=not progress, use_cpu=True,
        dataloader_num_workers=0,
    )
    loss = BinaryCrossEntropyLoss(model, pos_weight=torch.tensor(float(recipe.negatives + recipe.random_negatives)))
    trainer = CrossEncoderTrainer(model=model, args=args, train_dataset=dataset, loss=loss)
    try:
        trainer.train()
        model.save(str(partial))
        if target.exists():
            shutil.rmtree(target)
        os.replace(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return target


def _open_pooler(model) -> None:
    """Start BERT's pooler as the identity. The packaged model is a sentence embedder (mean pooling):
    its pooler was never trained and its weights are tiny (mean |w| 0.007), so the pair's [CLS] vector
    reached the new classifier scaled down about 20-fold and a short training learnt nothing (every
    probability 0.56-0.57 after 100 steps: the collapse issue 13 reports)."""
    import torch  # deferred: heavy: training only

    pooler = getattr(getattr(model, "bert", None), "pooler", None)
    if pooler is None:
        return
    with torch.no_grad():
        pooler.dense.weight.copy_(torch.eye(pooler.dense.weight.shape[0]))
        pooler.dense.bias.zero_()


def export_onnx(model_dir: Path, target: Path) -> Path:
    """The trained cross-encoder as ONNX (one logit per pair), atomically. Build time only: loads torch."""
    import torch  # deferred: heavy: export only
    from transformers import AutoModelForSequenceClassification, AutoTokenizer  # deferred: heavy: export only

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    names = ("input_ids", "attention_mask", "token_type_ids")

    class _Logit(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

    sample = tokenizer(["is consent needed"], ["Consent is not always needed."], return_tensors="pt", padding=True)
    target = Path(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with torch.no_grad():
        torch.onnx.export(_Logit(model), tuple(sample[n] for n in names), str(partial), input_names=list(names),
                          output_names=["logits"], dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}},
                          opset_version=17, dynamo=False)
    os.replace(partial, target)
    return target
