"""What the Content-Security-Policy forbids is not in the source (docs/architecture.md,
"Security headers"): no inline script or style, no style="" attribute, no on…= handler and
no javascript: URL in any page template, and no inline style set from Python or the static
scripts. The browser tests catch the same at run time (tests/e2e/conftest.py); this finds it
in pages no browser test visits. Emails are not pages: their inline styles are fine."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_DIRS = [
    path for path in ROOT.iterdir() if path.is_dir() and path.name not in {".venv", ".git"}
]
INLINE = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "an on…= handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}
SCRIPT_INLINE = {
    "a style attribute": re.compile(r"setAttribute\(\s*[\"']style|\.style\.cssText|style=", re.I),
    "code from a string": re.compile(r"\beval\(|new Function\(|setTimeout\(\s*[\"'`]"),
    "HTML with handlers or styles": re.compile(r"innerHTML\s*=\s*[^;]*(?:style=|\son[a-z]+=)"),
}


def files(pattern: str) -> list[Path]:
    found = [path for folder in SOURCE_DIRS for path in folder.rglob(pattern)]
    skipped = {".venv", "tests", "staticfiles"}
    return sorted(path for path in found if not skipped & set(path.parts))


def page_templates() -> list[Path]:
    return [path for path in files("*.html") if "email" not in path.parts]


def test_it_finds_the_templates_and_scripts():
    assert len(page_templates()) > 50
    assert {path.name for path in files("*.js")} >= {"qasite.js", "inbox.js"}


@pytest.mark.parametrize("what", INLINE)
def test_no_page_template_has_inline_code(what):
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in page_templates()
        for text in [path.read_text()]
        for match in INLINE[what].finditer(text)
    ]
    assert not found, f"{what} in: {', '.join(found)}"


@pytest.mark.parametrize("what", SCRIPT_INLINE)
def test_no_static_script_makes_inline_code(what):
    found = [
        str(path.relative_to(ROOT))
        for path in files("*.js")
        if SCRIPT_INLINE[what].search(path.read_text())
    ]
    assert not found, f"{what} in: {', '.join(found)}"


def test_no_python_form_widget_sets_a_style():
    found = [
        str(path.relative_to(ROOT))
        for path in files("*.py")
        if re.search(r"[\"']style[\"']\s*:", path.read_text())
    ]
    assert not found, f"a style attribute set in: {', '.join(found)}"


def test_the_checks_see_what_they_look_for():
    assert INLINE["an inline <script>"].search("<script>alert(1)</script>")
    assert not INLINE["an inline <script>"].search('<script src="/static/x.js" defer></script>')
    assert INLINE["an on…= handler"].search('<button type="button" onclick="go()">')
    assert not INLINE["an on…= handler"].search("<p>Read on = more</p>")
    assert INLINE["a style attribute"].search('<p style="color: red">')
