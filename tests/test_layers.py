"""The layering of DESIGN.md holds: core imports no stage, a stage only earlier ones.

The contract is the one in pyproject.toml ([tool.importlinter]); the `lint-imports`
command prints the same report by hand.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application.use_cases import lint_imports

configuration.configure()  # what the lint-imports command does first
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
pytestmark = pytest.mark.profile_independent  # reads the source only


def contracts_kept(config: Path) -> bool:
    """Runs import-linter as the command does; its report is printed with a failure."""
    return lint_imports(config_filename=str(config), cache_dir=None, no_logo=True)


def test_no_app_imports_a_layer_above_its_own():
    assert contracts_kept(PYPROJECT)


@pytest.fixture
def imitation(tmp_path, monkeypatch):
    """An empty copy of apps/ under another name, held by the same layers."""
    contract = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"][0]
    layers = [layer.replace("apps.", "imitation.", 1) for layer in contract["layers"]]
    root = tmp_path / "imitation"
    for layer in ["imitation", *layers]:
        package = tmp_path.joinpath(*layer.split("."))
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text("")
    config = tmp_path / "imitation.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["imitation"]\n\n'
        "[[tool.importlinter.contracts]]\n"
        f'name = "imitation"\ntype = "{contract["type"]}"\nlayers = {layers!r}\n'.replace("'", '"')
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert contracts_kept(config)  # empty packages keep it: a breach below is the cause
    return root, config


def test_the_contract_fails_when_core_imports_a_stage_even_lazily(imitation):
    root, config = imitation
    (root / "core" / "rules.py").write_text(
        "def check():\n    from imitation.ingestion import verification\n"
    )
    assert not contracts_kept(config)


def test_the_contract_fails_when_a_stage_imports_a_later_one(imitation):
    root, config = imitation
    (root / "routing" / "table.py").write_text("import imitation.delivery\n")
    assert not contracts_kept(config)


def test_a_stage_may_import_core_and_earlier_stages(imitation):
    root, config = imitation
    (root / "delivery" / "tasks.py").write_text(
        "import imitation.core\nimport imitation.routing\nimport imitation.transformers\n"
    )
    assert contracts_kept(config)
