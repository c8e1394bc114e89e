"""What the app tests share: environment variables pointing the app at a usable index and a
temporary data folder, so nothing is written in the repository.

The project's own index (made by `make index`) is used when it is current; otherwise one is built
once per session under a temporary folder with the real packaged model (conftest fixtures).
"""

from __future__ import annotations

from pathlib import Path

from assistant.config import PROJECT_ROOT, Settings

APP = PROJECT_ROOT / "app.py"


def app_environment(request, data_dir: Path) -> dict[str, str]:
    from assistant.indexing import models
    from assistant.indexing.index import build_index, index_problem

    project = Settings.from_env()
    if models.is_ready(project) and index_problem(project, models.embedder_name(project)) is None:
        index_dir, model_dir = project.index_dir, project.model_cache_dir
    else:
        real = request.getfixturevalue("real_settings")
        embedder = request.getfixturevalue("real_embedder")
        if index_problem(real, embedder.name) is not None:
            build_index(real, embedder, progress=False)
        index_dir, model_dir = real.index_dir, real.model_cache_dir
    return {
        "ASSISTANT_CORPUS_DIR": str(project.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_MODEL_CACHE": str(model_dir),
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_EMBEDDER": project.embedder,
    }
