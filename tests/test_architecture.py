"""The layout rules of docs/architecture.md that import-linter cannot see: an app's templates
load no tag library and include no template of a higher app, and no module of application
code grows past 600 lines. The layer order is read from the import-linter contract in
pyproject.toml, the one place that states it."""

import re
import tomllib
from pathlib import Path

from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 600


def _layers() -> dict[str, int]:
    """App label → height (0 is the foundation); apps sharing a layer share a height."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    rows = list(reversed(contract["layers"]))
    return {app.strip(): height for height, row in enumerate(rows) for app in row.split("|")}


LAYERS = _layers()
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_NAME = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"'/]+)/")


def _app_templates():
    """(app, template path) for each app's own templates, in the app or in templates/<app>/."""
    for app in LAYERS:
        for folder in (ROOT / app / "templates", ROOT / "templates" / app):
            for path in sorted(folder.rglob("*.html")):
                yield app, path


def _library_apps() -> dict[str, str]:
    """Tag library name → the app of ours that defines it (Django's and others' left out)."""
    libraries = get_installed_libraries()
    return {
        name: module.split(".")[0]
        for name, module in libraries.items()
        if module.split(".")[0] in LAYERS
    }


def test_the_contract_names_every_app():
    assert set(LAYERS) == {
        "core",
        "accounts",
        "threads",
        "moderation",
        "notifications",
        "dumps",
        "demo",
        "desk",
        "privacy",
        "editor",
        "api",
        "webhooks",
        "feeds",
        "qasite",
    }
    assert LAYERS["moderation"] < LAYERS["api"] < LAYERS["desk"]
    assert LAYERS["threads"] < LAYERS["editor"] < LAYERS["qasite"]
    assert LAYERS["moderation"] < LAYERS["feeds"] == LAYERS["notifications"]
    assert LAYERS["core"] < LAYERS["accounts"] < LAYERS["threads"] < LAYERS["moderation"]
    assert LAYERS["notifications"] < LAYERS["desk"] < LAYERS["privacy"] < LAYERS["qasite"]


def test_no_template_of_an_app_reaches_a_higher_app():
    owners = _library_apps()
    assert "core_tags" in owners, owners
    problems = []
    for app, path in _app_templates():
        text = path.read_text()
        used = {lib for group in LOAD.findall(text) for lib in group.split()}
        for library in sorted(used & set(owners)):
            if LAYERS[owners[library]] > LAYERS[app]:
                problems.append(f"{path.relative_to(ROOT)} loads {library} ({owners[library]})")
        for folder in TEMPLATE_NAME.findall(text):
            if folder in LAYERS and LAYERS[folder] > LAYERS[app]:
                problems.append(f"{path.relative_to(ROOT)} includes a template of {folder}")
    assert not problems, "\n".join(problems)


def test_app_templates_live_in_their_apps():
    """templates/ holds the site layer's pages only; an app's templates are in its folder."""
    assert not [app for app in LAYERS if (ROOT / "templates" / app).exists()]
    assert (ROOT / "threads" / "templates" / "threads").is_dir()
    assert (ROOT / "moderation" / "templates" / "moderation").is_dir()


def _application_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def test_no_application_module_exceeds_600_lines():
    modules = list(_application_modules())
    assert len(modules) > 50  # the walk found the apps
    long = {
        str(path.relative_to(ROOT)): count
        for path in modules
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"split these into packages of cohesive modules: {long}"
