"""Adding a document from the Documents page: the same code path and checks as ``add-document``.

The page only draws: ``read_upload`` reads the uploaded bytes through ``assistant.ingest.readers``
(refusing what the command line refuses, in the same one line) and says what to show for review:
the text that would be stored, the sections found in it and the suggested details.
``add_upload`` then calls ``assistant.indexing.changes.add_document``, reporting the rebuild's
progress to the page's bar. Shown only when ``Settings.allow_upload`` (``ASSISTANT_ALLOW_UPLOAD=1``).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.indexing.changes import ChangeReport, add_document
from assistant.indexing import models
from assistant.ingest.adding import ORDER, Details, suggested_details
from assistant.ingest.documents import Document, load_documents
from assistant.ingest.passages import passages_for
from assistant.ingest.readers import SUPPORTED, Extracted, read_document

UPLOAD_TYPES = [suffix.lstrip(".") for suffix in SUPPORTED]


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    extracted: Extracted
    suggested: dict  # detail -> suggested value (or None), in the order the form shows them
    sections: tuple[str, ...]  # the sections the text is cut into, as citations will name them
    passages: int


def read_upload(settings: Settings, name: str, data: bytes) -> Upload:
    """Read an uploaded file as ``add-document`` would; raises ``BadDocument`` with the same line."""
    with tempfile.TemporaryDirectory(prefix="assistant-upload-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        extracted = read_document(path)
    suggested = suggested_details(extracted, {doc.id for doc in load_documents(settings.corpus_dir)})
    passages = passages_for(_draft(extracted))
    sections = tuple(dict.fromkeys(p.section for p in passages if p.section))
    return Upload(Path(name).name, data, extracted, suggested, sections, len(passages))


def add_upload(settings: Settings, upload: Upload, values: Mapping[str, str],
               progress: Callable[[int, int], None] | bool = False, embedder=None) -> ChangeReport:
    """Add the upload with the details the form holds, and rebuild the index (both or neither)."""
    details = Details(**{key: str(values.get(key) or "").strip() for key in ORDER})
    with tempfile.TemporaryDirectory(prefix="assistant-upload-") as folder:
        path = Path(folder) / upload.name
        path.write_bytes(upload.data)
        embedder = embedder or models.load(settings)
        return add_document(settings, path, upload.extracted, details, embedder, progress=progress)


def _draft(extracted: Extracted) -> Document:
    """The text as a document, to show how it will be cut into passages before it is added."""
    return Document(id="draft", file=extracted.source, title=extracted.title or "", short_title="draft",
                    publisher="", area="", date=extracted.date or "", version="", law_cited="", law_superseded=(),
                    flowchart=None, aliases=(), text=extracted.text,
                    sha256=hashlib.sha256(extracted.text.encode("utf-8")).hexdigest())
