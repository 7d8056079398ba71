"""Markdown + TeX rendering and HTML sanitising for posts and comments.

Posts use CommonMark (plus tables and strikethrough) with ``$…$`` / ``$$…$$`` math
rendered server-side to MathML; comments use Stack Exchange style "mini-Markdown".
Every renderer ends with an nh3 pass, so the output is safe to mark as safe HTML.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from typing import Any, NamedTuple

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

__all__ = ["link_counts", "plain_text", "render_comment", "render_post", "sanitize_html"]

# --- sanitiser policy -------------------------------------------------------------------

MATHML_TAGS = frozenset(
    {
        "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub",
        "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable",
        "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "semantics",
        "annotation",
    }
)  # fmt: skip
# Presentational attributes latex2mathml emits (it also emits ``href`` for \href: dropped).
MATHML_ATTRIBUTES = frozenset(
    {
        "mathvariant", "mathcolor", "stretchy", "fence", "separator", "form", "lspace",
        "rspace", "voffset", "width", "height", "depth", "minsize", "maxsize", "accent",
        "accentunder", "movablelimits", "symmetric", "largeop", "columnalign",
        "columnlines", "columnspacing", "rowlines", "rowspacing", "rowalign", "frame",
        "displaystyle", "scriptlevel", "linethickness", "notation", "encoding",
    }
)  # fmt: skip
_INLINE_TAGS = frozenset(
    {"a", "code", "em", "strong", "b", "i", "s", "del", "sup", "sub", "kbd", "br"}
)
POST_TAGS = (
    _INLINE_TAGS
    | MATHML_TAGS
    | {"p", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "ul", "ol"}
    | {"li", "img", "table", "thead", "tbody", "tr", "th", "td"}
)
COMMENT_TAGS = _INLINE_TAGS | MATHML_TAGS
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},  # rel is forced by link_rel
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
    "math": {"display", "xmlns", *MATHML_ATTRIBUTES},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
_CLASS_RE = re.compile(r"language-[\w+#.-]{1,40}|tex")
_COLOR_RE = re.compile(r"#?[A-Za-z0-9]{1,20}")
_ALIGN_VALUES = frozenset({"left", "center", "right"})


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Restrict free-form attribute values that the tag allow-list cannot express."""
    if attr == "class":
        return value if _CLASS_RE.fullmatch(value) else None
    if attr == "mathcolor":
        return value if _COLOR_RE.fullmatch(value) else None
    if attr == "align" and tag in {"th", "td"}:
        return value if value in _ALIGN_VALUES else None
    return value


