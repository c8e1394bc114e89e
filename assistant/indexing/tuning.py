"""The domain embedder: the packaged all-MiniLM-L6-v2 fine-tuned here, with sentence-transformers, on
the wording we already write for the guidance.

Training pairs (``training_pairs``), never eval cases or held-out rounds:

* each passage question (``corpus/questions/``) with the passage it was written for: practitioners'
  words -> the documents' words;
* each myth or claim statement and paraphrase (``assistant/data/claims.yaml``) with the claim's own
  statement and with each sentence it cites, so a myth in new words lands on the sentence that
  answers it;
* each wording of a short answer (``assistant/data/short_answers.yaml``, ``asks``) with the answer's
  line and with one of its quotes in turn, so that wordings of one line draw together and apart
  from other lines' (the opening line is chosen by the closest wording). A fixed tenth of the
  wordings (``held_out``) is never trained on: ``python -m eval calibrate-short-answers`` asks them.

The loss is MultipleNegativesRankingLoss (the other pairs of a batch are the negatives; batches never
hold one text twice). Training is seeded, runs on the CPU at ``make`` time only (``make index`` ->
``build-index``), and its result is named by a fingerprint of everything it depends on: the base
model, the training data, this file and the settings below. A changed fingerprint retrains and, since
the index manifest records the embedder's name, reindexes. The model is written to a partial folder
and renamed into place, so an interrupted training leaves the previous model and index usable.
Queries never import torch or sentence-transformers: the trained model is exported to ONNX and run
like the packaged one (``assistant/indexing/embedder.py``).

``EPOCHS`` was picked on a dev split of the passage questions (``python -m eval tune-embedder``).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant.config import MODEL_MAX_WORDPIECES
from assistant.datafiles import DATA_DIR, load_yaml
from assistant.verbatim import normalise_ws

SEED = 20261206
EPOCHS = 1
BATCH_SIZE = 32
LEARNING_RATE = 5e-5
WARMUP_RATIO = 0.1
MAX_WORDPIECES = 96  # training length: longer texts are cut here while training, not when indexed
CLAIMS_FILE = DATA_DIR / "claims.yaml"
SHORT_ANSWERS_FILE = DATA_DIR / "short_answers.yaml"
HELD_OUT_SHARE = 10  # one wording in this many is kept out of training, for calibration
TUNED_PREFIX = "minilm-tuned-"
WINDOW_CHARS = 240  # a question's positive: the sentences around its anchor, about this long
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


@dataclass(frozen=True)
class Pair:
    anchor: str  # what a practitioner writes
    positive: str  # the text it should land on
    group: str  # what the pair is about: a passage id or a claim id
    kind: str = "passage"  # "passage" (a passage question), "claim" (a claim's wording or quote) or "short"


def anchored(passages, entries):
    """(entry, its normalised anchor, the one passage holding it) for each anchored passage question;
    an anchor found in no passage or in several is skipped, as the index skips it
    (passage_questions.questions_by_passage)."""
    by_doc: dict[str, list] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    for entry in entries:
        anchor = normalise_ws(entry.anchor)
        found = [p for p in by_doc.get(entry.doc_id, ()) if anchor in normalise_ws(p.text)]
        if len(found) == 1:
            yield entry, anchor, found[0]


def held_out(wording: str) -> bool:
    """A fixed tenth of the short answers' wordings, chosen by hash (stable as the file grows), that
    the embedder never trains on, so calibrating the opening rule on them is honest."""
    return int(hashlib.sha256(normalise_ws(wording).lower().encode()).hexdigest(), 16) % HELD_OUT_SHARE == 0


def training_pairs(passages, entries, claims_file: Path = CLAIMS_FILE,
                   short_answers_file: Path = SHORT_ANSWERS_FILE) -> list[Pair]:
    """The pairs the embedder is trained on, in a fixed order. ``entries`` are the anchored passage
    questions (``load_questions``); each question is paired with the sentences around its anchor, the
    words of the passage it was written for (the index embeds sentences as well as passages)."""
    pairs = []
    for entry, anchor, passage in anchored(passages, entries):
        window = around(normalise_ws(passage.text), anchor)
        pairs.extend(Pair(question, window, passage.id) for question in entry.questions)
    for claim in load_yaml(claims_file).get("claims", []):
        wordings = [claim["statement"], *claim.get("paraphrases", [])]
        quotes = [c["quote"] for c in claim.get("citations", []) if c.get("quote")]
        for wording in wordings[1:]:
            pairs.append(Pair(wording, claim["statement"], claim["id"], "claim"))
        # each wording with one of the claim's quotes in turn, as for the short answers below (a claim
        # has more wordings than quotes, so every quote is used): pairing every wording with every
        # quote grows as their product, and the first training must stay within 4 minutes on 2 cores
        for i, wording in enumerate(wordings):
            quote = quotes[i % len(quotes)] if quotes else None
            if quote is not None and quote.strip().lower() != wording.strip().lower():
                pairs.append(Pair(wording, quote, claim["id"], "claim"))
    for answer in load_yaml(short_answers_file).get("short_answers", []):
        quotes = [q["quote"] for q in answer.get("quotes", []) if q.get("quote")]
        trained = [w for w in answer.get("asks", []) if not held_out(w)]
        for i, wording in enumerate(trained):
            pairs.append(Pair(wording, answer["line"], answer["id"], "short"))
            if quotes:
                pairs.append(Pair(wording, quotes[i % len(quotes)], answer["id"], "short"))
    return pairs


def around(text: str, anchor: str, reach: int = WINDOW_CHARS) -> str:
    """The sentence of ``text`` holding ``anchor``, widened by whole sentences up to ``reach`` characters."""
    start = text.index(anchor)
    end = start + len(anchor)
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    left = max(b for b in bounds if b <= start)
    right = min(b for b in bounds if b >= end)
    while right - left < reach:
        wider_left = max((b for b in bounds if b < left), default=None)
        wider_right = min((b for b in bounds if b > right), default=None)
        if wider_left is None and wider_right is None:
            break
        if wider_right is not None and (wider_left is None or wider_right - left <= right - wider_left):
            right = wider_right
        else:
            left = wider_left
    return text[left:right].strip()


def split(pairs: list[Pair], dev_fraction: float = 0.1, seed: int = SEED) -> tuple[list[Pair], list[Pair]]:
    """Train and dev pairs for choosing epochs: a seeded tenth of the passage questions are held out
    (claim pairs always train: they are too few to spare)."""
    rng = random.Random(seed)
    train, dev = [], []
    for pair in pairs:
        held = pair.kind == "passage" and rng.random() < dev_fraction
        (dev if held else train).append(pair)
    return train, dev


def train(base_dir: Path, pairs: list[Pair], target: Path, *, epochs: int = EPOCHS, progress: bool = True) -> Path:
    """Fine-tune the model in ``base_dir`` on ``pairs`` and save it to ``target`` (atomically)."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Threads that wait without spinning: on a busy two-core machine spinning made training 2-3x slower.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch  # deferred: heavy: training only
    from datasets import Dataset  # deferred: heavy: training only
    from sentence_transformers import (  # deferred: heavy: training only
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
        losses,
    )
    from sentence_transformers.training_args import BatchSamplers  # deferred: heavy: training only
    from transformers.utils import logging as hf_logging  # deferred: heavy: training only

    hf_logging.set_verbosity_error()
    random.seed(SEED)
    torch.manual_seed(SEED)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    work = target.with_name(f".{target.name}.{os.getpid()}.work")
    model = SentenceTransformer(str(base_dir), device="cpu")
    model.max_seq_length = MAX_WORDPIECES
    data = Dataset.from_dict({"anchor": [p.anchor for p in pairs], "positive": [p.positive for p in pairs]})
    args = SentenceTransformerTrainingArguments(
        output_dir=str(work),
        num_train_epochs=epochs,
        per_device_train_batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        warmup_ratio=WARMUP_RATIO,
        batch_sampler=BatchSamplers.NO_DUPLICATES,
        seed=SEED,
        data_seed=SEED,
        save_strategy="no",
        logging_strategy="no",
        report_to=[],
        disable_tqdm=not progress,
        use_cpu=True,
        dataloader_num_workers=0,
    )
    trainer = SentenceTransformerTrainer(
        model=model, args=args, train_dataset=data, loss=losses.MultipleNegativesRankingLoss(model)
    )
    try:
        trainer.train()
        model.max_seq_length = MODEL_MAX_WORDPIECES  # read as the packaged model is; only training is cut short
        model.save(str(partial))
        if target.exists():
            shutil.rmtree(target)
        os.replace(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return target
