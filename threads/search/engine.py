"""Searching: a parsed ``SearchQuery`` becomes one queryset of visible posts (filters as
ORM lookups, words through the database's backend), read a page at a time.

A results page costs at most four queries whatever its size: the count, the page (with
author and question joined), the tags of the page's questions, and the highlighted
excerpts (skipped for queries without words).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.html import escape

from threads.models import Post, PostKind, TaggedPost
from threads.search.backends import Term, TextMatch, get_backend
from threads.search.highlight import excerpt_html, marked_html
from threads.search.query import SearchQuery, content_words, words_of

SORTS = ("relevance", "newest", "votes")
RESULTS_PER_PAGE = 15
SIMILAR_LIMIT = 5
RELATED_LIMIT = 10
_ORDERINGS = {
    "relevance": ("-search_rank", "-score", "-pk"),
    "newest": ("-created_at", "-pk"),
    "votes": ("-score", "-created_at", "-pk"),
}
_QUESTION = PostKind.QUESTION
_ANSWER = PostKind.ANSWER


def visible_posts() -> QuerySet[Post]:
    """Posts that are not deleted, and answers whose question is not deleted either."""
    return Post.objects.filter(deleted_at__isnull=True).filter(
        Q(kind=_QUESTION) | Q(parent__deleted_at__isnull=True)
    )


def _has_tag(name: str) -> Q:
    """The post's question carries ``name`` (or the tag ``name`` is a synonym of)."""
    tagged = TaggedPost.objects.filter(Q(tag__name=name) | Q(tag__synonyms__name=name))
    question_ids = tagged.values("content_object_id")
    return Q(kind=_QUESTION, pk__in=question_ids) | Q(kind=_ANSWER, parent_id__in=question_ids)


def filtered(query: SearchQuery) -> QuerySet[Post]:
    """Visible posts passing the query's filters (its words are the backend's job)."""
    posts = visible_posts()
    for name in query.tags:
        posts = posts.filter(_has_tag(name))
    if query.kind is not None:
        posts = posts.filter(kind=query.kind)
    if query.user_id is not None:
        posts = posts.filter(author_id=query.user_id)
    if query.min_score is not None:
        posts = posts.filter(score__gte=query.min_score)
    if query.min_answers is not None:
        posts = posts.filter(kind=_QUESTION, answer_count__gte=query.min_answers)
    if query.closed is not None:
        # Closed questions, and answers in closed questions.
        posts = posts.filter(
            Q(kind=_QUESTION, closed_at__isnull=not query.closed)
            | Q(kind=_ANSWER, parent__closed_at__isnull=not query.closed)
        )
    if query.accepted is True:
        posts = posts.filter(
            Q(kind=_QUESTION, accepted_answer__isnull=False)
            | Q(kind=_ANSWER, parent__accepted_answer_id=F("pk"))
        )
    elif query.accepted is False:
        posts = posts.filter(
            Q(kind=_QUESTION, accepted_answer__isnull=True)
            | Q(kind=_ANSWER, parent__accepted_answer__isnull=True)
            | (Q(kind=_ANSWER) & ~Q(parent__accepted_answer_id=F("pk")))
        )
    return posts


def results(query: SearchQuery, *, sort: str = "relevance") -> QuerySet[Post]:
    """The ordered queryset of results (relevance falls back to newest without words)."""
    text = TextMatch.of(query)
    posts = filtered(query)
    if text:
        posts = get_backend().annotate_matches(posts, text)
    elif sort == "relevance":
        sort = "newest"
    return posts.select_related("author", "parent").order_by(*_ORDERINGS[sort])


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``COUNT_CAP + 1`` matches: on a large site a common word matches tens
    of thousands of posts, and counting them all would cost more than the page itself.
    Pages go as deep as the cap; the page shows "1,000+ results" past it."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP


def search(
    query: SearchQuery, *, sort: str = "relevance", page=None, per_page: int = RESULTS_PER_PAGE
) -> Page:
    """A page of results; each post carries ``thread`` (its question), ``thread_tags``,
    ``title_html`` and ``excerpt_html`` (escaped, matches in ``<mark>``)."""
    if query.is_empty:
        return Paginator([], per_page).get_page(1)
    sort = sort if sort in SORTS else "relevance"
    current = CappedPaginator(results(query, sort=sort), per_page).get_page(page)
    current.object_list = list(current.object_list)
    _decorate(current.object_list, TextMatch.of(query))
    return current


