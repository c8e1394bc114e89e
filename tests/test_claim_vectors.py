"""The claim-vector cache: written on the first build, read (without embedding) on the next, never read
for other claims or another model, and invisible in the matcher's results."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml
from fakes import HashingEmbedder

from assistant import arrays
from assistant.myths import claim_vectors
from assistant.myths.claims import CLAIMS_FILE, _load, load_claims
from assistant.myths.matcher import ClaimMatcher

QUESTIONS = [
    "GDPR stops me sharing information about children.",
    "Don't I always need the parents' consent before I share anything?",
    "Data protection law is not a barrier to sharing",
    "confidential means i can't tell anyone",
    "I must record my decision and the reasons for it",
    "What does the guidance say about consent?",
]


class Counting:
    """Wraps an embedder and counts the texts it is asked to embed."""

    def __init__(self, inner, name: str | None = None) -> None:
        self.inner = inner
        self.name = name or inner.name
        self.dimension = inner.dimension
        self.texts = 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.inner.embed(texts)


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("claims-*.npy"))


def _claim_texts(claims) -> int:
    return sum(1 + len(c.paraphrases) for c in claims)


def test_first_build_writes_the_cache_and_the_second_reads_it_without_embedding(tmp_path):
    first = Counting(HashingEmbedder())
    built = ClaimMatcher(first, cache_dir=tmp_path)
    files = _cache_files(tmp_path)
    assert len(files) == 1 and first.texts == _claim_texts(load_claims())
    assert not [p for p in tmp_path.iterdir() if p not in files], "no temporary file is left behind"

    second = Counting(HashingEmbedder())
    reused = ClaimMatcher(second, cache_dir=tmp_path)
    assert second.texts == 0
    assert np.array_equal(reused._matrix, built._matrix) and reused._matrix.dtype == np.float32
    assert _cache_files(tmp_path) == files


def test_results_are_identical_with_and_without_the_cache(tmp_path):
    embedder = HashingEmbedder()
    plain = ClaimMatcher(embedder)
    ClaimMatcher(embedder, cache_dir=tmp_path)  # writes
    cached = ClaimMatcher(embedder, cache_dir=tmp_path)  # reads
    questions = QUESTIONS + [c.statement for c in load_claims()]
    found = [plain.match(q) for q in questions]
    assert any(m is not None for m in found)
    assert [cached.match(q) for q in questions] == found


def test_an_edit_to_the_claims_file_is_never_served_stale_vectors(tmp_path):
    ClaimMatcher(HashingEmbedder(), cache_dir=tmp_path / "cache")
    data = yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))
    data["claims"][0]["paraphrases"][0] += " at all"
    edited = tmp_path / "claims.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    claims = _load(edited)[1]

    counting = Counting(HashingEmbedder())
    matcher = ClaimMatcher(counting, claims=claims, cache_dir=tmp_path / "cache")
    assert counting.texts == _claim_texts(claims)
    assert len(_cache_files(tmp_path / "cache")) == 2
    assert np.array_equal(matcher._matrix, ClaimMatcher(HashingEmbedder(), claims=claims)._matrix)


def test_another_embedder_name_gets_its_own_cache(tmp_path):
    ClaimMatcher(HashingEmbedder(), cache_dir=tmp_path)
    other = Counting(HashingEmbedder(), name="another-model/v2")
    ClaimMatcher(other, cache_dir=tmp_path)
    assert other.texts > 0 and len(_cache_files(tmp_path)) == 2


def test_a_claim_text_change_of_the_same_count_changes_the_key():
    claims = load_claims()
    texts = [t for c in claims for t in (c.statement, *c.paraphrases)]
    changed = dataclasses.replace(claims[0], statement=claims[0].statement + "!")
    changed_texts = [t for c in (changed, *claims[1:]) for t in (c.statement, *c.paraphrases)]
    key = claim_vectors.cache_file(Path("x"), texts, "m")
    assert key != claim_vectors.cache_file(Path("x"), changed_texts, "m")
    assert key != claim_vectors.cache_file(Path("x"), ["".join(texts[:2]), *texts[2:]], "m")
    assert key == claim_vectors.cache_file(Path("x"), list(texts), "m")


@pytest.mark.parametrize("bad", [np.zeros((3, 384), dtype=np.float32), np.zeros((0,), dtype=np.float32), None])
def test_a_wrong_shaped_or_broken_file_is_embedded_again_and_replaced(tmp_path, bad):
    embedder = HashingEmbedder()
    texts = ["one claim", "another claim"]
    path = claim_vectors.cache_file(tmp_path, texts, embedder.name)
    if bad is None:
        path.write_bytes(b"not an npy file")
    else:
        np.save(path, bad)
    vectors = claim_vectors.claim_vectors(embedder, texts, tmp_path)
    assert np.array_equal(vectors, embedder.embed(texts))
    assert np.array_equal(np.load(path), vectors)


def test_an_unwritable_cache_directory_only_skips_writing(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    matcher = ClaimMatcher(HashingEmbedder(), cache_dir=blocked / "cache")  # mkdir fails
    assert matcher.match(QUESTIONS[0]) is not None

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(arrays.tempfile, "NamedTemporaryFile", refuse)
    counting = Counting(HashingEmbedder())
    ClaimMatcher(counting, cache_dir=tmp_path / "read-only")
    assert counting.texts > 0 and _cache_files(tmp_path / "read-only") == []


def test_an_embedder_without_a_name_is_never_cached(tmp_path):
    class Anonymous:
        dimension = 384

        def embed(self, texts):
            return HashingEmbedder().embed(texts)

    ClaimMatcher(Anonymous(), cache_dir=tmp_path)
    assert _cache_files(tmp_path) == []
