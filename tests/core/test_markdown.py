"""Tests for core.markdown: Markdown/TeX rendering and sanitising."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from core.markdown import (
    COMMENT_TAGS,
    POST_TAGS,
    plain_text,
    render_comment,
    render_post,
    sanitize_html,
)

SEED_COMMENT = (
    r"$\begingroup$ Data scientist sounds like a fancy name for a statistician. $\endgroup$"
)


class _Collector(HTMLParser):
    """Collects (tag, attrs) pairs; attribute values arrive entity-decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.elements


def _math_elements(html: str) -> list[str]:
    return re.findall(r"<math\b[^>]*>.*?</math>", html, flags=re.S)


# --- Markdown basics --------------------------------------------------------------------


def test_it_renders_commonmark_basics() -> None:
    html = render_post(
        "# Title\n\nSome *em*, **strong**, ~~gone~~ and `code`.\n\n"
        "- one\n- two\n\n1. first\n\n> quoted\n\n---\n\n[link](https://example.com)"
    )
    assert "<h1>Title</h1>" in html
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<s>gone</s>" in html
    assert "<code>code</code>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<ol>\n<li>first</li>" in html
    assert "<blockquote>" in html
    assert "<hr>" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">link</a>' in html


def test_it_renders_tables_with_align_attribute_not_style() -> None:
    html = render_post("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert "<table>" in html
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html
    assert "style" not in html


def test_it_keeps_language_class_on_fenced_code() -> None:
    html = render_post("```python\nprint('<hi>')\n```\n")
    assert '<pre><code class="language-python">' in html
    assert "print('&lt;hi&gt;')" in html


def test_it_drops_unexpected_classes() -> None:
    html = render_post('<code class="evil language-x">x</code> <pre class="big">y</pre>')
    assert "class" not in html
    assert sanitize_html('<code class="language-c++">x</code>') == (
        '<code class="language-c++">x</code>'
    )


def test_it_allows_some_inline_html_in_posts() -> None:
    html = render_post("Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup>")
    assert "<kbd>Ctrl</kbd>" in html
    assert "<sub>2</sub>" in html
    assert "<sup>2</sup>" in html


# --- math -------------------------------------------------------------------------------


def test_it_renders_inline_math_as_mathml() -> None:
    html = render_post(r"Let $x^2 + \frac{a}{b}$ be given.")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert "<mfrac>" in html
    assert "$" not in html


def test_it_renders_block_math_as_display_mathml() -> None:
    html = render_post("Sum:\n\n$$\n\\sum_{i=1}^n x_i^2\n$$\n")
    assert 'display="block"' in html
    assert "<munderover>" in html
    assert "$" not in html


@pytest.mark.parametrize(
    ("tex", "fragment"),
    [
        (r"\sqrt{x}", "<msqrt>"),
        (r"\mathbb{R}", "<mi>\u211d</mi>"),
        (r"\begin{pmatrix}a&b\\c&d\end{pmatrix}", "<mtable><mtr><mtd><mi>a</mi></mtd>"),
        (r"\left(\frac{a}{b}\right)", 'stretchy="true" fence="true"'),
        (r"\binom{n}{k}", 'linethickness="0"'),
        (r"\text{hi}\quad x", '<mspace width="1em">'),
        (r"\boxed{x}", '<menclose notation="box">'),
    ],
)
def test_it_keeps_what_latex2mathml_emits(tex: str, fragment: str) -> None:
    assert fragment in render_post(f"${tex}$")


def test_it_renders_double_dollar_inside_paragraph_as_display_math() -> None:
    html = render_post("see $$x$$ here")
    assert 'display="block"' in html
    assert "$" not in html


def test_it_hides_stack_exchange_begingroup_wrappers() -> None:
    for html in (render_post(SEED_COMMENT), render_comment(SEED_COMMENT)):
        assert "Data scientist sounds like a fancy name for a statistician." in html
        assert "$" not in html
        assert "group" not in html
        assert "<math" not in html
        assert "<code" not in html


def test_it_strips_begingroup_but_keeps_real_math_in_the_same_formula() -> None:
    html = render_post(r"$\begingroup x^2 \endgroup$ and $$\begingroup$$")
    assert len(_math_elements(html)) == 1
    assert "<msup>" in html
    assert "group" not in html
    assert "$" not in html


@pytest.mark.parametrize(
    "prose",
    [
        "It costs $5 and $10.",
        "Between $5, $10, or $20 a month.",
        "Pick $5/$10 or $5-$10 plans.",
        "I have $ 3 and you have 4 $ left.",
    ],
)
def test_it_keeps_dollar_amounts_as_prose(prose: str) -> None:
    for html in (render_post(prose), render_comment(prose)):
        assert "<math" not in html
        assert prose in html


@pytest.mark.parametrize("tex", ["x^", r"\frac", r"\left( x", r"\begin{matrix}a<b", "{" * 3000])
def test_it_falls_back_to_code_for_invalid_tex(tex: str) -> None:
    for html in (render_post(f"${tex}$"), render_comment(f"${tex}$")):
        assert '<code class="tex">' in html
        assert "<math" not in html
        assert "<b" not in html.replace("<code", "")  # the TeX is escaped, not markup


def test_it_escapes_escaped_dollars() -> None:
    html = render_post(r"a \$x\$ b")
    assert "<math" not in html
    assert "$x$" in html


# --- comments ---------------------------------------------------------------------------


def test_it_renders_comment_mini_markdown_without_paragraph() -> None:
    html = render_comment(
        "See [docs](https://example.com/docs) and `code`, *em*, __strong__,\n~~old~~ and $x$."
    )
    assert not html.startswith("<p")
    assert "<p>" not in html
    assert '<a href="https://example.com/docs" rel="nofollow ugc noopener">docs</a>' in html
    assert "<code>code</code>" in html
    assert "<em>em</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<s>old</s>" in html
    assert 'display="inline"' in html
    assert "\n" not in html


def test_it_leaves_block_syntax_as_text_in_comments() -> None:
    html = render_comment(
        "# Heading\n\n- item\n> quote\n![pic](https://example.com/a.png)\n"
        "| a | b |\n|---|---|\n```\nfence\n```\n$$\nx\n$$"
    )
    for tag in ("<h1", "<img", "<ul", "<li", "<blockquote", "<table", "<pre", "<p>"):
        assert tag not in html
    assert "# Heading - item &gt; quote" in html
    assert 'display="block"' not in html
    assert "$" not in html


def test_it_escapes_raw_html_in_comments() -> None:
    html = render_comment("<b>bold</b> <kbd>k</kbd>")
    assert html == "&lt;b&gt;bold&lt;/b&gt; &lt;kbd&gt;k&lt;/kbd&gt;"


def test_it_renders_empty_input() -> None:
    assert render_post("") == ""
    assert render_comment("   \n ") == ""
    assert plain_text("") == ""


# --- XSS --------------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<img src="ok.png" style="x:expression(alert(1))">',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]\n\n[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    r"$\href{javascript:alert(1)}{x}$",
    r"$$\href{javascript:alert(1)}{\style{color:red}{x}}$$",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<!--><script>alert(1)</script>-->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<x onmouseover="alert(1)">hover</x>',
    "$x$<script>alert(1)</script>",
    "```js\n</code><script>alert(1)</script>\n```",
]
BAD_SCHEME_RE = re.compile(r"^(?:javascript|vbscript|data|file):")
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "base", "meta"}


