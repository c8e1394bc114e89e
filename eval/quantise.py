"""int8 dynamic quantisation of the domain embedder's ONNX file (an ablation row: ``eval/ablation.py``).

``onnxruntime.quantization.quantize_dynamic`` stores the weights of the matrix products as int8 and
quantises activations on the fly. ``quantise_embedder`` writes a model folder beside the real one
(symbolic links to the packaged model's export and the trained model's folder, the quantised file
under the same name as the full one), so the index, the
claim vectors and the readers are rebuilt on the quantised model and nothing else changes.
"""

from __future__ import annotations

import time
from pathlib import Path

from assistant.config import Settings

SAMPLE = ("can I share without consent", "a child told me her stepdad hits her, what now",
          "do I need the parents' permission to tell the school nurse", "what is a lawful basis for sharing",
          "is it a breach of GDPR to pass on a referral")


def quantise_embedder(settings: Settings, folder: Path) -> dict:
    """Fill ``folder`` with ``settings.model_cache_dir``'s files, the domain embedder's ONNX quantised;
    return both files' sizes (MB) and the milliseconds to embed one question with each."""
    from onnxruntime.quantization import QuantType, quantize_dynamic  # deferred: build time only

    from assistant.indexing import models
    from assistant.indexing.embedder import OnnxEmbedder, onnx_path

    source = Path(settings.model_cache_dir)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    trained, onnx_file = models.tuned_paths(settings)
    for item in (onnx_path(source), trained):  # the weights only: the claim vectors and readers are remade
        if not (folder / item.name).exists():
            (folder / item.name).symlink_to(item.resolve())
    target = folder / onnx_file.name
    quantize_dynamic(str(onnx_file), str(target), weight_type=QuantType.QInt8)
    info = {"fp32_mb": round(onnx_file.stat().st_size / 1e6, 1), "int8_mb": round(target.stat().st_size / 1e6, 1)}
    for label, path in (("fp32", onnx_file), ("int8", target)):
        embedder = OnnxEmbedder(path, trained)
        embedder.embed(list(SAMPLE))  # warm up
        started = time.perf_counter()
        for _ in range(20):
            for question in SAMPLE:
                embedder.embed([question])
        info[f"{label}_ms_per_question"] = round((time.perf_counter() - started) * 1000 / (20 * len(SAMPLE)), 2)
    return info
