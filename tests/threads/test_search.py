"""Search (/search/?q=…): words, phrases and operators, ranking, sorting, pages, counts,
excerpts, the anonymous cache and the queries a page costs.

The same tests run on SQLite (FTS5) and on PostgreSQL (tsvector): ``make test`` and the
PostgreSQL pass of ``.ci/run``. Words are invented (zorblax, quuxly…) so generated text
never matches them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.queries import measure, report
from threads import search, services
from threads.models import Post

pytestmark = pytest.mark.django_db

SEARCH_PAGE_MAX = 8


def found(text: str, sort: str = "relevance") -> list[int]:
    """Ids of every result of a query, in order."""
    return list(search.engine.results(search.parse(text), sort=sort).values_list("pk", flat=True))


def on_the_page(text: str) -> list[int]:
    """Ids on the first results page, as the search page finds them."""
    return [post.pk for post in search.engine.search(search.parse(text), per_page=50)]


def close(question: Post, *, duplicate_of: Post | None = None) -> None:
    kind = "duplicate" if duplicate_of else "opinion_based"
    services.question_close(
        question=question,
        notice={"reason": {"kind": kind, "name": kind}},
        duplicate_of=[duplicate_of] if duplicate_of else [],
    )


# Words, phrases, stemming -----------------------------------------------------------------


def test_it_finds_words_in_titles_bodies_and_tags():
    in_title = QuestionFactory(title="How do I frobnicate a zorblax quickly?")
    in_body = QuestionFactory(body="Some context, then the quuxly part of the question body.")
    in_tags = QuestionFactory(tags=["gizmotron"])
    answer = AnswerFactory(body="An answer that explains the plimbrel approach in detail.")

    assert found("zorblax") == [in_title.pk]
    assert found("quuxly") == [in_body.pk]
    assert found("gizmotron") == [in_tags.pk]
    assert found("plimbrel") == [answer.pk]


def test_it_requires_every_word():
    both = QuestionFactory(title="Zorblax meets quuxly in the middle")
    QuestionFactory(title="Only the zorblax appears in this one")

    assert found("zorblax quuxly") == [both.pk]


def test_it_stems_words():
    question = QuestionFactory(title="Connecting zorblax sockets to a server")

    assert found("connections zorblax") == [question.pk]
    assert found("connected zorblax") == [question.pk]


def test_it_matches_exact_phrases_only_in_that_order():
    phrase = QuestionFactory(body="The blue zorblax widget was broken yesterday.")
    shuffled = QuestionFactory(body="The widget zorblax was blue, not broken.")

    assert found('"blue zorblax widget"') == [phrase.pk]
    assert set(found("blue zorblax widget")) == {phrase.pk, shuffled.pk}


# Operators --------------------------------------------------------------------------------


@pytest.fixture
def world():
    """Questions and answers covering every operator; all mention 'zorblax'."""
    asker, answerer = UserFactory(reputation=300), UserFactory(reputation=300)
    open_q = QuestionFactory(
        author=asker, title="Open zorblax question here", tags=["alpha", "beta"], score=5
    )
    accepted = AnswerFactory(
        question=open_q, author=answerer, body="zorblax accepted answer, explained at some length."
    )
    other = AnswerFactory(
        question=open_q, author=asker, body="zorblax second answer text, explained at some length."
    )
    services.answer_accept(user=asker, answer=accepted)
    closed_q = QuestionFactory(
        author=answerer, title="Closed zorblax question here", tags=["alpha"], score=-1
    )
    in_closed = AnswerFactory(
        question=closed_q, author=asker, body="zorblax in a closed one, explained at some length."
    )
    close(closed_q)
    lone = QuestionFactory(author=asker, title="Unanswered zorblax question", tags=["gamma"])
    rows = {
        "open_q": open_q,
        "accepted": accepted,
        "other": other,
        "closed_q": closed_q,
        "in_closed": in_closed,
        "lone": lone,
    }
    for post in rows.values():
        post.refresh_from_db()
    return rows | {"asker": asker, "answerer": answerer}


def names(world, ids) -> set[str]:
    by_id = {post.pk: name for name, post in world.items() if isinstance(post, Post)}
    return {by_id[pk] for pk in ids}


@pytest.mark.parametrize(
    ("operators", "expected"),
    [
        ("[alpha]", {"open_q", "accepted", "other", "closed_q", "in_closed"}),
        ("[alpha] [beta]", {"open_q", "accepted", "other"}),
        ("[gamma]", {"lone"}),
        ("is:question", {"open_q", "closed_q", "lone"}),
        ("is:answer", {"accepted", "other", "in_closed"}),
        ("score:0", {"open_q", "accepted", "other", "in_closed", "lone"}),
        ("score:5", {"open_q"}),
        ("score:-1", {"open_q", "accepted", "other", "closed_q", "in_closed", "lone"}),
        ("answers:1", {"open_q", "closed_q"}),
        ("answers:2", {"open_q"}),
        ("answers:0", {"lone"}),
        ("answers:0..", {"open_q", "closed_q", "lone"}),
        ("closed:yes", {"closed_q", "in_closed"}),
        ("closed:no", {"open_q", "accepted", "other", "lone"}),
        ("accepted:yes", {"open_q", "accepted"}),
        ("accepted:no", {"other", "closed_q", "in_closed", "lone"}),
        ("is:answer accepted:yes", {"accepted"}),
        ("is:question accepted:no", {"closed_q", "lone"}),
    ],
)
def test_it_applies_each_operator(world, operators, expected):
    assert names(world, found(f"zorblax {operators}")) == expected


def test_it_filters_by_user(world):
    asker, answerer = world["asker"], world["answerer"]
    assert names(world, found(f"zorblax user:{asker.pk}")) == {
        "open_q",
        "other",
        "in_closed",
        "lone",
    }
    assert names(world, found(f"user:{answerer.pk} is:question")) == {"closed_q"}


def test_it_applies_operators_without_words(world):
    assert names(world, found("[beta]")) == {"open_q", "accepted", "other"}


def test_it_reads_unknown_operators_and_bad_values_as_words():
    # A fixed body: the factory's random text could hold "lots" or "everything".
    question = QuestionFactory(
        title="Notes on zorblax colour and flavour of it",
        body="The zorblax is green and tastes of mint, as the notes above say in short.",
    )

    assert found("colour:zorblax") == [question.pk]
    assert found("zorblax score:lots") == []  # "score" and "lots" are words here
    assert found("zorblax is:everything") == []


def test_it_finds_tags_through_their_synonyms():
    question = QuestionFactory(title="Zorblax tag synonym question", tags=["javascript"])
    master = question.tags.get()
    services.tag_save(tag=type(master)(name="js", synonym_of=master))

    assert found("zorblax [js]") == [question.pk]


# Ranking and sorting ----------------------------------------------------------------------


def test_it_ranks_title_matches_first():
    in_body = QuestionFactory(
        title="Something about gadgets",
        body="zorblax zorblax zorblax. The zorblax again, and zorblax zorblax once more.",
        tags=["zorblax"],
        score=50,
    )
    in_title = QuestionFactory(
        title="The zorblax problem", body="Nothing else to say here, nothing at all."
    )

    assert found("zorblax") == [in_title.pk, in_body.pk]


def test_it_sorts_by_newest_and_by_votes():
    now = timezone.now()
    old = QuestionFactory(title="Old zorblax question", created_at=now - timezone.timedelta(days=3))
    new = QuestionFactory(title="New zorblax question", created_at=now - timezone.timedelta(days=1))
    top = QuestionFactory(
        title="Top zorblax question", created_at=now - timezone.timedelta(days=2), score=10
    )

    assert found("zorblax", sort="newest") == [new.pk, top.pk, old.pk]
    assert found("zorblax", sort="votes") == [top.pk, new.pk, old.pk]


def test_it_pages_results_with_their_count():
    for number in range(search.RESULTS_PER_PAGE + 5):
        QuestionFactory(title=f"Zorblax question number {number}")

    first = Client().get("/search/", {"q": "zorblax"})
    second = Client().get("/search/", {"q": "zorblax", "page": 2})

    assert first.context["page"].paginator.count == search.RESULTS_PER_PAGE + 5
    assert len(first.context["results"]) == search.RESULTS_PER_PAGE
    assert len(second.context["results"]) == 5
    assert f"{search.RESULTS_PER_PAGE + 5} results" in first.content.decode()
    assert "page=2" in first.content.decode() and "q=zorblax" in first.content.decode()


def test_it_keeps_the_sort_across_pages():
    for number in range(search.RESULTS_PER_PAGE + 1):
        QuestionFactory(title=f"Zorblax question number {number}", score=number)

    response = Client().get("/search/", {"q": "zorblax", "sort": "votes"})

    scores = [post.score for post in response.context["results"]]
    assert scores == sorted(scores, reverse=True)
    assert "sort=votes" in response.content.decode()


# The page -------------------------------------------------------------------------------


def test_it_highlights_matches_in_escaped_excerpts():
    QuestionFactory(
        title="Injecting <b>bold</b> zorblax titles",
        body='Before <script>alert("owned")</script> the zorblax & friends <img src=x onerror=y>',
        author=UserFactory(reputation=10),  # new users may not post images
    )

    html = Client().get("/search/", {"q": "zorblax"}).content.decode()

    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    assert "<mark>zorblax</mark> &amp; friends" in html
    assert "Injecting &lt;b&gt;bold&lt;/b&gt; <mark>zorblax</mark> titles" in html


def test_it_shows_what_each_result_is():
    author = UserFactory(display_name="Ada Zorblaxer", reputation=1234)
    question = QuestionFactory(
        author=author, title="A quuxly titled question", tags=["alpha", "beta"], score=3
    )
    answer = AnswerFactory(
        question=question, body="The quuxly answer body here, explained at some length."
    )
    AnswerFactory(question=question)
    close(question)

    response = Client().get("/search/", {"q": "quuxly", "sort": "newest"})
    html = response.content.decode()

    assert [post.pk for post in response.context["results"]] == [answer.pk, question.pk]
    assert f'href="{question.get_absolute_url()}#answer-{answer.pk}"' in html
    assert html.count("A <mark>quuxly</mark> titled question") == 1  # the question's title
    assert html.count("A quuxly titled question</a>") == 1  # shown for the answer
    assert "Q:" in html and "A:" in html
    assert "<strong>2</strong> answers" in html and "<strong>3</strong> votes" in html
    assert html.count('class="tag" href="/questions/tagged/alpha/"') == 2
    assert "Ada Zorblaxer" in html and html.count("[closed]") == 2


def test_it_never_shows_deleted_posts():
    deleted = QuestionFactory(title="Deleted zorblax question")
    answer_of_deleted = AnswerFactory(
        question=deleted, body="zorblax answer to deleted, explained at some length."
    )
    live = QuestionFactory(title="Live zorblax question")
    deleted_answer = AnswerFactory(
        question=live, body="zorblax deleted answer, explained at some length."
    )
    for post in (deleted, deleted_answer):
        services.post_delete(actor=post.author, post=post)

    assert found("zorblax") == [live.pk]
    assert answer_of_deleted.pk not in found("zorblax is:answer")
    assert found(f"user:{deleted.author_id}") == []


def test_it_has_a_search_box_on_every_page():
    question = QuestionFactory()
    for url in ("/", "/tags/", question.get_absolute_url(), "/search/"):
        html = Client().get(url, follow=True).content.decode()
        assert 'role="search"' in html and 'action="/search/"' in html, url
        assert '<label for="topbar-search-q"' in html, url


def test_it_echoes_the_query_in_the_search_boxes():
    html = Client().get("/search/", {"q": "zorblax [alpha]"}).content.decode()

    assert 'value="zorblax [alpha]"' in html
    assert html.count('value="zorblax [alpha]"') == 2  # the top bar and the page's form


def test_it_explains_an_empty_query():
    response = Client().get("/search/")

    assert response.status_code == 200
    assert "Type some words" in response.content.decode()


NASTY_QUERIES = [
    '"unbalanced phrase',
    'two "quotes" and a "third',
    "foo:bar baz:",
    "* ^ : ( ) AND OR NOT NEAR - +",
    'NEAR("a" "b", 3)',
    "title:zorblax",
    "-zorblax +zorblax",
    "'; DROP TABLE threads_post; --",
    "1' OR '1'='1",
    "<script>alert(1)</script>",
    "😀🔥💥 emoji only",
    "\x00 null byte",
    "[] [unclosed [c++] [c#] [Bad Tag]",
    "user:99999999999999999999 score:-99999999999 answers:9999999999",
    "score:abc accepted:maybe closed:perhaps is:everything",
    "\\ \\\\ % _ %% ' \" `",
    "!!! ??? ... ,,,",
    "a " * 400,
    "x" * 10_000,
    "zorblax " * 1500,
    "ünïcödé naïve façade Ελληνικά 日本語",
    "&amp; &lt; &#x27;",
]


@pytest.mark.parametrize("text", NASTY_QUERIES, ids=range(len(NASTY_QUERIES)))
def test_it_answers_any_query_with_a_page(text):
    QuestionFactory(title="A zorblax question for the nasty queries")
    QuestionFactory(title="Another question about naive facades", tags=["c++"])

    for sort in ("relevance", "newest", "votes"):
        response = Client().get("/search/", {"q": text, "sort": sort, "page": "2x"})
        assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if "<script>" in text:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_answers_bad_page_and_sort_values():
    QuestionFactory(title="A zorblax question")
    for params in ({"page": "-1"}, {"page": "999"}, {"page": "abc"}, {"sort": "drop"}):
        response = Client().get("/search/", {"q": "zorblax", **params})
        assert response.status_code == 200
        assert len(response.context["results"]) == 1


# Query count ------------------------------------------------------------------------------


def grow(count: int) -> None:
    """Matching questions and answers by different people, with tags, some closed."""
    for number in range(count):
        question = QuestionFactory(
            author=UserFactory(),
            title=f"Zorblax question {number}",
            tags=["alpha", f"tag{number % 4}", f"more{number % 3}"],
            score=number % 5,
        )
        AnswerFactory(
            question=question,
            author=UserFactory(),
            body="A zorblax answer body, explained at some length.",
        )
        if number % 4 == 0:
            close(question)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "zorblax"},
        {"q": "zorblax answer", "sort": "newest"},
        {"q": "[alpha] is:question", "sort": "votes"},
        {"q": "zorblax closed:no score:1", "page": "2"},
    ],
    ids=["words", "newest", "operators-only", "filters-page-2"],
)
def test_it_renders_the_search_page_in_constant_queries(django_assert_max_num_queries, params):
    grow(2)
    small_count, small_sql = measure(Client(), "/search/", params)
    grow(40)
    with django_assert_max_num_queries(SEARCH_PAGE_MAX):
        large_count, large_sql = measure(Client(), "/search/", params)

    assert small_count == large_count, report(small_sql, large_sql)


def test_it_caps_the_count_of_very_common_matches(client, monkeypatch):
    from threads.search import engine

    monkeypatch.setattr(engine, "COUNT_CAP", 2)
    for index in range(4):
        QuestionFactory(title=f"Common words in question number {index} here", tags=["python"])
    page = client.get("/search/?q=common+words").content.decode()
    assert "2+ results" in page


# Pages read by id, counts, the tag filter, the cache ------------------------------------


def pages(text: str, sort: str = "relevance", per_page: int = 4) -> list[list[int]]:
    """The ids of every page of results, page by page, as ``search`` reads them."""
    query = search.parse(text)
    numbers = search.search(query, sort=sort, per_page=per_page).paginator.page_range
    return [
        [post.pk for post in search.search(query, sort=sort, page=n, per_page=per_page)]
        for n in numbers
    ]


@pytest.fixture
def from_index(monkeypatch):
    """What each page by relevance got from the index's best matches (None: it fell back
    to ranking every match, as it always does on PostgreSQL)."""
    returned = []
    read = search.engine._best_ranked

    def spy(*args):
        returned.append(read(*args))
        return returned[-1]

    monkeypatch.setattr(search.engine, "_best_ranked", spy)
    return returned


def twins(count: int) -> list[Post]:
    """Questions that rank the same for "zorblax" (ties broken by score, then id)."""
    return [
        QuestionFactory(
            title="Zorblax twins, alike",
            body="The same words every single time.",
            tags=["alpha"],
            score=n % 3,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("sort", search.SORTS)
def test_its_pages_follow_the_order_of_all_results(sort, from_index):
    twins(10)
    for number in range(10):
        QuestionFactory(
            title=f"Zorblax question {number}",
            body="A question body, long enough to post. " + "zorblax words " * number,
        )
    AnswerFactory(body="A zorblax answer, explained at some length.")
    for post in twins(2) + [
        AnswerFactory(body="A deleted zorblax answer, explained at some length.")
    ]:
        services.post_delete(actor=post.author, post=post)

    everything = found("zorblax", sort=sort)

    assert len(everything) == 21
    assert [pk for page in pages("zorblax", sort) for pk in page] == everything
    if sort == "relevance" and connection.vendor == "sqlite":
        assert None not in from_index


def test_pages_by_relevance_rank_every_match_when_the_best_ones_cannot_tell(
    monkeypatch, from_index
):
    """Ties at the candidates' cut-off, or too many of them filtered out: the page is read
    as if there were no index shortcut."""
    monkeypatch.setattr(search.engine, "CANDIDATE_MARGIN", 0)
    tied = twins(9)
    for post in tied[-3:]:
        services.post_delete(actor=post.author, post=post)

    assert [pk for page in pages("zorblax", per_page=2) for pk in page] == found("zorblax")
    if connection.vendor == "sqlite":
        assert None in from_index


def test_it_counts_matches_without_ranking_or_ordering_them():
    QuestionFactory(title="Zorblax to count")
    with CaptureQueriesContext(connection) as captured:
        page = search.search(search.parse("zorblax"))

    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"]]
    assert page.paginator.count == 1
    assert len(counts) == 1
    assert "ORDER BY" not in counts[0]
    assert "bm25" not in counts[0] and "ts_rank" not in counts[0]


def test_its_count_and_pages_stop_at_the_cap(monkeypatch):
    monkeypatch.setattr(search.engine, "COUNT_CAP", 3)
    twins(6)

    page = search.search(search.parse("zorblax"), page=99, per_page=2)

    assert page.paginator.count == 4 and page.paginator.capped
    assert page.number == 2  # the last page of the capped count
    assert [post.pk for post in page] == found("zorblax")[2:4]


def test_it_filters_tags_through_the_question_and_tag_synonyms():
    master = QuestionFactory(title="Zorblax master question", tags=["javascript", "alpha"])
    answer = AnswerFactory(question=master, body="A zorblax answer, explained at some length.")
    tagged_before = QuestionFactory(title="Zorblax before the synonym", tags=["js"])
    QuestionFactory(title="Zorblax elsewhere", tags=["java"])
    js = tagged_before.tags.get()
    js.synonym_of = master.tags.get(name="javascript")
    services.tag_save(tag=js)

    def tagged(operators: str) -> set[int]:
        everything = set(found(f"zorblax {operators}"))
        assert set(on_the_page(f"zorblax {operators}")) == everything
        return everything

    assert tagged("[js]") == {master.pk, answer.pk, tagged_before.pk}
    assert tagged("[javascript]") == {master.pk, answer.pk}
    assert tagged("[js] [alpha]") == {master.pk, answer.pk}
    assert tagged("[js] is:answer") == {answer.pk}
    assert tagged("[js] [java]") == set()
    assert tagged("[nosuchtag]") == set()


def test_it_filters_tags_exactly_whatever_their_punctuation():
    cpp = QuestionFactory(title="Zorblax templates", tags=["c++"])
    csharp = QuestionFactory(title="Zorblax generics", tags=["c#"])
    plain_c = QuestionFactory(title="Zorblax pointers", tags=["c"])
    learning = QuestionFactory(title="Zorblax models of it", tags=["machine-learning"])
    QuestionFactory(title="Zorblax machines", tags=["machine", "learning"])

    assert on_the_page("zorblax [c++]") == [cpp.pk]
    assert on_the_page("zorblax [c#]") == [csharp.pk]
    assert on_the_page("zorblax [c]") == [plain_c.pk]
    assert on_the_page("zorblax [machine-learning]") == [learning.pk]


def test_it_serves_anonymous_searches_from_the_cache_until_a_post_changes(client):
    question = QuestionFactory(title="Zorblax first question", tags=["alpha"])

    first = client.get("/search/", {"q": "zorblax"})
    second = client.get("/search/", {"q": "zorblax"})
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert client.get("/search/", {"q": "zorblax", "sort": "newest"})["X-Cache"] == "miss"

    QuestionFactory(title="Zorblax second question")
    response = client.get("/search/", {"q": "zorblax"})
    assert response["X-Cache"] == "miss"
    assert "<mark>Zorblax</mark> second question" in response.content.decode()

    services.post_edit(
        editor=question.author,
        post=question,
        title="Zorblax first question, edited",
        body=question.body,
        tags=["alpha"],
    )
    response = client.get("/search/", {"q": "zorblax"})
    assert response["X-Cache"] == "miss"
    assert "<mark>Zorblax</mark> first question, edited" in response.content.decode()


def test_it_never_caches_searches_for_logged_in_users(client):
    QuestionFactory(title="Zorblax question")
    client.force_login(UserFactory())

    response = client.get("/search/", {"q": "zorblax"})

    assert response.status_code == 200 and "X-Cache" not in response


@pytest.mark.parametrize("text", ["zorblax", "zorblax [alpha]", "zorblax is:question", "[alpha]"])
def test_a_results_page_costs_at_most_seven_queries(
    django_assert_max_num_queries, monkeypatch, from_index, text
):
    """The tags' ids, the count, the ids (by relevance without filters: the index's best
    matches, those passing the filters, and all of them ranked when those cannot tell), the
    rows, their tags and highlights."""
    monkeypatch.setattr(search.engine, "CANDIDATE_MARGIN", 0)
    twins(12)  # all tied: the index's best matches never tell
    with django_assert_max_num_queries(7):
        page = search.search(search.parse(text), page=2, per_page=3)
    assert len(page) == 3
    assert from_index == ([None] if text == "zorblax" else [])  # the longest way


def test_it_filters_by_tags_in_any_script():
    tagged = QuestionFactory(title="Zorblax на ассемблере", tags=["ассемблер"])
    QuestionFactory(title="Zorblax, про ассемблер, без тега", tags=["alpha"])
    japanese = QuestionFactory(title="Zorblax の質問について教えてください", tags=["日本語"])

    assert on_the_page("zorblax [ассемблер]") == [tagged.pk]
    assert on_the_page("zorblax [Ассемблер]") == [tagged.pk]  # typed names are lower-cased
    assert on_the_page("zorblax [日本語]") == [japanese.pk]


@pytest.mark.parametrize("text", ["zorblax", "zorblax [alpha]"])
def test_pages_by_relevance_lead_with_the_newest_title_hits_past_the_candidates(monkeypatch, text):
    """Past ``TITLE_CANDIDATES`` posts with a word in their title or tags, PostgreSQL ranks
    the title hits among the newest of them first, then every other match (README, "Search
    at a million questions"); SQLite ranks every match. Either way the pages hold every
    match once."""
    monkeypatch.setattr(search.engine, "TITLE_CANDIDATES", 3)
    QuestionFactory(
        title="Zorblax, zorblax and zorblax",
        body="The zorblax, zorblax and zorblax again: the best match by far.",
        tags=["alpha"],
    )
    newer = [
        QuestionFactory(
            title=f"Zorblax question {n}",
            body="A question body, long enough to post.",
            tags=["alpha"],
        )
        for n in range(4)
    ]
    QuestionFactory(
        title="Something else entirely",
        body="A zorblax in the body only, long enough to post.",
        tags=["alpha"],
    )

    everything = found(text)
    paged = [pk for page in pages(text, per_page=2) for pk in page]

    assert len(everything) == 6 and sorted(paged) == sorted(everything)
    if connection.vendor == "postgresql":
        leaders = [pk for pk in everything if pk in {post.pk for post in newer[1:]}]
        assert paged == leaders + [pk for pk in everything if pk not in leaders]
        assert paged != everything
    else:
        assert paged == everything


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize("text", ["[alpha]", "zorblax [alpha]", "zorblax -[alpha]"])
def test_the_tag_filter_joins_the_taggings_instead_of_hashing_them_per_kind(text):
    """One condition on the post's question id, which PostgreSQL can join either way: two
    (one per kind of post) were subplans hashing all the tag's taggings."""
    question = QuestionFactory(title="Zorblax question", tags=["alpha"])
    AnswerFactory(question=question, body="A zorblax answer, explained at some length.")
    with CaptureQueriesContext(connection) as captured:
        page = search.search(search.parse(text))
    assert len(page) == (0 if "-[" in text else 2)

    tagged = [query["sql"] for query in captured if "threads_taggedpost" in query["sql"]]
    with connection.cursor() as cursor:
        for sql in tagged:
            cursor.execute(f"EXPLAIN {sql}")
            assert "SubPlan" not in "\n".join(row[0] for row in cursor.fetchall()), sql