def _assert_safe(html: str, allowed_tags: frozenset[str]) -> None:
    assert not re.search(r"<\s*script", html, re.I)
    for tag, attrs in _elements(html):
        assert tag in allowed_tags, tag
        assert tag not in FORBIDDEN_TAGS
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            assert name not in {"style", "xlink:href", "action", "formaction"}, name
            if name in {"href", "src"}:
                assert (tag, name) in {("a", "href"), ("img", "src")}
                # browsers ignore ASCII whitespace/control chars inside schemes
                normalised = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
                assert not BAD_SCHEME_RE.match(normalised), (name, value)
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.I)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
@pytest.mark.parametrize(
    ("render", "allowed_tags"),
    [(render_post, POST_TAGS), (render_comment, COMMENT_TAGS), (sanitize_html, POST_TAGS)],
    ids=["post", "comment", "sanitize"],
)
def test_it_neutralises_xss_payload(render, allowed_tags, payload: str) -> None:
    _assert_safe(render(payload), allowed_tags)


def test_it_puts_nofollow_ugc_noopener_on_every_link() -> None:
    for html in (
        render_post('[a](https://a.example) <a href="/b" rel="opener">b</a> <https://c.example>'),
        render_comment("[a](https://a.example) and <https://c.example>"),
        sanitize_html('<a href="mailto:me@example.com" rel="x">m</a>'),
    ):
        links = [attrs for tag, attrs in _elements(html) if tag == "a"]
        assert links
        assert all(attrs.get("rel") == "nofollow ugc noopener" for attrs in links)


def test_it_keeps_safe_urls_ftp_included_and_drops_other_schemes() -> None:
    html = render_post("[r](/q/1) [m](mailto:a@example.com) ![i](https://x.example/i.png)")
    assert 'href="/q/1"' in html
    assert 'href="mailto:a@example.com"' in html
    assert 'src="https://x.example/i.png"' in html
    assert 'href="ftp://x.example/f"' in sanitize_html('<a href="ftp://x.example/f">f</a>')
    for url in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd"):
        assert "href" not in sanitize_html(f'<a href="{url}">f</a>')


# --- sanitize_html / plain_text ---------------------------------------------------------


def test_it_sanitizes_stack_exchange_html_bodies() -> None:
    html = sanitize_html(
        '<p>Hi <span class="x">there</span><script>bad()</script></p>'
        '<pre class="lang-py prettyprint"><code>x = 1</code></pre>'
    )
    assert html == "<p>Hi there</p><pre><code>x = 1</code></pre>"


def test_it_extracts_plain_text_from_html() -> None:
    text = plain_text("<p>Hello <b>world</b> &amp; co</p><ul><li>one</li><li>two</li></ul>")
    assert text == "Hello world & co one two"


def test_it_extracts_plain_text_from_markdown_keeping_tex_source() -> None:
    text = plain_text(SEED_COMMENT.replace("statistician", "**statistician** with $x^2$"))
    assert text == ("Data scientist sounds like a fancy name for a statistician with x^2.")


def test_it_drops_begingroup_dollars_from_html_bodies() -> None:
    assert plain_text(r"<p>$\begingroup$ Nice  answer! $\endgroup$</p>") == "Nice answer!"


def test_it_truncates_plain_text_at_word_boundary() -> None:
    text = plain_text("The quick brown fox jumps over the lazy dog", limit=20)
    assert text == "The quick brown fox…"
    assert len(text) <= 20
    assert plain_text("short", limit=20) == "short"
    assert len(plain_text("x" * 50, limit=10)) == 10
