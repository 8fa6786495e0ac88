"""Every form loads, and every ``self.ui.NAME`` a controller touches exists in its form."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QWidget

from wqg_desktop import paths
from wqg_desktop.ui.forms import load_form

UI_DIR = Path(__file__).resolve().parents[2] / "wqg_desktop" / "ui"
FORMS = sorted(paths.forms_dir().glob("*.ui"))


def _controllers() -> dict[str, Path]:
    """form name → controller module, from each module's ``FORM = "…"`` constant."""
    found: dict[str, Path] = {}
    for module in UI_DIR.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "FORM"
                    and isinstance(node.value, ast.Constant)):
                found[node.value.value] = module
    return found


def _object_names(form: Path) -> set[str]:
    root = ET.parse(form).getroot()
    return {el.get("name") for el in root.iter() if el.tag in ("widget", "layout", "spacer", "action")
            if el.get("name")}


def _ui_attributes(module: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        # self.ui.NAME
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "ui" and not node.attr.startswith("_") and node.attr != "root"):
            names.add(node.attr)
    return names


def test_there_are_forms() -> None:
    assert len(FORMS) >= 9


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.stem)
def test_form_loads(qtbot, form: Path) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    ui = load_form(form.stem, host)
    assert ui.root is not None
    spacers = {el.get("name") for el in ET.parse(form).getroot().iter("spacer")}
    for name in _object_names(form) - spacers:  # spacers are layout items, not QObjects
        getattr(ui, name)  # raises AttributeError if QUiLoader did not build it
    # standard buttons in Chinese even without Qt's translation (tests do not install it)
    for box in ui.root.findChildren(QDialogButtonBox):
        assert all(not b.text().isascii() for b in box.buttons()), form.stem
    # Tab leaves every table (arrow keys move between its cells)
    assert not [v.objectName() for v in ui.root.findChildren(QAbstractItemView) if v.tabKeyNavigation()]


def test_every_form_has_a_controller_and_every_controller_a_form() -> None:
    controllers = _controllers()
    assert set(controllers) == {f.stem for f in FORMS}


@pytest.mark.parametrize("form_name,module", sorted(_controllers().items()), ids=lambda v: str(v))
def test_controller_touches_only_existing_widgets(form_name: str, module: Path) -> None:
    names = _object_names(paths.form_path(form_name))
    missing = _ui_attributes(module) - names
    assert not missing, f"{module.name} uses {sorted(missing)} not in forms/{form_name}.ui"


def test_missing_widget_is_a_clear_error(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    ui = load_form("help_dialog", host)
    with pytest.raises(AttributeError, match="help_dialog.ui"):
        _ = ui.no_such_button
