"""Markdown + TeX rendering and HTML sanitising for posts and comments.

Posts use CommonMark (plus tables and strikethrough) with ``$…$`` / ``$$…$$`` math
rendered server-side to MathML; comments use Stack Exchange style "mini-Markdown". Bare
URLs become links in both. HTML from elsewhere (imported bodies) goes through
``sanitize_html``, which can render its TeX with the same renderer and links its bare URLs
too (docs/rules.md, "Text and math"). Every renderer ends with an nh3 pass, so the output is
safe to mark as safe HTML.
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
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
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
    {"a", "code", "em", "strong", "b", "i", "s", "strike", "del", "sup", "sub", "kbd", "br"}
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
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
    "math": {"display", "xmlns", *MATHML_ATTRIBUTES},
}
URL_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})
#: Every link in users' text, as on profiles' website links.
LINK_REL = "nofollow ugc noopener"
_CLASS_RE = re.compile(r"language-[\w+#.-]{1,40}|tex")
_COLOR_RE = re.compile(r"#?[A-Za-z0-9]{1,20}")
_ALIGN_VALUES = frozenset({"left", "center", "right"})
_SIZE_RE = re.compile(r"[1-9][0-9]{0,3}")


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """Restrict free-form attribute values that the tag allow-list cannot express."""
    if attr == "class":
        return value if _CLASS_RE.fullmatch(value) else None
    if attr == "mathcolor":
        return value if _COLOR_RE.fullmatch(value) else None
    if attr == "align" and tag in {"th", "td"}:
        return value if value in _ALIGN_VALUES else None
    if attr in {"width", "height"} and tag == "img":
        return value if _SIZE_RE.fullmatch(value.strip()) else None
    return value


_CELL_TAG_RE = re.compile(r"<(t[hd])(\s(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_STYLE_ATTR_RE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_TEXT_ALIGN_RE = re.compile(r"text-align\s*:\s*(left|center|right)\b", re.I)


def _cell_align(html_text: str) -> str:
    """Table cells' ``style="text-align:x"`` (Markdown tables, authored or imported) →
    ``align="x"``: the sanitiser drops every ``style``, which the CSP forbids anyway."""

    def cell(match: re.Match) -> str:
        attributes = match.group(2)
        style = _STYLE_ATTR_RE.search(attributes)
        if style is None:
            return match.group(0)
        align = _TEXT_ALIGN_RE.search(style.group(1) or style.group(2) or "")
        attributes = _STYLE_ATTR_RE.sub("", attributes)
        if align and not re.search(r"\salign\s*=", attributes, re.I):
            attributes += f' align="{align.group(1).lower()}"'
        return f"<{match.group(1)}{attributes}>"

    return _CELL_TAG_RE.sub(cell, html_text) if "text-align" in html_text else html_text


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
    return _cleaner(tags).clean(_cell_align(html_text))


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


#: $…$ inline and $$…$$ display math, read as Stack Exchange's MathJax reads them.
DOLLAR_MATH = {
    "allow_labels": False,
    "allow_space": False,
    "allow_digits": False,
    "double_inline": True,
}


def _bare_urls() -> LinkifyIt:
    """What counts as a bare URL: one with its scheme (http, https, ftp, mailto), as Stack
    Exchange links them; "example.com" or "//example.com" alone stay text."""
    finder = LinkifyIt(options={"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    finder.add("//", None)
    return finder


BARE_URLS = _bare_urls()


def _markdown(options: dict, *rules: str) -> MarkdownIt:
    md = MarkdownIt("commonmark", {**options, "linkify": True}).enable(["linkify", *rules])
    md.linkify = BARE_URLS
    return md


def _build_post_md(render: MathRenderer) -> MarkdownIt:
    md = _markdown({"html": True}, "table", "strikethrough")
    md.use(dollarmath_plugin, **DOLLAR_MATH)
    _use_math(md, render, display_double=True)
    return md


def _build_comment_md(*, math: bool) -> MarkdownIt:
    # Only inline rules run (renderInline), so block syntax stays text; raw HTML is
    # escaped and ![alt](src) degrades to "!" plus a link.
    md = _markdown({"html": False}, "strikethrough")
    md.disable("image")
    if math:
        md.use(dollarmath_plugin, **DOLLAR_MATH)
        _use_math(md, _math_to_mathml, display_double=False)  # "$$x$$" is shown inline
    return md


_POST_MD = _build_post_md(_math_to_mathml)
_EXCERPT_MD = _build_post_md(_math_to_text)
_COMMENT_MD = {True: _build_comment_md(math=True), False: _build_comment_md(math=False)}


def render_post(text: str) -> str:
    """Render a question/answer body (Markdown + TeX) to sanitised HTML."""
    return _clean(_POST_MD.render(text), POST_TAGS)


#: What can start comment syntax: Markdown, an escape, raw HTML or an entity, a bare URL
#: (its scheme's ``:``), TeX. A comment without any of these renders as its escaped text.
_COMMENT_SYNTAX_RE = re.compile(r"[\\`*_\[\]<>&!~$:\x00]")


def render_comment(text: str, *, math: bool = True) -> str:
    """Render a comment: one inline run of links, code, emphasis and (unless ``math`` is
    False: an import from a site without MathJax) inline math. Plain text skips the parser
    (same output, a fraction of the cost: imports render millions of comments)."""
    one_line = " ".join(text.split())
    if _COMMENT_SYNTAX_RE.search(one_line) is None:
        rendered = html.escape(one_line, quote=False)
    else:
        rendered = _COMMENT_MD[math].renderInline(one_line)
    return _clean(rendered, COMMENT_TAGS).strip()


# --- HTML from elsewhere ----------------------------------------------------------------

#: TeX in text as MathJax reads it on Stack Exchange: ``\$`` is a dollar sign, then
#: ``$$…$$`` and ``\[…\]`` display, ``\(…\)`` and ``$…$`` inline (``$…$`` with the rules
#: of ``DOLLAR_MATH``: no blank inside either end, no digit right after it).
_TEX_RE = re.compile(
    r"(?P<dollar>\\\$)"
    r"|\$\$(?P<display>.+?)\$\$"
    r"|\\\[(?P<bracket>.+?)\\\]"
    r"|\\\((?P<paren>.+?)\\\)"
    r"|\$(?P<inline>[^\s$](?:[^$]*?[^\s$\\])?)\$(?!\d)",
    re.S,
)
_TAG_RE = re.compile(r"""<(/?)([A-Za-z][\w-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
#: Elements whose text is shown as it is: no math, no links.
_VERBATIM_TAGS = frozenset({"code", "pre", "math"})


def _link_text(text: str, link: bool) -> str:
    """Plain text as HTML, its bare URLs (``BARE_URLS``) as links when ``link``."""
    matches = BARE_URLS.match(text) if link else None
    if not matches:
        return html.escape(text, quote=False)
    parts, start = [], 0
    for match in matches:
        parts.append(html.escape(text[start : match.index], quote=False))
        parts.append(
            f'<a href="{html.escape(match.url)}">{html.escape(match.text, quote=False)}</a>'
        )
        start = match.last_index
    parts.append(html.escape(text[start:], quote=False))
    return "".join(parts)


def _text_node(escaped: str, *, math: bool, link: bool) -> str:
    """One text node of clean HTML with its TeX rendered (``math``) and its URLs linked."""
    math = math and ("$" in escaped or "\\" in escaped)
    link = link and ("://" in escaped or "mailto:" in escaped)
    if not math and not link:
        return escaped
    text = html.unescape(escaped)
    if not math:
        return _link_text(text, link)
    parts, start = [], 0
    for match in _TEX_RE.finditer(text):
        parts.append(_link_text(text[start : match.start()], link))
        if match["dollar"]:
            parts.append("$")
        else:
            tex = match["display"] or match["bracket"] or match["paren"] or match["inline"]
            parts.append(_math_to_mathml(tex, bool(match["display"] or match["bracket"])))
        start = match.end()
    parts.append(_link_text(text[start:], link))
    return "".join(parts)


def _enrich(clean_html: str, *, math: bool) -> str:
    """Clean HTML with the TeX of its text rendered (``math``) and its bare URLs linked,
    outside code, preformatted text and (for links) links."""
    parts, start, verbatim, in_link = [], 0, 0, 0
    for tag in _TAG_RE.finditer(clean_html):
        text = clean_html[start : tag.start()]
        parts.append(_text_node(text, math=math and not verbatim, link=not (verbatim or in_link)))
        parts.append(tag.group(0))
        step = -1 if tag.group(1) else 1
        name = tag.group(2).lower()
        if name in _VERBATIM_TAGS:
            verbatim = max(verbatim + step, 0)
        elif name == "a":
            in_link = max(in_link + step, 0)
        start = tag.end()
    tail = clean_html[start:]
    parts.append(_text_node(tail, math=math and not verbatim, link=not (verbatim or in_link)))
    return "".join(parts)


def sanitize_html(html_text: str, *, math: bool = False) -> str:
    """Sanitise HTML from elsewhere (imported bodies and profiles) with the post allow-list.
    Its bare URLs become links and, with ``math`` (text of a site that uses MathJax), its
    TeX outside code becomes MathML as in posts written here; TeX that does not parse stays
    as text."""
    clean = _clean(html_text, POST_TAGS)
    if not _may_enrich(clean, math=math):
        return clean
    enriched = _enrich(clean, math=math)
    return clean if enriched == clean else _clean(enriched, POST_TAGS)


def _may_enrich(clean_html: str, *, math: bool) -> bool:
    """Whether ``_enrich`` could change ``clean_html``: only text with a URL's ``://`` or
    ``mailto:`` (or, with ``math``, a ``$`` or ``\\``) is, so the rest skips its walk over
    every tag (an import sanitises millions of bodies)."""
    return (
        "://" in clean_html
        or "mailto:" in clean_html
        or (math and ("$" in clean_html or "\\" in clean_html))
    )


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
