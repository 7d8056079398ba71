"""What imported text looks like (docs/rules.md, "Import and export"): TeX of a MathJax site
rendered as posts written here are (``--math`` or ``QASITE["IMPORT"]["MATH"]``), posts and
comments alike; what Stack Exchange's sanitiser allows kept; bare URLs linked; short posts
imported as they are; every imported post attributed to its source and author."""

import pytest
from django.core.cache import cache
from django.test import Client

from dumps.importer.options import site_url_base
from moderation.notices import UNRECORDED_COMMENT
from tests.dumps import at, post, run_import, write_dump
from tests.pages import text_of
from threads.models import Comment

pytestmark = pytest.mark.django_db

QUESTION_PAGE_MAX = 8

MATH_BODY = (
    "<p>Solve $x^2 = 2$ for $x$, then</p>\n"
    "<p>$$\\int_0^1 f(x)\\,dx$$</p>\n"
    "<p>Also \\(a+b\\) and \\[c &lt; d\\], a dollar \\$ sign.</p>\n"
    "<pre><code>echo $HOME; price=$5 $y$</code></pre>\n"
    "<p>Inline <code>$x$</code> stays code.</p>\n"
    "<p>Broken: $\\left( x$ here; it costs $5 and $10.</p>"
)
MARKUP_BODY = (
    "<p><strike>old</strike> <s>gone</s> <del>cut</del> <kbd>Ctrl</kbd> "
    "x<sup>2</sup> H<sub>2</sub>O</p>\n"
    '<table><thead><tr><th style="text-align: left;">a</th>'
    '<th style="text-align: right;">b</th></tr></thead>'
    '<tbody><tr><td style="text-align: center;">1</td><td>2</td></tr></tbody></table>\n'
    '<p><img src="https://i.sstatic.net/a.png" width="120" height="80" alt="a"></p>\n'
    '<p><a href="ftp://ftp.example.org/pub/f.txt">the file</a>, and '
    "https://example.com/bare?x=1 as text.</p>"
)


def site_rows() -> dict[str, list[dict]]:
    users = [
        {"Id": -1, "Reputation": 1, "CreationDate": at(1), "DisplayName": "Community"},
        {"Id": 1, "Reputation": 50, "CreationDate": at(1), "DisplayName": "Alice"},
        {"Id": 2, "Reputation": 50, "CreationDate": at(1), "DisplayName": "Bob"},
    ]
    posts = [
        {"Id": 1, "PostTypeId": 1, "CreationDate": at(2), "Score": 1, "Body": MATH_BODY,
         "OwnerUserId": 1, "Title": "How do I integrate f over the unit interval?",
         "Tags": "<calculus>", "ContentLicense": "CC BY-SA 4.0"},
        {"Id": 2, "PostTypeId": 2, "ParentId": 1, "CreationDate": at(3), "Score": 0,
         "Body": "<p>Yes.</p>", "OwnerUserId": 2, "ContentLicense": "CC BY-SA 4.0"},
        {"Id": 3, "PostTypeId": 1, "CreationDate": at(4), "Score": 0, "Body": "<p>Hm?</p>",
         "OwnerUserId": 2, "Title": "Why?", "Tags": "<calculus>"},
        {"Id": 4, "PostTypeId": 2, "ParentId": 3, "CreationDate": at(5), "Score": 0,
         "Body": MARKUP_BODY, "OwnerDisplayName": "Gone Author"},
        {"Id": 5, "PostTypeId": 1, "CreationDate": at(6), "Score": 0,
         "Body": "<p>Which cooking pan should I buy for my kitchen?</p>", "OwnerUserId": 1,
         "Title": "Which cooking pan should I buy?", "Tags": "<calculus>",
         "ClosedDate": at(7)},
    ]  # fmt: skip
    comments = [
        {"Id": 1, "PostId": 1, "Score": 0, "UserId": 2, "CreationDate": at(2, 12),
         "Text": "See https://example.com/notes and $y^2$; `$z$` is code."},
    ]  # fmt: skip
    return {"Users.xml": users, "Posts.xml": posts, "Comments.xml": comments}


@pytest.fixture
def french_meta(tmp_path):
    """A small dump whose folder (so its site key) is ``french.meta``."""
    return write_dump(tmp_path / "french.meta", site_rows())


def page(url: str, django_assert_max_num_queries=None) -> str:
    cache.clear()
    if django_assert_max_num_queries is None:
        response = Client().get(url)
    else:
        with django_assert_max_num_queries(QUESTION_PAGE_MAX):
            response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def comment_of(site: str, source_post: int) -> Comment:
    return Comment.objects.get(post=post(site, source_post))


# --- math ---------------------------------------------------------------------------------


def test_a_mathjax_sites_posts_get_inline_and_display_math(french_meta):
    run_import(french_meta, math=True)

    html = post("french.meta", 1).body_html
    assert html.count('display="inline"') == 3  # $x^2 = 2$, $x$, \(a+b\)
    assert html.count('display="block"') == 2  # $$…$$, \[…\]
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert "$x^2" not in html and "\\(" not in html and "\\[" not in html
    assert "a dollar $ sign" in html  # \$ is a dollar sign, as MathJax reads it


def test_code_keeps_its_dollars(french_meta):
    run_import(french_meta, math=True)

    html = post("french.meta", 1).body_html
    assert "<pre><code>echo $HOME; price=$5 $y$</code></pre>" in html
    assert "<code>$x$</code> stays code" in html


