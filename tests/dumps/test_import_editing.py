"""Editing an imported post starts from Markdown: the latest PostHistory text where the
dump has one, else the post's HTML converted back to Markdown, so a save keeps its links,
images, code, lists, emphasis and quotes."""

from html.parser import HTMLParser

import pytest

from tests.dumps import at, mini_rows, post, run_import, write_dump
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RICH_BODY = """<p>See <a href="https://example.com/a_b" title="The docs">the *docs*</a> and
<img src="https://i.sstatic.net/pic.png" alt="a picture"> for 5 * 3 and $x_1 + y_2$.</p>

<pre><code>def double(x):
    return x * 2

print(double(2))
</code></pre>

<pre><code>fence = "```"
</code></pre>

<ul>
<li>first <em>point</em></li>
<li>second <strong>point</strong></li>
</ul>

<ol>
<li>one</li>
<li>two</li>
</ol>

<blockquote>
  <p>3) A quote with <code>a_b</code> and &lt;b&gt; as text,
  - not a list.</p>
</blockquote>

<p>Press <kbd>Ctrl</kbd> for H<sub>2</sub>O.</p>
"""


class Parts(HTMLParser):
    """What an edit must keep: links, images, code, list items, emphasis, quotes."""

    KEPT = {"a", "img", "code", "li", "em", "strong", "blockquote", "kbd", "sub"}

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple] = []
        self.open: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            self.found.append(("a", attributes.get("href"), attributes.get("title")))
        elif tag == "img":
            self.found.append(("img", attributes.get("src"), attributes.get("alt")))
        if tag in self.KEPT and tag not in ("a", "img"):
            self.open.append([tag, ""])

    def handle_data(self, data):
        for item in self.open:
            item[1] += data

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            kind, text = self.open.pop()
            self.found.append((kind, " ".join(text.split())))


def parts(html: str) -> list[tuple]:
    return sorted(Parts(html).found)


def edit_form(client, pk: int) -> dict:
    """What a browser posts back from the edit page, untouched."""
    response = client.get(f"/posts/{pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.fixture
def without_history(tmp_path):
    rows = mini_rows()
    del rows["PostHistory.xml"]
    for row in rows["Posts.xml"]:
        if row["Id"] == 50:
            row["Body"] = RICH_BODY
    folder = write_dump(tmp_path / "partial", rows)
    run_import(folder)
    return post("partial", 50)


def test_an_edit_starts_from_markdown_converted_from_the_posts_html(client, without_history):
    question = without_history
    client.force_login(UserFactory(is_moderator=True))

    body = edit_form(client, question.pk)["body"]

    assert "<a " not in body and "<p>" not in body
    assert '[the \\*docs\\*](https://example.com/a_b "The docs")' in body
    assert "![a picture](https://i.sstatic.net/pic.png)" in body
    assert "$x_1 + y_2$" in body  # math as written, not escaped
    assert question.revisions.get().body == body  # the import revision holds it too


def test_saving_an_imported_post_keeps_its_links_images_code_and_lists(client, without_history):
    question = without_history
    before = parts(question.body_html)
    assert len(before) == 14
    client.force_login(UserFactory(is_moderator=True))

    unchanged = edit_form(client, question.pk)
    assert client.post(f"/posts/{question.pk}/edit/", unchanged).status_code == 302
    question.refresh_from_db()
    assert parts(question.body_html) == before

    edited = {**unchanged, "body": unchanged["body"] + "\n\nOne more sentence, for the edit."}
    assert client.post(f"/posts/{question.pk}/edit/", edited).status_code == 302
    question.refresh_from_db()
    assert question.revisions.count() == 2
    assert "One more sentence" in question.body_html
    assert parts(question.body_html) == before


def test_an_edit_starts_from_the_latest_posthistory_text_where_the_dump_has_it(client, mini):
    run_import(mini)
    question = post("mini", 10)
    client.force_login(UserFactory(is_moderator=True))

    assert edit_form(client, question.pk)["body"] == "How does the *subjonctif* work?"


def test_a_partial_history_without_body_rows_starts_from_the_converted_html(client, tmp_path):
    rows = mini_rows()
    rows["PostHistory.xml"] = [
        {"Id": 1, "PostHistoryTypeId": 6, "PostId": 50, "RevisionGUID": "g-50-t",
         "CreationDate": at(11, 12), "UserId": 2, "Text": "<french>"},
    ]  # fmt: skip
    run_import(write_dump(tmp_path / "partial", rows))
    question = post("partial", 50)
    client.force_login(UserFactory(is_moderator=True))

    assert edit_form(client, question.pk)["body"] == "A hot question."


def test_a_mathjax_sites_post_edits_from_its_tex_and_keeps_its_math(client, tmp_path):
    rows = mini_rows()
    del rows["PostHistory.xml"]
    for row in rows["Posts.xml"]:
        if row["Id"] == 50:
            row["Body"] = "<p>Solve $x^2 = 2$, then</p>\n<p>$$\\frac{a}{b}$$</p>"
    run_import(write_dump(tmp_path / "mathsite", rows), math=True)
    question = post("mathsite", 50)
    assert question.body_html.count("<math") == 2
    client.force_login(UserFactory(is_moderator=True))

    unchanged = edit_form(client, question.pk)
    assert "$x^2 = 2$" in unchanged["body"] and "<math" not in unchanged["body"]
    assert client.post(f"/posts/{question.pk}/edit/", unchanged).status_code == 302
    question.refresh_from_db()
    assert question.body_html.count("<math") == 2
