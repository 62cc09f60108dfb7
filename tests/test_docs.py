"""The documentation and the code describe the same thing: settings, commands, make targets."""

import argparse
import re
import tomllib

import pytest

from app import cli
from app.config import Settings
from app.services import demo
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT_COMMANDS = [
    "serve",
    "db upgrade",
    "demo",
    "user create",
    "token create",
    "screen create",
]
# Documented in README as coming; remove from here when the command exists.
NOT_YET: set[str] = set()


def parser_commands(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, set[str]]:
    """Every (sub)command of the parser, with its long options."""
    found: dict[str, set[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix} {name}".strip()
                found[path] = {o for a in sub._actions for o in a.option_strings if o[:2] == "--"}
                found.update(parser_commands(sub, path))
    return found


COMMANDS = parser_commands(cli.build_parser())


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented_in_the_readme(name):
    assert f"BORD_{name.upper()}" in README


@pytest.mark.parametrize("command", CONTRACT_COMMANDS)
def test_every_contract_command_is_in_the_readme(command):
    assert f"`bord {command}" in README


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="not implemented yet"))
        if c in NOT_YET
        else c
        for c in CONTRACT_COMMANDS
    ],
)
def test_every_contract_command_exists(command):
    assert command in COMMANDS


def test_documented_options_exist():
    """Each `bord …` line of the README's command table names only options the parser has."""
    for line in README.splitlines():
        match = re.match(r"\| `bord ([a-z ]+?)((?: \[?--[^`]*)?)` \|", line)
        if not match or match.group(1) in NOT_YET:
            continue
        command, usage = match.group(1).strip(), match.group(2)
        assert command in COMMANDS, line
        for option in re.findall(r"--[a-z-]+", usage):
            assert option in COMMANDS[command], f"{option} of `bord {command}`"


def test_serve_has_the_contract_options():
    assert {"--host", "--port", "--workers", "--no-migrate"} <= COMMANDS["serve"]


def test_makefile_has_the_front_door_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    assert {"run", "test", "install", "dev-install", "lint", "format", "migrate", "demo"} <= targets
    assert "make run" in README and "make test" in README


def test_readme_shows_the_demo_logins():
    assert demo.PASSWORD in README
    for email, _name, _what in demo.logins():
        assert email in README


def test_readme_links_to_docs_that_exist():
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / link).exists(), link
    for name in ("architecture.md", "operations.md", "api.md"):
        assert f"docs/{name}" in README


def test_ci_requires_every_optional_service():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "BORD_REQUIRE=postgres,redis,browser" in ci
    assert "make test" in ci


def _pins(text: str) -> dict[str, str]:
    return {
        name.lower().split("[")[0]: version
        for name, version in re.findall(r'^\s*"?([A-Za-z0-9_.\[\]-]+)==([^",\s\\]+)', text, re.M)
    }


def test_the_lock_files_hold_every_pin_of_pyproject():
    """`make install` installs from the lock files: a pin changed in pyproject.toml without
    `make lock` would not be installed."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    wanted = {
        "runtime.lock": _pins("\n".join(project["dependencies"])),
        "dev.lock": _pins(
            "\n".join([*project["dependencies"], *project["optional-dependencies"]["dev"]])
        ),
    }
    for lock, pins in wanted.items():
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        locked = _pins(text)
        assert "--hash=sha256:" in text
        for name, version in pins.items():
            assert locked.get(name) == version, (lock, name)
