"""Layer contracts over the import graph of ``stackopt`` (issue 7, item 4).

Every module is parsed with :mod:`ast` (nothing is imported), and

* no module imports another module's private (``_name``) attribute;
* the top-level (module-level) imports have no cycle;
* games (``stackopt/kinds/*/game.py``) never import Pyomo, the file readers or the CLI;
* engines and formulations never import the CLI (``stackopt.commands``, ``stackopt.cli``) or
  the file layer (``stackopt.io``);
* ``import stackopt`` imports neither Pyomo nor highspy (checked in a fresh interpreter).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "stackopt"

# Private names that other modules may import on purpose, with the reason. Keep this short.
ALLOWED_PRIVATE: dict[tuple[str, str, str], str] = {
    # (importer, module, name): reason
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not MODULES[importer].name == "__init__.py":
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(name: str) -> list[tuple[str, str | None, bool, int]]:
    """(module, imported attribute or None, at module level?, line) for every import."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    top = set()
    for node in tree.body:
        top.add(id(node))
        # imports under a module-level ``if TYPE_CHECKING:`` are not executed
        if isinstance(node, ast.Try):
            for sub in node.body:
                top.add(id(sub))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out.append((a.name, None, id(node) in top, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(name, node)
            for a in node.names:
                out.append((mod, a.name, id(node) in top, node.lineno))
    return out


GRAPH = {name: _imports(name) for name in MODULES}


def _target_module(mod: str, attr: str | None) -> str | None:
    """The stackopt module an import refers to (``from pkg import sub`` -> ``pkg.sub``)."""
    if attr is not None and f"{mod}.{attr}" in MODULES:
        return f"{mod}.{attr}"
    return mod if mod in MODULES else None


def test_no_private_names_imported_across_modules():
    bad = []
    for name, imports in GRAPH.items():
        for mod, attr, _top, line in imports:
            if attr is None or not attr.startswith("_") or attr.startswith("__"):
                continue
            if not mod.startswith("stackopt") or f"{mod}.{attr}" in MODULES:
                continue  # a private *module* of a package is fine
            if (name, mod, attr) in ALLOWED_PRIVATE:
                continue
            bad.append(f"{name}:{line} imports {mod}.{attr}")
    assert not bad, "private names imported across modules:\n" + "\n".join(bad)


def test_no_cycles_among_module_level_imports():
    g = nx.DiGraph()
    for name, imports in GRAPH.items():
        g.add_node(name)
        for mod, attr, top, _line in imports:
            tgt = _target_module(mod, attr)
            if top and tgt and tgt != name:
                g.add_edge(name, tgt)
    # a package's __init__ importing its submodules and a submodule importing a sibling
    # through the package is how Python packages work; only cycles between leaf modules count
    cycles = [
        c for c in nx.simple_cycles(g) if not any(MODULES[m].name == "__init__.py" for m in c)
    ]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + c[:1]) for c in cycles)


def test_no_cycles_even_through_function_level_imports_in_the_shared_layers():
    """The cycle solve -> pessimistic -> checks_pessimistic -> pessimistic (issue 7) went
    through imports inside functions; the normal-form kind and the shared layers have none."""
    scope = (
        "stackopt.kinds.normal_form",
        "stackopt.engines",
        "stackopt.formulations",
        "stackopt.checks",
        "stackopt.certificate",
        "stackopt.result",
        "stackopt.vocabulary",
    )
    g = nx.DiGraph()
    for name, imports in GRAPH.items():
        if not name.startswith(scope) or MODULES[name].name == "__init__.py":
            continue
        for mod, attr, _top, _line in imports:
            tgt = _target_module(mod, attr)
            if tgt and tgt != name and tgt.startswith(scope) and MODULES[tgt].name != "__init__.py":
                g.add_edge(name, tgt)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c + c[:1]) for c in cycles)


def _forbidden(name: str, prefixes: tuple[str, ...]) -> list[str]:
    out = []
    for mod, attr, _top, line in GRAPH[name]:
        full = _target_module(mod, attr) or mod
        if any(full == p or full.startswith(p + ".") for p in prefixes):
            out.append(f"{name}:{line} imports {full}")
    return out


def test_games_import_no_pyomo_no_files_no_cli():
    games = [n for n in MODULES if n.startswith("stackopt.kinds.") and n.endswith(".game")]
    assert len(games) >= 5
    bad = [
        b
        for n in games
        for b in _forbidden(
            n, ("pyomo", "highspy", "stackopt.io", "stackopt.commands", "stackopt.cli")
        )
    ]
    assert not bad, "\n".join(bad)


def test_engines_and_formulations_import_no_cli_and_no_files():
    layer = [n for n in MODULES if n.startswith(("stackopt.engines", "stackopt.formulations"))]
    assert layer
    bad = [
        b
        for n in layer
        for b in _forbidden(
            n, ("stackopt.commands", "stackopt.cli", "stackopt.io", "stackopt.report")
        )
    ]
    assert not bad, "\n".join(bad)


def test_formulations_never_run_highs_themselves():
    """Formulations build models; solving is the engines' job (``stackopt.engines.highs``
    is the one runner). A formulation may call an engine, never highspy's ``run`` itself."""
    bad = []
    for name, path in MODULES.items():
        if not name.startswith("stackopt.formulations"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "run"
                and not node.args
            ):
                bad.append(f"{name}:{node.lineno} calls .run()")
    assert not bad, "\n".join(bad)


def test_kinds_never_import_highspy():
    """A kind's facade validates, dispatches and certifies; the HiGHS models and runs it needs
    live in ``stackopt.engines`` (or, for model building, ``stackopt.formulations``)."""
    bad = []
    for name, path in MODULES.items():
        if not name.startswith(("stackopt.kinds", "stackopt.checks")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "highspy" or n.startswith("highspy.") for n in names):
                bad.append(f"{name}:{node.lineno} imports highspy")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("heavy", ["pyomo", "highspy"])
def test_import_stackopt_is_light(heavy):
    code = (
        "import sys, stackopt, stackopt.kinds.registry; stackopt.kinds.registry.kinds(); "
        f"print(any(m == {heavy!r} or m.startswith({heavy!r} + '.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False", f"'import stackopt' imports {heavy}"
