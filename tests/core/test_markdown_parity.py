"""What posts and comments written here keep, as Stack Exchange's sanitiser does (strike,
kbd, sup/sub, table alignment, image size, ftp links), bare URLs linked, and HTML from
elsewhere (``sanitize_html``) rendered with the same TeX renderer as posts written here."""

from __future__ import annotations

import re

import pytest

from core.markdown import render_comment, render_post, sanitize_html

REL = 'rel="nofollow ugc noopener"'


def test_posts_keep_the_inline_html_stack_exchange_allows() -> None:
    html = render_post(
        "<strike>old</strike> <s>gone</s> <del>cut</del> <kbd>Ctrl</kbd> x<sup>2</sup> "
        'H<sub>2</sub>O <a href="ftp://ftp.example.org/f.txt">file</a>\n\n'
        '<img src="https://x.example/i.png" width="120" height="80" alt="i">'
    )
    for kept in (
        "<strike>old</strike>",
        "<s>gone</s>",
        "<del>cut</del>",
        "<kbd>Ctrl</kbd>",
        "x<sup>2</sup>",
        "H<sub>2</sub>O",
        f'<a href="ftp://ftp.example.org/f.txt" {REL}>file</a>',
        'width="120"',
        'height="80"',
    ):
        assert kept in html, kept


@pytest.mark.parametrize("size", ["100%", "12px", "0", "99999", "1 onerror=x", "-5"])
def test_an_image_size_that_is_not_a_small_number_is_dropped(size: str) -> None:
    html = render_post(f'<img src="https://x.example/i.png" width="{size}" height="{size}">')

    assert "width" not in html and "height" not in html
    assert 'src="https://x.example/i.png"' in html


def test_table_cells_aligned_with_style_get_the_align_attribute_and_no_style() -> None:
    raw = (
        '<table><tr><th style="text-align: right;">a</th>'
        "<td style='color: red; TEXT-ALIGN:center'>b</td>"
        '<td style="text-align: justify">c</td></tr></table>'
    )

    for html in (render_post(raw), sanitize_html(raw)):
        assert '<th align="right">a</th>' in html
        assert '<td align="center">b</td>' in html
        assert "<td>c</td>" in html
        assert "style" not in html


def test_bare_urls_become_links_in_posts_but_not_in_code() -> None:
    html = render_post(
        "See https://example.com/a?b=1 and ftp://ftp.example.org/f.\n\n"
        "`https://example.com/code` and example.com alone\n\n"
        "    https://example.com/block\n"
    )

    assert f'<a href="https://example.com/a?b=1" {REL}>https://example.com/a?b=1</a>' in html
    assert f'<a href="ftp://ftp.example.org/f" {REL}>' in html
    assert "<code>https://example.com/code</code>" in html
    assert "<code>https://example.com/block\n</code>" in html
    assert "example.com alone" in html
    assert html.count("<a ") == 2


def test_bare_urls_become_links_in_comments() -> None:
    html = render_comment(
        "see https://example.com/x, or [docs](https://d.example) `https://c.example`"
    )

    assert f'<a href="https://example.com/x" {REL}>https://example.com/x</a>,' in html
    assert f'<a href="https://d.example" {REL}>docs</a>' in html
    assert "<code>https://c.example</code>" in html


def test_html_from_elsewhere_links_bare_urls_outside_links_and_code() -> None:
    html = sanitize_html(
        '<p>Go to https://example.com/a. <a href="https://b.example">https://b.example</a> '
        "<code>https://c.example</code></p>"
    )

    assert f'<a href="https://example.com/a" {REL}>https://example.com/a</a>.' in html
    assert html.count("<a ") == 2


def _math(html: str) -> list[str]:
    return re.findall(r"<math\b.*?</math>", html, flags=re.S)


@pytest.mark.parametrize("tex", ["x^2", r"\frac{a}{b}", r"\sqrt{2} < \pi"])
def test_html_math_is_rendered_by_the_renderer_of_posts_written_here(tex: str) -> None:
    authored = render_post(f"Inline ${tex}$ and\n\n$$\n{tex}\n$$\n")
    escaped = tex.replace("<", "&lt;")
    imported = sanitize_html(f"<p>Inline ${escaped}$ and</p><p>$${escaped}$$</p>", math=True)

    assert _math(imported) == _math(authored)
    assert len(_math(imported)) == 2


def test_html_math_is_left_alone_without_math() -> None:
    assert sanitize_html("<p>$x^2$ and \\(y\\)</p>") == "<p>$x^2$ and \\(y\\)</p>"


def test_unparseable_tex_in_html_stays_as_escaped_text() -> None:
    html = sanitize_html("<p>$\\left( a &lt;script&gt;$</p>", math=True)

    assert html == '<p><code class="tex">\\left( a &lt;script&gt;</code></p>'


@pytest.mark.parametrize(
    "payload",
    [
        "<p>$\\href{javascript:alert(1)}{x}$</p>",
        '<p>$x$ <img src=x onerror=alert(1)> https://e.example/"onmouseover=alert(1)</p>',
        "<p>\\(</p><script>alert(1)</script><p>\\)</p>",
    ],
)
def test_math_and_links_in_html_stay_safe(payload: str) -> None:
    html = sanitize_html(payload, math=True)

    assert "javascript:" not in html
    assert "<script" not in html
    assert "onerror" not in html and 'onmouseover="' not in html
