"""Every import of our own modules resolves, including the deferred ones inside functions.

Deferred imports (kept out of start-up on purpose) run only when a user reaches their feature —
« Exporter l’image… », « Importer un tableau… » — so a moved module would break them silently.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import dicom_desktop

PACKAGE = Path(dicom_desktop.__file__).parent


def test_every_import_of_our_modules_resolves():
    unresolved = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if path.name == "__init__.py" else parts)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            name = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module
            if not name or not name.startswith("dicom_desktop"):
                continue
            try:
                imported = importlib.import_module(name)
            except ImportError as exc:
                unresolved.append(f"{path.name}:{node.lineno} {name} ({exc})")
                continue
            for alias in node.names:
                if alias.name == "*" or hasattr(imported, alias.name):
                    continue
                try:
                    importlib.import_module(f"{name}.{alias.name}")
                except ImportError:
                    unresolved.append(f"{path.name}:{node.lineno} {name}.{alias.name}")
    assert not unresolved, "\n".join(unresolved)
