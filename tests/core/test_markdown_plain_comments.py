"""Comments without Markdown syntax skip the parser (``render_comment``'s plain-text path):
their HTML must be exactly what the parser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.markdown import _COMMENT_MD, COMMENT_TAGS, _clean, render_comment

#: Prose characters, Markdown's own and the ones around links and TeX.
ALPHABET = st.sampled_from(
    list("aZé9 \t\n.,;?'\"()-+=#%@^{}|/–…")
    + [
        "\u00a0",
        "\u3000",
        "&amp;",
        "`",
        "*",
        "_",
        "[",
        "]",
        "<b>",
        "!",
        "~~",
        "$x$",
        ":",
        "http://example.com",
        "\\",
        "&",
        "<",
    ]
)


def parser_output(text: str, *, math: bool) -> str:
    one_line = " ".join(text.split())
    return _clean(_COMMENT_MD[math].renderInline(one_line), COMMENT_TAGS).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join), st.booleans())
def test_every_comment_renders_as_the_parser_renders_it(text: str, math: bool) -> None:
    assert render_comment(text, math=math) == parser_output(text, math=math)


def test_plain_comments_are_escaped_text() -> None:
    text = 'Thanks, "it works" -- 3 > 2? No: 2 < 3 & so on'
    assert render_comment(text) == parser_output(text, math=True)
    plain = "A plain comment, with 'quotes' and \"double quotes\" (and brackets)."
    assert render_comment(plain) == plain
