"""The project source files a scene's frames depend on, found by reading imports (no importing).

The render cache must notice when a shared helper changes, so a scene's key covers every project
module it imports, transitively. Importing the scene to look at ``sys.modules`` would start Manim
(seconds); reading the import statements of the project's own files takes milliseconds, which is
what lets a warm re-run finish without starting Manim at all.
"""

from __future__ import annotations

import ast
import functools
import threading
from pathlib import Path

from render.core.assets import assets_dir

# The folder holding the ``render`` and ``scenes`` packages: the repository, or site-packages.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("scenes", "render")

# The registry imports every scene's entry; following it would make each scene depend on all the
# others. A scene's own entry (its package ``__init__``) is added explicitly instead.
NOT_FOLLOWED = frozenset({"scenes.registry"})


def module_file(name: str, root: Path = PROJECT_ROOT) -> Path | None:
    """The file of project module ``name`` (a module or a package's ``__init__``), if it exists."""
    parts = name.split(".")
    if parts[0] not in PROJECT_PACKAGES:
        return None
    # render.assets is installed from the top-level assets/ folder (see setup.py).
    assets = parts[:2] == ["render", "assets"] and root == PROJECT_ROOT
    base = assets_dir().joinpath(*parts[2:]) if assets else root.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


# CPython 3.11's ast.parse is not thread-safe: parsing on two threads at once can fail with
# "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905). A batch computes
# cache keys on several threads, so parsing is serialized.
_PARSE_LOCK = threading.Lock()


def _imported_names(path: Path, module: str) -> set[str]:
    """Every module name ``path`` imports (anywhere in the file), relative imports resolved."""
    with _PARSE_LOCK:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{node.module}" if node.module else anchor
            else:
                base = node.module or ""
            names.add(base)
            # ``from pkg import sub`` may name a submodule rather than an attribute.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _with_parents(name: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: importing a module runs its packages' inits."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


@functools.cache
def import_closure(roots: tuple[str, ...], root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Project modules reachable from ``roots`` through imports: ``{module name: file}``."""
    found: dict[str, Path] = {}
    pending = [parent for name in roots for parent in _with_parents(name)]
    while pending:
        name = pending.pop()
        if name in found or name in NOT_FOLLOWED:
            continue
        path = module_file(name, root)
        if path is None:
            continue
        found[name] = path
        for imported in _imported_names(path, name):
            pending.extend(_with_parents(imported))
    return dict(sorted(found.items()))


def referenced_assets(sources: dict[str, Path], assets_dir: Path) -> list[Path]:
    """Files under ``assets_dir`` whose file name appears in one of ``sources``."""
    if not assets_dir.is_dir():
        return []
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources.values())
    return sorted(p for p in assets_dir.rglob("*") if p.is_file() and p.name in text)
