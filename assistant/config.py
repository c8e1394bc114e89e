"""Settings, read from the environment in exactly one place (``Settings.from_env``).

Everything else receives a ``Settings``; tests build their own with ``Settings(...)`` or
``Settings.from_env(environ={...})``. Importing this module loads nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.errors import BadInput

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Passage settings: part of the index manifest, so changing them makes an index stale.
PASSAGE_MIN_WORDS = 60
PASSAGE_MAX_WORDS = 200
# all-MiniLM-L6-v2 reads at most 256 word-pieces; passages longer than this are split.
MODEL_MAX_WORDPIECES = 256
COLLECTION_NAME = "guidance_passages"


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadInput(f"{name} must be a whole number, not {raw!r}") from None


def _choice(environ: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = environ.get(name, "").strip().lower() or choices[0]
    if raw not in choices:
        raise BadInput(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def _flag(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise BadInput(f"{name} must be 1 or 0, not {raw!r}")


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    data_dir: Path = PROJECT_ROOT / "var"  # feedback and other files the app writes
    model_cache_dir: Path = PROJECT_ROOT / "index" / "model"  # the ONNX export of the packaged model
    top_k: int = 5
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_timeout_s: float = 5.0
    max_question_chars: int = 2000
    embed_batch_size: int = 32
    embedder: str = "tuned"  # "tuned": the domain model trained at build time; "base": the packaged model
    # The Documents page may add files to the corpus (ASSISTANT_ALLOW_UPLOAD=1). Off by default: anyone
    # who can open the app could otherwise change what every practitioner is quoted.
    allow_upload: bool = False

    @property
    def uses_server(self) -> bool:
        return bool(self.chroma_host)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        root = PROJECT_ROOT
        return cls(
            corpus_dir=Path(env.get("ASSISTANT_CORPUS_DIR", str(root / "corpus"))),
            index_dir=Path(env.get("ASSISTANT_INDEX_DIR", str(root / "index"))),
            data_dir=Path(env.get("ASSISTANT_DATA_DIR", str(root / "var"))),
            model_cache_dir=Path(env.get("ASSISTANT_MODEL_CACHE", str(root / "index" / "model"))),
            top_k=_int(env, "ASSISTANT_TOP_K", 5),
            chroma_host=(env.get("CHROMA_HOST") or "").strip() or None,
            chroma_port=_int(env, "CHROMA_PORT", 8000),
            embedder=_choice(env, "ASSISTANT_EMBEDDER", ("tuned", "base")),
            allow_upload=_flag(env, "ASSISTANT_ALLOW_UPLOAD"),
        )


def offline_environment() -> None:
    """Make sure no library tries to reach a model hub or send telemetry.

    Called by the code paths that load heavy libraries, before importing them. It only sets
    variables that are not already set, so a caller can still override them.
    """
    for key, value in {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "CHROMA_TELEMETRY": "False",
        "TOKENIZERS_PARALLELISM": "false",
        # onnxruntime (imported by chromadb and the embedder) otherwise keeps a device id and a
        # telemetry event database under ~/.cache/Microsoft and a session file in the temp folder.
        "ORT_DISABLE_TELEMETRY": "1",
    }.items():
        if key not in os.environ:
            os.environ[key] = value
