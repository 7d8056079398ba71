"""The Markdown source of an imported post the dump gives no history for: its HTML turned
back into Markdown (docs/architecture.md, Decisions: "Imported posts edit as Markdown"), so
an edit starts from text that renders as the post did: links, images, code blocks, lists,
emphasis, blockquotes, tables, and ``$…$`` math as written."""

from __future__ import annotations

import re

from markdownify import ATX, MarkdownConverter, abstract_inline_conversion

#: ``$$…$$`` and ``$…$`` spans, left unescaped so the math reads as it did.
MATH_SPAN = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$)", re.S)
#: A backslash that would escape the punctuation after it.
ESCAPING_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
#: Text that Markdown would read as a code span, raw HTML, an entity or a link's end.
MARKUP_CHARACTERS = re.compile(r"([`<&]|\](?=\())")
#: What would start a block at the start of a line: a list item, a quote, a heading, a rule.
BLOCK_MARKER = re.compile(r"(^|\n)([ \t]*)(>|[-+=]+|#{1,6})(?=[ \t\n]|$)")
NUMBERED_ITEM = re.compile(r"(^|\n)([ \t]*\d{1,9})([.)])(?=[ \t\n]|$)")
LONGEST_BACKTICKS = re.compile(r"`+")
#: Tags an inline tag of invalid HTML may wrap; Markdown can't, so the wrapper is left off.
BLOCK_TAGS = ["p", "ul", "ol", "li", "blockquote", "pre", "table", "hr", "h1", "h2", "h3"]


def _inline_only(convert):
    """An emphasis that wraps blocks (``<i><ul>…</ul></i>``) is left off, not spread."""

    def implementation(self, el, text, parent_tags):
        if el.find(BLOCK_TAGS) is not None:
            return text
        return convert(self, el, text, parent_tags)

    return implementation


class _PostConverter(MarkdownConverter):
    """markdownify's converter, with the site's renderer in mind: raw HTML the renderer
    keeps stays HTML (``kbd``, ``sub``, ``sup``), fences outgrow the code they hold, and
    literal text stays literal."""

    convert_kbd = abstract_inline_conversion(lambda self: "<kbd>")
    convert_samp = convert_kbd
    convert_em = convert_i = _inline_only(MarkdownConverter.convert_em)
    convert_b = convert_strong = _inline_only(MarkdownConverter.convert_b)

    def escape(self, text: str, parent_tags) -> str:
        pieces = MATH_SPAN.split(text or "")
        return "".join(
            piece if index % 2 else self._escape_text(piece, parent_tags)
            for index, piece in enumerate(pieces)
        )

    def _escape_text(self, text: str, parent_tags) -> str:
        text = ESCAPING_BACKSLASH.sub(r"\\\\", text)
        text = super().escape(text, parent_tags)
        text = MARKUP_CHARACTERS.sub(r"\\\1", text)
        text = BLOCK_MARKER.sub(r"\1\2\\\3", text)
        return NUMBERED_ITEM.sub(r"\1\2\\\3", text)

    def convert_pre(self, el, text, parent_tags):
        fenced = super().convert_pre(el, text, parent_tags)
        longest = max((len(run) for run in LONGEST_BACKTICKS.findall(text or "")), default=0)
        if longest < 3:
            return fenced
        fence = "`" * (longest + 1)
        return fenced.replace("```", fence, 1)[::-1].replace("```", fence, 1)[::-1]


def _code_language(element) -> str | None:
    """``<pre class="lang-py">`` or ``<code class="language-py">`` → ``py``."""
    classes = list(element.get("class") or [])
    code = element.find("code")
    if code is not None:
        classes += code.get("class") or []
    for name in classes:
        for prefix in ("language-", "lang-"):
            if name.startswith(prefix) and name[len(prefix) :]:
                return name[len(prefix) :]
    return None


_CONVERTER = _PostConverter(
    heading_style=ATX,
    bullets="-",
    sub_symbol="<sub>",
    sup_symbol="<sup>",
    code_language_callback=_code_language,
    escape_misc=False,
)


def html_to_markdown(html: str) -> str:
    """Markdown that the site's renderer (``core.markdown.render_post``) turns back into
    the same links, images, code, lists, emphasis and quotes as ``html``."""
    return _CONVERTER.convert(html or "").strip()
