"""The layers import downwards only: routers → web pieces → realtime → services → models.

Read from the source (every `import` statement, at any depth), so an import inside a function
counts too.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The app modules a file imports (`from app import x` names app.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "app" or name.startswith("app.")}


MODULES = {_module_name(path): (path, _imports(path)) for path in APP.rglob("*.py")}


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_modules_are_found():
    assert "app.web.board_page" in MODULES["app.routers.web.board"][1]
    assert "app.services.changes" in MODULES["app.web.api_common"][1]


def test_no_router_imports_another_router():
    """Page pieces two routers need live in app/web; a package's __init__ only assembles its
    own routers."""
    wrong = []
    for name, (path, imports) in MODULES.items():
        if not _inside(name, "app.routers"):
            continue
        assembles = path.name == "__init__.py"
        for target in imports:
            if not _inside(target, "app.routers"):
                continue
            if assembles and target.rpartition(".")[0] == name:
                continue  # the package includes its own routers
            if assembles and target == name:
                continue
            wrong.append(f"{name} imports {target}")
    assert wrong == []


@pytest.mark.parametrize(
    ("layer", "above"),
    [
        ("app.models", ("app.services", "app.realtime", "app.routers", "app.web")),
        ("app.security", ("app.services", "app.realtime", "app.routers", "app.web")),
        ("app.services", ("app.realtime", "app.routers", "app.web")),
        ("app.realtime", ("app.routers", "app.web")),
        ("app.web", ("app.routers",)),
    ],
)
def test_a_layer_never_imports_the_layers_above_it(layer: str, above: tuple[str, ...]):
    wrong = [
        f"{name} imports {target}"
        for name, (_, imports) in MODULES.items()
        if _inside(name, layer)
        for target in imports
        if any(_inside(target, upper) for upper in above)
    ]
    assert wrong == []