def _decorate(rows: list[Post], text: TextMatch) -> None:
    if not rows:
        return
    tags: dict[int, list] = defaultdict(list)
    tagged = (
        TaggedPost.objects.filter(content_object_id__in={row.question_id for row in rows})
        .select_related("tag")
        .order_by("tag__name")
    )
    for item in tagged:
        tags[item.content_object_id].append(item.tag)
    marks = get_backend().highlights([row.pk for row in rows], text) if text else {}
    for row in rows:
        row.thread = row if row.is_question else row.parent
        row.thread_tags = tags[row.question_id]
        title, body = marks.get(row.pk, ("", ""))
        row.title_html = (
            marked_html(title) if row.is_question and title else escape(row.thread.title)
        )
        row.excerpt_html = marked_html(body) if body else excerpt_html(row.body)


# Similar and related questions ------------------------------------------------------------


def _any_word_match(title: str, tags: list[str] = ()) -> TextMatch:
    """Any of the title's words (stop words left out) or tags, in titles and tags."""
    terms = [Term((word,)) for word in content_words(title)]
    terms += [Term(words) for words in (tuple(words_of(name)) for name in tags) if words]
    return TextMatch(tuple(dict.fromkeys(terms)), any_term=True, titles_only=True)


def similar_questions(title: str, *, limit: int = SIMILAR_LIMIT) -> list[Post]:
    """Questions sharing words with ``title``, best first (the ask form's suggestions)."""
    text = _any_word_match(title)
    if not text:
        return []
    questions = get_backend().annotate_matches(Post.objects.questions().visible(), text)
    return list(questions.only(*SECTION_FIELDS).order_by(*_ORDERINGS["relevance"])[:limit])


def related_questions(*, question: Post, limit: int = RELATED_LIMIT) -> QuerySet[Post]:
    """Questions sharing words of ``question``'s title or its tags, best first (its tags
    should be prefetched). A top-level queryset: see ``posts_by_section``."""
    text = _any_word_match(question.title, [tag.name for tag in question.tags.all()])
    if not text:
        return Post.objects.none()
    questions = Post.objects.questions().visible().exclude(pk=question.pk)
    ranked = get_backend().annotate_matches(questions, text)
    return ranked.order_by(*_ORDERINGS["relevance"])[:limit]


# Several ordered lists of questions in one query ------------------------------------------

SECTION_FIELDS = (
    "id",
    "kind",
    "title",
    "score",
    "answer_count",
    "accepted_answer_id",
    "closed_at",
    "close_notice",
)


@dataclass(frozen=True)
class Section:
    """An ordered, sliced queryset of posts and the value it is ordered by (descending)."""

    posts: QuerySet[Post]
    key: str


def posts_by_section(sections: dict[str, Section]) -> dict[str, list[Post]]:
    """Run several ordered lists of posts as one query (a page's sidebars): each section's
    ids and sort key in a CTE, the rows joined once."""
    found: dict[str, list[Post]] = {name: [] for name in sections}
    ctes, selects, params = [], [], []
    for number, section in enumerate(sections.values()):
        if section.posts.query.is_empty():
            continue
        sql, section_params = section.posts.values_list("pk", section.key).query.sql_with_params()
        ctes.append(f"section_{number}(id, position) AS ({sql})")
        selects.append(f"SELECT id, {number} AS section, position FROM section_{number}")
        params.extend(section_params)
    if not ctes:
        return found
    columns = ", ".join(f"threads_post.{column}" for column in SECTION_FIELDS)
    sql = (
        f"WITH {', '.join(ctes)} "
        f"SELECT {columns}, s.section AS sidebar_section FROM ({' UNION ALL '.join(selects)}) s "
        "INNER JOIN threads_post ON threads_post.id = s.id "
        "ORDER BY s.section, s.position DESC, threads_post.id DESC"
    )
    names = list(sections)
    for post in Post.objects.raw(sql, params):
        found[names[post.sidebar_section]].append(post)
    return found
