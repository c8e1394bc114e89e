"""``python -m eval calibrate-readers``: 5-fold cross-validation of the learned readers on their own
training examples (``assistant/data/understanding_examples*.yaml``, never eval cases), with the
settings the assistant trains with (``assistant.understand.learned``): accuracy per head, and how
often a reading is confident (at least 0.7) and how accurate it is then.
"""

from __future__ import annotations

import numpy as np

CONFIDENT = 0.7
FOLDS = 5


def cross_validate(embedder) -> list[tuple[str, float, float, float]]:
    """(head, accuracy, share confident, accuracy when confident) for each head."""
    from sklearn.linear_model import LogisticRegression  # deferred: scikit-learn is only for this command
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from assistant.understand.learned import HEADS, REGULARISATION, SEED, load_examples

    examples = load_examples()
    everything = np.asarray(embedder.embed([e.text for e in examples]), dtype=np.float32)
    rows = []
    for head, classes in HEADS.items():
        labelled = [i for i, e in enumerate(examples) if head in e.labels]  # partial heads: their examples
        x = everything[labelled]
        y = np.array([classes.index(examples[i].labels[head]) for i in labelled])
        model = LogisticRegression(C=REGULARISATION, max_iter=2000, class_weight="balanced", random_state=SEED)
        p = cross_val_predict(model, x, y, cv=StratifiedKFold(FOLDS, shuffle=True, random_state=SEED),
                              method="predict_proba")
        predicted, sure = p.argmax(1), p.max(1) >= CONFIDENT
        rows.append((head, float((predicted == y).mean()), float(sure.mean()), float((predicted[sure] == y[sure]).mean())))
    return rows


def report(embedder) -> str:
    from assistant.understand.learned import load_examples

    lines = [f"{len(load_examples())} examples, {FOLDS}-fold cross-validation",
             f"{'head':<8} {'accuracy':>8} {'confident':>9} {'acc@conf':>8}"]
    lines += [f"{h:<8} {a:>8.3f} {c:>9.2f} {ac:>8.3f}" for h, a, c, ac in cross_validate(embedder)]
    return "\n".join(lines)
