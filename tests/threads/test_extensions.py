"""Extension points (``core.extensions``): how threads' pages and the site's top bar show
what higher apps register, without threads knowing them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from accounts.privileges import Privilege
from core import extensions
from core.extensions import Cost, ExtensionPoint, SubPage, SubPages, template_part, user_pages
from notifications.delivery import unread_key
from notifications.selectors import unread_count
from tests.factories import CommentFactory, QuestionFactory, UserFactory
from threads import extensions as threads_extensions
from threads.cache import fill_slots, render_fragment, slot
from threads.models import question_slug

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    """A point of its own, forgotten after the test."""
    made = ExtensionPoint("test_point", "A point for tests.", costs=extensions.CHEAP)
    yield made
    del extensions._POINTS["test_point"]


def draw(source: str, **context) -> str:
    return Template("{% load core_tags %}" + source).render(Context(context))


# Extension points ---------------------------------------------------------------------------


def test_it_draws_nothing_when_nothing_is_registered(point):
    assert draw('[{% extension_point "test_point" %}]') == "[]"


def test_it_draws_the_contributions_in_order_with_the_arguments_and_context(point):
    point.register("b.second", lambda context, word: f"<i>{word}2</i>", order=20)
    point.register("a.first", lambda context, word: f"<b>{context['who']}:{word}1</b>", order=10)

    assert draw('{% extension_point "test_point" w %}', who="ada", w="x") == (
        "<b>ada:x1</b><i>x2</i>"
    )


def test_it_draws_a_template_contribution_like_an_inclusion_tag(point, tmp_path, settings):
    (tmp_path / "part.html").write_text("<li>{{ label }} {{ csrf_token }}</li>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    point.register(
        "t.part",
        template_part("part.html", lambda context, n: {"label": f"#{n}"} if n else None),
    )

    assert draw('{% extension_point "test_point" 3 %}', csrf_token="TOKEN") == "<li>#3 TOKEN</li>"
    assert draw('{% extension_point "test_point" 0 %}') == ""  # None: nothing drawn


def test_a_template_part_of_plain_values_is_rendered_once_per_values(point, tmp_path, settings):
    template = tmp_path / "count.html"
    template.write_text("<b>{{ count }}</b>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    point.register("t.count", template_part("count.html", lambda context, n: {"count": n}))
    assert draw('{% extension_point "test_point" 3 %}') == "<b>3</b>"

    assert draw('{% extension_point "test_point" 4 %}') == "<b>4</b>"

    template.write_text("<i>{{ count }}</i>")
    assert draw('{% extension_point "test_point" 3 %}') == "<b>3</b>"  # kept by the process
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]  # a settings change
    assert draw('{% extension_point "test_point" 3 %}') == "<i>3</i>"


def test_it_refuses_a_key_twice_and_a_cost_the_point_does_not_accept(point):
    point.register("a.item", lambda context: "")
    with pytest.raises(RuntimeError, match="already registered"):
        point.register("a.item", lambda context: "")
    with pytest.raises(ValueError, match="not queries"):
        point.register("a.costly", lambda context: "", cost=Cost.QUERIES)
    with pytest.raises(RuntimeError, match="declared twice"):
        ExtensionPoint("test_point", "again")


def test_it_refuses_an_unknown_point():
    with pytest.raises(LookupError, match="no_such_point"):
        draw('{% extension_point "no_such_point" %}')


def test_a_value_point_answers_the_first_contribution_not_none(point):
    assert point.first("q", default="closed") == "closed"
    point.register("a.none", lambda question: None, order=1)
    point.register("b.word", lambda question: f"{question}!", order=2)
    assert point.first("q", default="closed") == "q!"


def test_a_shared_fragment_leaves_a_per_request_point_as_a_slot():
    """The question page is rendered once for many readers: the top bar's items are drawn
    for each request instead, in the slot the page left."""
    readers = iter(["first", "second"])
    with extensions.topbar_nav.emptied():
        extensions.topbar_nav.register("t.reader", lambda context: f"<li>{context['user']}</li>")
        fragment = render_fragment(
            lambda: draw(
                '<ul>{% extension_point "topbar_nav" %}</ul>',
                user="renderer",
                extension_slots={"topbar_nav": slot("topbar_nav")},
            )
        )
        filled = [
            fill_slots(
                fragment,
                csrf_token="",
                topbar_nav=lambda: extensions.topbar_nav.render({"user": next(readers)}),
            )
            for _ in range(2)
        ]
    assert filled == ["<ul><li>first</li></ul>", "<ul><li>second</li></ul>"]


# The top bar and the user menu --------------------------------------------------------------


def counted_item(name: str, reads: list):
    """A top-bar item that costs one cache read, as an unread count would."""

    def render(context) -> str:
        reads.append(name)
        return f'<li class="probe-{name}">{cache.get(f"probe-{name}", 0)}</li>'

    return render


def queries_of(client, url: str, *, keep=()) -> tuple[int, str]:
    """The queries of a cold request (no cached page or fragment), and the page; ``keep``:
    cache keys kept warm (what a contribution reads from the cache)."""
    kept = cache.get_many(list(keep))
    cache.clear()
    cache.set_many(kept)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


@pytest.mark.parametrize("page", ["home", "question", "profile"])
def test_a_logged_in_page_costs_no_query_more_per_top_bar_item(page):
    member = UserFactory(reputation=5000)
    question = QuestionFactory(author=member)
    url = {
        "home": "/",
        "question": question.get_absolute_url(),
        "profile": member.get_absolute_url(),
    }[page]
    client = Client()
    client.force_login(member)
    reads = []

    with extensions.topbar_nav.emptied(), extensions.user_menu.emptied():
        bare, _ = queries_of(client, url)
        for number in range(3):
            extensions.topbar_nav.register(
                f"t.nav{number}", counted_item(f"nav{number}", reads), cost=Cost.CACHE_READ
            )
            extensions.user_menu.register(
                f"t.menu{number}", counted_item(f"menu{number}", reads), cost=Cost.CACHE_READ
            )
        full, content = queries_of(client, url)

    assert full == bare
    for number in range(3):
        assert f'class="probe-nav{number}"' in content
        assert f'class="probe-menu{number}"' in content


@pytest.mark.parametrize("viewer", ["reviewer", "moderator"])
def test_the_registered_top_bar_items_cost_no_query(viewer):
    """What the apps really register reads the user row (moderation's links) or one cache
    read (the inbox's unread count, kept warm here: a miss refills it with one query)."""
    if viewer == "reviewer":
        member = UserFactory(reputation=Privilege.REVIEW_FIRST_POSTS.reputation)
    else:
        member = UserFactory(is_moderator=True)
    question = QuestionFactory()
    client = Client()
    client.force_login(member)
    assert extensions.topbar_nav.contributions()
    unread_count(user=member)
    warm = [unread_key(member.pk)]
    for url in ("/", question.get_absolute_url(), member.get_absolute_url()):
        with extensions.topbar_nav.emptied(), extensions.user_menu.emptied():
            bare, _ = queries_of(client, url, keep=warm)
        full, content = queries_of(client, url, keep=warm)
        assert full == bare, url
        assert 'href="/review/"' in content
        assert 'class="inbox-link' in content


def test_the_question_page_draws_the_top_bar_for_each_request():
    """The page is shared (cached) by readers with the same privileges; the items are not."""
    question = QuestionFactory()
    client = Client()
    client.force_login(UserFactory(reputation=1))
    with (
        extensions.topbar_nav.registered(
            "t.unread", counted_item("unread", []), cost=Cost.CACHE_READ
        ),
        extensions.user_menu.registered("t.badge", counted_item("badge", []), cost=Cost.CACHE_READ),
    ):
        first = client.get(question.get_absolute_url()).content.decode()
        cache.set("probe-unread", 7)
        cache.set("probe-badge", 3)
        second = client.get(question.get_absolute_url()).content.decode()
    assert '<li class="probe-unread">0</li>' in first
    assert '<li class="probe-badge">0</li>' in first
    assert '<li class="probe-unread">7</li>' in second
    assert '<li class="probe-badge">3</li>' in second


def test_the_top_bar_points_refuse_items_that_query():
    for point in (extensions.topbar_nav, extensions.user_menu):
        with pytest.raises(ValueError):
            point.register("t.costly", lambda context: "", cost=Cost.QUERIES)


# The question page ---------------------------------------------------------------------------


def test_the_question_page_draws_registered_panels_and_controls():
    question = QuestionFactory(title="What does a panel registered elsewhere look like")
    comment = CommentFactory(post=question)
    client = Client()
    client.force_login(UserFactory(reputation=1))
    with (
        threads_extensions.question_panels.registered(
            "t.panel", lambda context, q: f'<aside class="probe-panel">{q.pk}</aside>'
        ),
        threads_extensions.post_controls.registered(
            "t.post", lambda context, post: f'<li class="probe-post">{post.pk}</li>'
        ),
        threads_extensions.question_controls.registered(
            "t.question", lambda context, q: f'<li class="probe-tools">{context["user"].pk}</li>'
        ),
        threads_extensions.comment_controls.registered(
            "t.comment", lambda context, c: f'<a class="probe-comment">{c.pk}</a>'
        ),
    ):
        content = client.get(question.get_absolute_url()).content.decode()
    assert f'<aside class="probe-panel">{question.pk}</aside>' in content
    assert f'<li class="probe-post">{question.pk}</li>' in content
    assert '<li class="probe-tools">' in content
    assert f'<a class="probe-comment">{comment.pk}</a>' in content


def test_threads_marks_a_closed_question_closed_unless_an_app_says_otherwise():
    question = QuestionFactory()
    question.closed_at = question.created_at
    with threads_extensions.question_closed_label.emptied():
        assert question.closed_label == "closed"
        with threads_extensions.question_closed_label.registered("t.label", lambda q: "merged"):
            assert question.closed_label == "merged"


# Sub-pages ------------------------------------------------------------------------------------


def test_sub_pages_reserve_their_names_and_route_before_the_slug():
    pages = SubPages("things", "Tests.", reserved=frozenset({"edit"}))
    pages.register("tokens", lambda request, pk: HttpResponse(f"tokens {pk}"), url_name="t-tok")
    pages.register(
        "close",
        routes=[
            path("", lambda request, pk: HttpResponse("close"), name="t-close"),
            path("undo/", lambda request, pk: HttpResponse("undo"), name="t-undo"),
        ],
    )
    assert pages.reserved() == {"edit", "tokens", "close"}
    with pytest.raises(RuntimeError, match="already taken"):
        pages.register("edit", lambda request, pk: None, url_name="t-edit")
    with pytest.raises(ValueError):
        pages.register("both", lambda request, pk: None, url_name="x", routes=["a route"])

    class URLconf:
        urlpatterns = [
            path("things/<id:pk>/", include(pages.urlpatterns())),
            path("things/<id:pk>/<str:slug>/", lambda request, pk, slug: HttpResponse("slug")),
        ]

    with override_settings(ROOT_URLCONF=URLconf):
        client = Client()
        assert client.get("/things/4/tokens/").content == b"tokens 4"
        assert client.get("/things/4/close/").content == b"close"
        assert client.get("/things/4/close/undo/").content == b"undo"
        assert client.get("/things/4/anything/").content == b"slug"

    with pytest.raises(RuntimeError, match="AppConfig.ready"):
        pages.register("late", lambda request, pk: None, url_name="t-late")


def test_a_user_is_never_given_a_sub_page_name_as_slug():
    assert "flags" in user_pages.reserved()  # moderation's flag history
    member = UserFactory(username="flags", display_name="")
    assert member.slug == "flags-user"
    assert Client().get(member.get_absolute_url()).status_code == 200


def test_a_question_is_never_given_a_sub_page_name_as_slug():
    reserved = threads_extensions.question_pages.reserved()
    assert {"answer", "close", "reopen", "protect", "timeline"} <= reserved
    assert question_slug("Timeline") == "timeline-question"
    assert question_slug("Answer") == "answer-question"
    assert question_slug("Timelines") == "timelines"


def test_an_unknown_user_slug_redirects_to_the_profile_and_a_sub_page_is_served_by_its_owner():
    member = UserFactory(display_name="Ada Lovelace")
    client = Client()
    client.force_login(member)

    for wrong in ("flag", "badges", "ada"):
        response = client.get(f"/users/{member.pk}/{wrong}/")
        assert response.status_code == 301, wrong
        assert response["Location"] == f"/users/{member.pk}/ada-lovelace/"

    response = client.get(f"/users/{member.pk}/flags/")
    assert response.status_code == 200
    assert response.resolver_match.func.__module__ == "moderation.views_flags"
    assert "Flags raised by Ada Lovelace" in response.content.decode()


def test_a_sub_page_with_a_tab_shows_on_the_profile_to_whom_it_is_visible(monkeypatch):
    member = UserFactory(display_name="Ada Lovelace")
    other = UserFactory()
    page = SubPage(
        "flags",
        None,
        "flag-history",
        tab="Flag history",
        visible=lambda viewer, owner: viewer.pk == owner.pk,
    )
    monkeypatch.setitem(user_pages._pages, "flags", page)  # registered late, for the test
    tab = f'<a href="/users/{member.pk}/flags/">Flag history</a>'

    own = Client()
    own.force_login(member)
    assert tab in own.get(member.get_absolute_url()).content.decode()
    stranger = Client()
    stranger.force_login(other)
    assert tab not in stranger.get(member.get_absolute_url()).content.decode()