def test_unparseable_tex_stays_as_escaped_text_and_prices_stay_prices(french_meta):
    run_import(french_meta, math=True)

    html = post("french.meta", 1).body_html
    assert '<code class="tex">\\left( x</code> here' in html
    assert "it costs $5 and $10." in html


def test_comments_render_math_exactly_when_posts_do(french_meta):
    run_import(french_meta, math=True)

    comment = comment_of("french.meta", 1).body_html
    assert "<msup><mi>y</mi><mn>2</mn></msup>" in comment
    assert "<code>$z$</code>" in comment


def test_without_math_posts_and_comments_both_keep_their_tex_as_text(french_meta):
    run_import(french_meta)

    assert "Solve $x^2 = 2$ for $x$" in post("french.meta", 1).body_html
    assert "<math" not in post("french.meta", 1).body_html
    comment = comment_of("french.meta", 1).body_html
    assert "$y^2$" in comment and "<math" not in comment


def test_the_site_setting_turns_math_on_and_the_flag_off_again(french_meta, tmp_path, settings):
    settings.QASITE = {**settings.QASITE, "IMPORT": {**settings.QASITE["IMPORT"], "MATH": True}}
    run_import(french_meta)
    assert "<math" in post("french.meta", 1).body_html

    other = write_dump(tmp_path / "other.meta", site_rows())
    run_import(other, math=False)
    assert "<math" not in post("other.meta", 1).body_html


def test_a_math_question_page_shows_mathml_within_its_query_budget(
    french_meta, django_assert_max_num_queries
):
    run_import(french_meta, math=True)

    html = page(post("french.meta", 1).get_absolute_url(), django_assert_max_num_queries)
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert "<msup><mi>y</mi><mn>2</mn></msup>" in html  # the comment


# --- what the sanitiser keeps, bare URLs --------------------------------------------------


def test_it_keeps_what_stack_exchange_allows(french_meta):
    run_import(french_meta)

    html = post("french.meta", 4).body_html
    for kept in (
        "<strike>old</strike>",
        "<s>gone</s>",
        "<del>cut</del>",
        "<kbd>Ctrl</kbd>",
        "x<sup>2</sup>",
        "H<sub>2</sub>O",
        '<th align="left">a</th>',
        '<th align="right">b</th>',
        '<td align="center">1</td>',
        'width="120"',
        'height="80"',
        '<a href="ftp://ftp.example.org/pub/f.txt" rel="nofollow ugc noopener">the file</a>',
    ):
        assert kept in html, kept
    assert "style" not in html


def test_bare_urls_become_links_in_posts_and_comments(french_meta):
    run_import(french_meta)

    link = '<a href="https://example.com/bare?x=1" rel="nofollow ugc noopener">'
    assert link in post("french.meta", 4).body_html
    comment = comment_of("french.meta", 1).body_html
    assert '<a href="https://example.com/notes" rel="nofollow ugc noopener">' in comment


def test_posts_shorter_than_this_sites_minimums_import_as_they_are(french_meta):
    output = run_import(french_meta)

    question, answer = post("french.meta", 3), post("french.meta", 2)
    assert question.title == "Why?"
    assert question.body_html == "<p>Hm?</p>"
    assert answer.body_html == "<p>Yes.</p>"
    assert "Import complete." in output


# --- attribution --------------------------------------------------------------------------


def test_every_imported_post_links_to_its_source_and_author_without_a_flag(french_meta):
    run_import(french_meta)

    base = "https://french.meta.stackexchange.com"
    question, answer = post("french.meta", 1), post("french.meta", 2)
    assert (question.source_url, question.source_author_url) == (f"{base}/q/1", f"{base}/users/1")
    assert (answer.source_url, answer.source_author_url) == (f"{base}/a/2", f"{base}/users/2")

    html = page(question.get_absolute_url())
    assert f'<a href="{base}/a/2" rel="nofollow noopener">' in html
    assert f'<a href="{base}/users/2" rel="author nofollow noopener">Bob</a>' in html
    assert "Original answer:" in text_of(html)
    assert 'rel="license nofollow noopener">CC BY-SA 4.0</a>' in html


def test_a_deleted_author_is_named_without_a_link(french_meta):
    run_import(french_meta)

    answer = post("french.meta", 4)
    assert answer.source_url == "https://french.meta.stackexchange.com/a/4"
    assert answer.source_author_url == ""
    text = text_of(page(answer.parent.get_absolute_url()))
    assert "Original answer: https://french.meta.stackexchange.com/a/4, by Gone Author" in text


@pytest.mark.parametrize(
    ("key", "base"),
    [
        ("french.meta", "https://french.meta.stackexchange.com"),
        ("conlang", "https://conlang.stackexchange.com"),
        ("french.stackexchange.com", "https://french.stackexchange.com"),
        ("stackoverflow", "https://stackoverflow.com"),
        ("meta.stackoverflow", "https://meta.stackoverflow.com"),
        ("mathoverflow", "https://mathoverflow.net"),
        ("Not a host!", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_the_source_address_comes_from_the_site_key(key, base):
    assert site_url_base(key) == base


# --- closures whose comment the dump does not hold ----------------------------------------


def test_an_imported_off_topic_closure_promises_no_comment(french_meta):
    run_import(french_meta)

    text = text_of(page(post("french.meta", 5).get_absolute_url()))
    assert UNRECORDED_COMMENT in text
    assert "the reason the voters gave in their comment" not in text
