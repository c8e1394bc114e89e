"""The package's shape: subpackages by stage, imports that only flow down, no cycles, a light
``import assistant``, small modules, and data-file errors as one line."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import assistant
from assistant.datafiles import Strict, load_model
from assistant.errors import AssistantError

PACKAGE = Path(assistant.__file__).resolve().parent
HEAVY = ("torch", "chromadb", "streamlit", "llama_index", "sentence_transformers")
# Stages from the bottom up: a module may import its own stage and any stage below it, never above.
LAYERS = [
    {"config", "errors", "datafiles", "messages", "verbatim", "stemming", "arrays"},
    {"ingest", "privacy"},
    {"decision", "indexing", "retrieve"},
    {"scope"},
    {"understand"},
    {"myths"},
    {"answer", "outputs"},
    {"ui", "cli", "integrations"},
    {"__init__", "__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _own_imports(path: Path, modules: dict[str, Path]) -> list[tuple[str, ast.stmt]]:
    """(imported assistant module, statement) for every import of our own modules in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "assistant":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.append((full if full in modules else node.module, node))
        elif isinstance(node, ast.Import):
            found += [(a.name, node) for a in node.names if a.name.split(".")[0] == "assistant"]
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target, _ in _own_imports(path, modules) if target in modules and target != name}
        for name, path in modules.items()
    }


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_import_cycles_among_assistant_modules() -> None:
    graph, state, cycles = _graph(), {}, []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [node, nxt]))
            elif nxt not in state:
                visit(nxt, stack + [node])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert not cycles


def test_imports_only_flow_down_the_stages() -> None:
    upward = [
        f"{name} imports {target}"
        for name, targets in _graph().items()
        for target in targets
        if RANK[_stage(target)] > RANK[_stage(name)]
    ]
    assert not upward


def test_every_stage_has_a_rank_and_a_docstring_saying_what_it_may_import() -> None:
    for package in sorted(p.parent for p in PACKAGE.glob("*/__init__.py")):
        assert package.name in RANK, f"{package.name}/ is not placed in LAYERS"
        doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"{package.name}/__init__.py must say what it holds and may import"


def test_imports_inside_functions_only_defer_a_heavy_library_and_say_so() -> None:
    modules, problems = _modules(), []
    for name, path in modules.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset > 0:
                own = any(t for t, n in _own_imports(path, modules) if n is node)
                if own or "# deferred:" not in lines[node.lineno - 1]:
                    problems.append(f"{name}:{node.lineno}")
    assert not problems


def test_shape_few_top_level_modules_several_stages_small_modules() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    stages = [p.parent.name for p in PACKAGE.glob("*/__init__.py")]
    assert len(top) <= 10, top
    assert len(stages) >= 6, stages
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350}
    assert not long


def test_import_assistant_is_light_and_the_public_api_resolves() -> None:
    code = (
        "import json, sys, assistant\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None, name


def test_public_names_keep_their_meaning() -> None:
    from assistant.decision.engine import decide
    from assistant.privacy.screen import screen

    assert assistant.decide is decide and assistant.screen is screen
    assert issubclass(assistant.BadInput, assistant.AssistantError)


class _Example(Strict):
    name: str
    count: int


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name: x\ncount: many\n", "example.yaml: count: "),
        ("name: x\ncount: 1\ncolour: red\n", "example.yaml: colour: "),
        ("name: [x\n", "example.yaml cannot be read"),
    ],
)
def test_a_bad_data_file_is_one_assistant_error_line_naming_the_file_and_field(tmp_path, text, says) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AssistantError) as caught:
        load_model(_Example, path)
    message = str(caught.value)
    assert message.startswith(says) and "\n" not in message


def test_a_bad_shipped_data_file_names_its_field(tmp_path) -> None:
    from assistant.decision.scenarios import _File
    from assistant.datafiles import DATA_DIR

    bad = tmp_path / "scenarios.yaml"
    bad.write_text((DATA_DIR / "scenarios.yaml").read_text(encoding="utf-8").replace("title:", "titel:", 1),
                   encoding="utf-8")
    with pytest.raises(AssistantError, match=r"^scenarios\.yaml: scenarios\.0\.") as caught:
        load_model(_File, bad)
    assert "\n" not in str(caught.value)
