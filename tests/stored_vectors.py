"""Reusing the vectors of an index already built with the real model, so a second build of the same
texts (on a Chroma server, or of a corpus with one more document) costs only what is new."""

from __future__ import annotations

import numpy as np


class StoredVectors:
    """The real model's name, and the vectors the session's embedded index already holds for each text
    it embedded: the server build then uploads exactly the same vectors, so the comparison is of the
    two stores, and the second build costs only the upload."""

    def __init__(self, index, model) -> None:
        self.name, self.dimension, self.model = model.name, model.dimension, model
        passages = index.collection.get(include=["embeddings", "metadatas"])
        sentences = index.sentences.get(include=["embeddings", "documents"])
        self.vectors = dict(zip((m["index_text"] for m in passages["metadatas"]), passages["embeddings"]))
        self.vectors.update(zip(sentences["documents"], sentences["embeddings"]))
        self.misses = 0

    def embed(self, texts):
        missing = [t for t in texts if t not in self.vectors]
        self.misses += len(missing)
        if missing:
            self.vectors.update(zip(missing, self.model.embed(missing)))
        return np.asarray([self.vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), self.dimension)