@functools.cache
def _cleaner(tags: frozenset[str]) -> nh3.Cleaner:
    """One sanitiser per allow-list, built once: building it cost far more than cleaning
    a post with it (an import sanitises every body)."""
    return nh3.Cleaner(
        tags=set(tags),
        attributes={tag: attrs for tag, attrs in _ATTRIBUTES.items() if tag in tags},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _clean(html_text: str, tags: frozenset[str]) -> str:
    return _cleaner(tags).clean(html_text)


def sanitize_html(html: str) -> str:
    """Sanitise arbitrary HTML (e.g. imported post bodies) with the post allow-list."""
    return _clean(html, POST_TAGS)


# --- math -------------------------------------------------------------------------------

# Stack Exchange wraps every comment in $\begingroup$ … $\endgroup$ (MathJax scoping).
_GROUP_RE = re.compile(r"\\(?:begin|end)group(?![A-Za-z])")


def _math_to_mathml(tex: str, display: bool) -> str:
    """TeX -> MathML; empty after dropping \\begingroup/\\endgroup -> ""; errors -> <code>."""
    tex = _GROUP_RE.sub(" ", tex).strip()
    if not tex:
        return ""
    try:
        return latex_to_mathml(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises assorted errors on malformed TeX
        return f'<code class="tex">{html.escape(tex)}</code>'


def _math_to_text(tex: str, display: bool) -> str:
    """Math as escaped TeX source (used for plain-text excerpts)."""
    return html.escape(_GROUP_RE.sub(" ", tex).strip())


MathRenderer = Callable[[str, bool], str]


def _use_math(md: MarkdownIt, render: MathRenderer, *, display_double: bool) -> None:
    """Render dollarmath tokens bare (no span/div wrapper) through ``render``."""

    def rule(display: bool, suffix: str = "") -> Callable[..., str]:
        def _render(self: Any, tokens: Sequence[Token], idx: int, *_: Any) -> str:
            out = render(tokens[idx].content, display)
            return out + suffix if out else ""

        return _render

    md.add_render_rule("math_inline", rule(False))
    md.add_render_rule("math_inline_double", rule(display_double))
    md.add_render_rule("math_block", rule(True, "\n"))


# --- markdown pipelines -----------------------------------------------------------------


def _cell_align(state: StateCore) -> None:
    """Turn markdown-it's ``style="text-align:x"`` on table cells into ``align="x"``."""
    for token in state.tokens:
        if token.type in {"th_open", "td_open"} and token.attrs.get("style"):
            style = str(token.attrs.pop("style"))
            token.attrSet("align", style.removeprefix("text-align:"))


#: $…$ inline and $$…$$ display math, read as Stack Exchange's MathJax reads them.
DOLLAR_MATH = {
    "allow_labels": False,
    "allow_space": False,
    "allow_digits": False,
    "double_inline": True,
}


def _build_post_md(render: MathRenderer) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, **DOLLAR_MATH)
    md.core.ruler.push("cell_align", _cell_align)
    _use_math(md, render, display_double=True)
    return md


def _build_comment_md() -> MarkdownIt:
    # Only inline rules run (renderInline), so block syntax stays text; raw HTML is
    # escaped and ![alt](src) degrades to "!" plus a link.
    md = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
    md.disable("image")
    md.use(dollarmath_plugin, **DOLLAR_MATH)
    _use_math(md, _math_to_mathml, display_double=False)  # "$$x$$" is shown inline
    return md


_POST_MD = _build_post_md(_math_to_mathml)
_EXCERPT_MD = _build_post_md(_math_to_text)
_COMMENT_MD = _build_comment_md()


def render_post(text: str) -> str:
    """Render a question/answer body (Markdown + TeX) to sanitised HTML."""
    return _clean(_POST_MD.render(text), POST_TAGS)


def render_comment(text: str) -> str:
    """Render a comment: one inline run of links, code, emphasis and inline math."""
    one_line = " ".join(text.split())
    return _clean(_COMMENT_MD.renderInline(one_line), COMMENT_TAGS).strip()


# --- plain text -------------------------------------------------------------------------

_HTML_START_RE = re.compile(r"\s*<(?:[A-Za-z][\w-]*|!--)")
_BLOCK_BOUNDARY_RE = re.compile(
    r"<(?=/?(?:p|div|br|hr|li|h[1-6]|tr|td|th|pre|blockquote|ul|ol|table)\b)", re.I
)
_GROUP_DOLLARS_RE = re.compile(r"\$\s*\\(?:begin|end)group\s*\$")


def plain_text(html_or_md: str, limit: int | None = None) -> str:
    """Text for excerpts/meta descriptions: tags stripped, whitespace collapsed.

    Input starting with a tag is treated as HTML, anything else as Markdown (math is kept
    as its TeX source). The result is *unescaped* text: escape it when emitting HTML.
    With ``limit``, the text is cut (preferably at a word boundary) to at most ``limit``
    characters including the trailing "…".
    """
    source = html_or_md
    if not _HTML_START_RE.match(source):
        source = _EXCERPT_MD.render(source)
    source = _BLOCK_BOUNDARY_RE.sub(" <", source)
    text = html.unescape(nh3.clean(source, tags=set(), strip_comments=True))
    text = " ".join(_GROUP_DOLLARS_RE.sub(" ", text).split())
    if limit is not None and len(text) > limit:
        limit = max(limit, 1)
        cut = text[: limit - 1]
        if text[limit - 1] != " " and " " in cut[limit // 2 :]:
            cut = cut.rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:.-") + "…"
    return text


# --- links and images -------------------------------------------------------------------


class LinkCounts(NamedTuple):
    links: int
    images: int


class _LinkCounter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = self.images = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and (values.get("href") or "#").strip()[:1] not in {"#", ""}:
            self.links += 1
        elif tag == "img" and values.get("src"):
            self.images += 1

    handle_startendtag = handle_starttag


def link_counts(rendered_html: str) -> LinkCounts:
    """The links (``<a href>`` leading off the page: inline, reference, autolinks and raw
    HTML alike, as rendered) and the images in HTML this module rendered."""
    counter = _LinkCounter()
    counter.feed(rendered_html)
    counter.close()
    return LinkCounts(counter.links, counter.images)
