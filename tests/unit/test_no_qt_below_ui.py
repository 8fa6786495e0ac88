"""Qt stops at ``wqg_desktop/ui/``: the database, rules, services, printing and CLI never import it.

Two checks: the source (every import statement, at module level or inside functions), and a
fresh interpreter that imports every non-UI module and then looks at ``sys.modules``.
"""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import wqg_desktop

PACKAGE = Path(wqg_desktop.__file__).resolve().parent
ROOT = PACKAGE.parent
QT_PACKAGES = ("PySide6", "shiboken6")


def _below_ui_sources() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "ui" and path != PACKAGE / "__main__.py"
    )


def _is_module(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def _imports(tree: ast.AST) -> list[tuple[ast.stmt, str, bool]]:
    """(node, imported module, inside a function?) for every import in ``tree``."""
    found: list[tuple[ast.stmt, str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend((child, alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = "." * child.level + (child.module or "")
                found.append((child, base, in_function))
                # ``from wqg_desktop import ui`` imports the package wqg_desktop.ui
                found.extend((child, f"{base}.{alias.name}", in_function) for alias in child.names)
            elif (isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute | ast.Name)
                  and getattr(child.func, "attr", getattr(child.func, "id", "")) in
                  ("import_module", "__import__")
                  and child.args and isinstance(child.args[0], ast.Constant)
                  and isinstance(child.args[0].value, str)):
                found.append((child, child.args[0].value, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _problems(path: Path, package: Path = PACKAGE) -> list[str]:
    relative = path.relative_to(package.parent).as_posix()
    in_cli = path.relative_to(package).parts[0] == "cli"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    for node, module, in_function in _imports(tree):
        where = f"{relative}:{node.lineno}"
        if module.startswith("."):
            problems.append(f"{where}: relative import {module!r} (use absolute imports)")
        elif any(_is_module(module, qt) for qt in QT_PACKAGES):
            problems.append(f"{where}: imports {module}")
        elif _is_module(module, "wqg_desktop.ui") and not (in_cli and in_function):
            problems.append(f"{where}: imports {module} (only cli/ may, inside a function)")
    return problems


def test_no_module_below_ui_imports_qt() -> None:
    sources = _below_ui_sources()
    assert PACKAGE / "cli" / "main.py" in sources and PACKAGE / "db" / "connection.py" in sources
    problems = [p for path in sources for p in _problems(path)]
    assert problems == []


def test_the_import_check_catches_qt_anywhere(tmp_path: Path) -> None:
    """The checker itself: each of these must be caught, the lazy CLI import must not."""
    samples = {
        "services/a.py": "from PySide6.QtCore import QDate\n",
        "services/b.py": "def f():\n    import shiboken6\n",
        "domain/c.py": "import importlib\nimportlib.import_module('PySide6.QtGui')\n",
        "services/d.py": "from wqg_desktop.ui import messages\n",
        "cli/e.py": "from wqg_desktop.ui.screenshots import take_screenshots\n",
        "printing/f.py": "from wqg_desktop import ui\n",
        "cli/ok.py": "def run():\n    from wqg_desktop.ui.screenshots import take_screenshots\n",
    }
    fake_package = tmp_path / "wqg_desktop"
    for name, code in samples.items():
        file = fake_package / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(code, encoding="utf-8")
    caught = {name for name in samples if _problems(fake_package / name, fake_package)}
    assert caught == set(samples) - {"cli/ok.py"}


def _non_ui_modules() -> list[str]:
    """Every module of the package except the GUI, found on disk without importing anything."""
    names = []

    def walk(path: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(path)], prefix):
            if info.name in ("wqg_desktop.ui", "wqg_desktop.__main__"):
                continue
            names.append(info.name)
            if info.ispkg:
                walk(path / info.name.rsplit(".", 1)[-1], info.name + ".")

    walk(PACKAGE, "wqg_desktop.")
    return names


def test_importing_every_non_ui_module_loads_no_qt() -> None:
    modules = _non_ui_modules()
    expected = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in _below_ui_sources()
    } - {"wqg_desktop"}
    # the walk must find every file the AST check read (a folder without __init__.py is missed)
    assert set(modules) == expected
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"qt = sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r})\n"
        "assert not qt, qt\n"
        "print(len(sys.modules))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         encoding="utf-8", cwd=ROOT, env=env, timeout=120,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout) > len(modules)
