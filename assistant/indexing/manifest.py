"""What an index is: the model, passage settings and corpus it was built from.

Every index carries this manifest. At load time the expected manifest is computed from the current
corpus, model and code, and a mismatch is refused with a message that says what changed and how to
rebuild (``IndexStale``), rather than answering from passages that no longer match the documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from assistant import verbatim
from assistant.config import MODEL_MAX_WORDPIECES, PASSAGE_MAX_WORDS, PASSAGE_MIN_WORDS
from assistant.ingest import layout, outline, passage_questions, passages
from assistant.ingest.documents import MANIFEST_NAME, Document

FORMAT = 1
# Chroma's vector-index settings. Chroma's defaults gave approximate neighbours that differed from
# an exact search for 70 of 150 eval questions, and between two builds of the same vectors; these
# make the dense search stable. Chroma writes the graph to disk only every ``sync_threshold`` records
# (1,000 by default) and otherwise rebuilds it, on several threads, each time the index is opened: the
# passages (under 1,000) then got a different graph, and a question different candidates, in each new
# process (chroma-core/chroma#2675; the same question answered two ways). Written after every
# couple of records, every process opens the same graph. Part of the manifest: changing them makes an
# index stale.
HNSW = {"hnsw:space": "cosine", "hnsw:M": 32, "hnsw:construction_ef": 200, "hnsw:search_ef": 500,
        "hnsw:sync_threshold": 2}
# The modules whose code decides how documents become passages: editing them changes the passages.
# Named by module object, not by file path, so a module that moves is hashed where it now is (a
# missing module fails at import instead of silently dropping out of the fingerprint). Each is
# keyed by its own name: moving one to another package leaves the fingerprint as it was.
_PASSAGE_CODE = (passages, layout, outline, verbatim)


def package_version() -> str:
    try:
        return version("sharing-guidance-assistant")
    except PackageNotFoundError:  # running from a checkout that was not installed
        return "0+checkout"


def passage_scheme() -> str:
    digest = hashlib.sha256()
    for module in _PASSAGE_CODE:
        name = module.__name__.rpartition(".")[2]
        digest.update(name.encode() + b"\0" + Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def expected_manifest(documents: Sequence[Document], corpus_dir: Path, embedding_model: str) -> dict:
    manifest_file = Path(corpus_dir) / MANIFEST_NAME
    return {
        "format": FORMAT,
        "embedding_model": embedding_model,
        "passages": {
            "scheme": passage_scheme(),
            "min_words": PASSAGE_MIN_WORDS,
            "max_words": PASSAGE_MAX_WORDS,
            "max_wordpieces": MODEL_MAX_WORDPIECES,
        },
        "vector_index": dict(HNSW),
        "corpus": {doc.id: {"file": doc.file, "sha256": doc.sha256} for doc in documents},
        "corpus_manifest_sha256": hashlib.sha256(manifest_file.read_bytes()).hexdigest(),
        "questions": passage_questions.digest(passage_questions.questions_dir(corpus_dir)),
    }


def differences(recorded: dict, expected: dict) -> list[str]:
    """Plain descriptions of why ``recorded`` does not match ``expected`` (empty when it does)."""
    reasons: list[str] = []
    if recorded.get("format") != expected["format"]:
        return ["it was written by an incompatible version of the assistant"]
    if recorded.get("embedding_model") != expected["embedding_model"]:
        reasons.append(
            f"it was built with another embedding model ({recorded.get('embedding_model')})"
        )
    if recorded.get("vector_index") != expected["vector_index"]:
        reasons.append("the vector-index settings have changed")
    if recorded.get("passages") != expected["passages"]:
        reasons.append("the passage settings or the passage-splitting code have changed")
    old, new = recorded.get("corpus", {}), expected["corpus"]
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(d for d in set(old) & set(new) if old[d] != new[d])
    if added:
        reasons.append(f"documents were added ({', '.join(added)})")
    if removed:
        reasons.append(f"documents were removed ({', '.join(removed)})")
    if changed:
        reasons.append(f"documents changed ({', '.join(changed)})")
    if not (added or removed or changed) and recorded.get("corpus_manifest_sha256") != expected[
        "corpus_manifest_sha256"
    ]:
        reasons.append("the corpus manifest changed")
    if recorded.get("questions") != expected["questions"]:
        reasons.append("the questions the passages answer (the corpus's questions folder) changed")
    return reasons
