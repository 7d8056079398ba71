"""Property: no input makes a server error. Every route of the site (the admin's aside) gets
GET and POST requests built by Hypothesis: path parameters that are ids of real rows or junk,
query strings and form fields with the names the site reads and values that are real or junk
(other scripts' digits, huge and negative numbers, NUL characters, markup, very long text),
in any content type and charset, from a visitor, a user with high reputation, a moderator
and a junk session. Every answer must be below 500, and no exception may escape.

Real paths and forms come from crawling a small site as each role: most examples start from
a link or a form the site rendered (its hidden fields included) and change some of it.

Examples per route come from the Hypothesis profile (``tests/conftest.py``): ``ci`` by
default, ``HYPOTHESIS_PROFILE=deep`` for many more.
"""

import traceback
import uuid
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import flags
from moderation import services as moderation_services
from moderation.models import CloseReason, Flag, FlagKind, ReviewTask
from moderation.queues import QUEUES
from tests.factories import (
    DEMO_PASSWORD,
    AnswerFactory,
    CommentFactory,
    QuestionFactory,
    UserFactory,
)
from tests.routes import every_route
from threads import services
from threads.models import Comment, Post, Tag

pytestmark = pytest.mark.django_db

ROUTES = every_route()
CSRF_SECRET = "fuzz" * 8  # a CSRF cookie's secret: 32 letters
ROLES = ("visitor", "trusted", "moderator", "junk session")
METHODS = ("GET", "POST")

# Names read from query strings (besides the forms' fields).
QUERY_NAMES = ["page", "sort", "tagged", "after", "before", "q", "tab", "answertab", "title"]
QUERY_NAMES += ["next"]
# Names views read from forms without a form class.
DIRECT_FORM_NAMES = ["vote", "accept", "protect", "next"]
WORDS = ["newest", "active", "score", "unanswered", "relevance", "votes", "popular", "name"]
WORDS += ["questions", "answers", "reputation", "oldest", "yes", "no", "up", "down", "none"]
WORDS += ["1h", "1d", "7d", "permanent", "python", "c++", "python c++", "[python] zorblax"]

NASTY = [
    "",
    " ",
    "²",
    "①",
    "٣",
    "1²",
    "-1",
    "0",
    "00",
    "1.5",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "9" * 20,
    str(2**63 - 1),
    str(2**63),
    str(-(2**63) - 1),
    "None",
    "null",
    "true",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "%00",
    "%",
    "%%",
    "%zz",
    "\r\n",
    "\t",
    "\u202e",
    "\ufeff",
    "\ufffd",
    "😀",
    "<script>alert(1)</script>",
    "\"'><b>x</b>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "/questions/1/",
    "http://testserver/q/1",
    "//evil.example",
    "javascript:alert(1)",
    "a/b",
    "c++",
    "c#",
    ".",
    "..",
    "user:99999999999999999999 score:-99999999999 answers:99999999999",
    '"unbalanced',
    "ünïcode ΕΛΛΗΝΙΚΆ 日本語",
]

JUNK = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.builds(
        lambda char, count: char * count, st.characters(codec="utf-8"), st.integers(300, 20_000)
    ),
)


def form_field_names() -> list[str]:
    """The fields of every form of the site (and the login form), and the names views read
    without a form."""
    names = set(AuthenticationForm.base_fields) | set(DIRECT_FORM_NAMES)
    pending = [forms.BaseForm]
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.split(".")[0] in {"accounts", "threads", "moderation"}:
            names |= set(getattr(form, "base_fields", {}))
    return sorted(names)


def choice_values() -> list[str]:
    """Every value a choice field of the site's forms offers."""
    values = set()
    pending = [forms.BaseForm]
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        if form.__module__.split(".")[0] not in {"accounts", "threads", "moderation"}:
            continue
        for field in getattr(form, "base_fields", {}).values():
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                values |= {str(value) for value, _ in field.choices if value != ""}
    return sorted(values)


FORM_NAMES = form_field_names()


def build_world() -> dict:
    """A small site with a row of every kind a route can name, and the values that are
    real for it (ids, names, tokens)."""
    asker = UserFactory(username="asker")
    trusted = UserFactory(username="trusted", reputation=20_000)
    moderator = UserFactory(username="moderator", is_moderator=True)
    question = QuestionFactory(author=asker, tags=["python", "c++"])
    answer = AnswerFactory(question=question)
    gone = AnswerFactory(question=question)
    services.post_delete(actor=moderator, post=gone)
    CommentFactory(post=question)
    comment = CommentFactory(post=answer)
    services.post_edit(
        editor=asker, post=question, title=question.title, body="Edited: " + question.body
    )
    target = QuestionFactory(tags=["ünïcode"])
    AnswerFactory(question=target)
    closed = QuestionFactory(tags=["c#"])
    reason = CloseReason.objects.filter(is_active=True, parent__isnull=False).first()
    reason = reason or CloseReason.objects.filter(is_active=True).first()
    moderation_services.close_vote_cast(voter=moderator, question=closed, reason=reason)
    flags.flag_raise(flagger=trusted, post=answer, kind=FlagKind.VERY_LOW_QUALITY)
    flags.flag_raise(flagger=trusted, comment=comment, kind=FlagKind.NO_LONGER_NEEDED)
    services.suggested_edit_create(
        author=UserFactory(), post=target, title=target.title, body="Better: " + target.body
    )
    odd = Tag.objects.create(name="a/b", slug="a-b-odd")
    question.tags.add(odd)

    ids = set(Post.objects.values_list("pk", flat=True))
    ids |= set(Comment.objects.values_list("pk", flat=True))
    ids |= {asker.pk, trusted.pk, moderator.pk}
    ids |= set(Flag.objects.values_list("pk", flat=True))
    ids |= set(ReviewTask.objects.values_list("pk", flat=True))
    ids |= set(CloseReason.objects.values_list("pk", flat=True))
    real = sorted(str(pk) for pk in ids)
    slugs = [question.slug, asker.slug, *QUEUES]
    latest = question.revisions.order_by("-number").first()
    return {
        "users": {"trusted": trusted, "moderator": moderator},
        "ids": real,
        "slugs": slugs,
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "values": real
        + slugs
        + WORDS
        + choice_values()
        + [
            str(uuid.uuid4()),
            services.revision_stamp(latest),
            question.get_absolute_url(),
            "asker",
            DEMO_PASSWORD,
            "A question title that is long enough to pass",
            "A body of text that is long enough to be a real post on the site. " * 2,
        ],
    }


def mostly(real: st.SearchStrategy, junk: st.SearchStrategy, tenths: int = 8):
    """``real`` in ``tenths`` of the draws, ``junk`` in the others."""
    return st.integers(0, 9).flatmap(lambda n: real if n < tenths else junk)


def path_value(route, name: str, world: dict):
    if route.is_numeric(name):
        real = st.sampled_from(world["ids"] + ["1", "2", "3"])
        return mostly(real, st.one_of(st.integers(min_value=0, max_value=2**70).map(str), JUNK))
    real = world["tags"] if name == "name" else world["slugs"]
    return mostly(st.sampled_from(real), JUNK)


def path_for(data, route, world: dict) -> str:
    """A path of ``route``: one the site links to or posts to, or one built from ids and
    junk."""
    built = {
        name: data.draw(path_value(route, name, world), label=name) for name in route.parameters
    }
    known = world["paths"].get(route.route)
    if known and data.draw(st.integers(0, 9), label="known path?") < 7:
        return data.draw(st.sampled_from(known), label="known path")
    return route.url(built)


def pairs(names: list[str], world: dict, max_size: int = 6) -> st.SearchStrategy:
    """(name, value) pairs: mostly names the site reads, values real or junk."""
    name = mostly(st.sampled_from(names), JUNK)
    value = st.one_of(st.sampled_from(world["values"]), JUNK)
    return st.lists(st.tuples(name, value), max_size=max_size)


def form_for(data, path: str, role: str, world: dict) -> list[tuple[str, str]]:
    """A form for ``path``: one the site rendered for the role (or another role) with some
    values changed or dropped, plus a few extra fields."""
    rendered = world["forms"].get((role, path)) or world["forms"].get(("any", path)) or []
    form = []
    if rendered:
        fields = data.draw(st.sampled_from(rendered), label="rendered form")
        for name, values in fields:
            value = data.draw(mostly(st.sampled_from(values), JUNK, tenths=7), label=name)
            if data.draw(st.integers(0, 9), label=f"keep {name}?") > 0:
                form.append((name, value))
    return form + data.draw(pairs(FORM_NAMES, world, max_size=3), label="extra fields")


def body_of(data, form: list[tuple[str, str]], csrf: bool) -> tuple[bytes, str]:
    if csrf:
        form = [("csrfmiddlewaretoken", CSRF_SECRET), *form]
    kind = data.draw(
        st.sampled_from(["multipart"] * 3 + ["urlencoded"] * 3 + ["odd"]), label="body"
    )
    if kind == "multipart":
        return encode_multipart(BOUNDARY, dict(form)), MULTIPART_CONTENT
    encoded = urlencode(form).encode()
    if kind == "urlencoded":
        return encoded, "application/x-www-form-urlencoded"
    content_type = data.draw(
        st.sampled_from(
            [
                "application/x-www-form-urlencoded; charset=utf-16",
                "application/x-www-form-urlencoded; charset=bogus",
                "application/x-www-form-urlencoded; charset=latin-1",
                "multipart/form-data",
                "multipart/form-data; boundary=x; charset=utf-32",
                "application/json",
                "text/plain; charset=utf-8",
                "",
            ]
        ),
        label="content type",
    )
    body = data.draw(st.one_of(st.just(encoded), st.binary(max_size=300)), label="bytes")
    return body, content_type


def client_for(data, role: str, sessions: dict) -> Client:
    """A browser of ``role``: its CSRF cookie, its session (a junk one for "junk session"),
    and sometimes the header of the page's script."""
    headers = {}
    if data.draw(st.booleans(), label="script"):
        headers["x-requested-with"] = "XMLHttpRequest"
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, headers=headers)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    session = sessions.get(role)
    if role == "junk session":
        # As a WSGI server hands it over: the header's bytes read as Latin-1.
        session = data.draw(JUNK, label="session cookie").encode().decode("latin-1")
    if session is not None:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = session
    return client


def assert_no_server_error(response, described: str) -> None:
    if response.status_code < 500:
        return
    exc_info = getattr(response, "exc_info", None)
    detail = "".join(traceback.format_exception(*exc_info)) if exc_info else ""
    pytest.fail(f"{described} answered {response.status_code}\n{detail}", pytrace=False)


class PageParser(HTMLParser):
    """A page's links and forms: each form's action, method and fields, with every value a
    field offers (a select's options, a radio group's choices, a button's value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            fields = defaultdict(list)
            self._form = {"action": attrs.get("action") or "", "method": method, "fields": fields}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value") or "")
        elif self._form is None or not name:
            return
        elif tag in ("input", "button"):
            self._form["fields"][name].append(attrs.get("value") or "")
        elif tag == "select":
            self._select = self._form["fields"][name]
        elif tag == "textarea":
            self._textarea = self._form["fields"][name]
            self._textarea.append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


CRAWL_START = ["/", "/questions/", "/tags/", "/review/", "/moderation/", "/moderation/flags/"]
CRAWL_START += ["/moderation/log/", "/help/on-topic/", "/accounts/login/", "/accounts/signup/"]
CRAWL_START += ["/questions/ask/", "/search/?q=question"]
CRAWL_PAGES = {"visitor": 15, "trusted": 40, "moderator": 60}


def site_path(page: str, href: str) -> str | None:
    """The path ``href`` on ``page`` leads to, if it is on this site (and not the admin)."""
    parts = urlsplit(urljoin(f"http://testserver{page}", href))
    if parts.netloc != "testserver" or parts.path.startswith("/admin/"):
        return None
    return parts.path


def crawl(client: Client, pages: int) -> tuple[set[str], list[tuple[str, list]]]:
    """Paths linked or posted to from the first ``pages`` pages reached from the start
    pages, and the forms posted: (action, [(name, values offered)])."""
    queue, seen, paths, forms = list(CRAWL_START), set(), set(), []
    while queue and len(seen) < pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            if target := site_path(url, href):
                paths.add(target)
                queue.append(target)
        for form in parser.forms:
            action = site_path(url, form["action"])
            if action is None or form["method"] != "post":
                continue
            paths.add(action)
            fields = [(n, v) for n, v in form["fields"].items() if n != "csrfmiddlewaretoken"]
            forms.append((action, fields))
    return paths, forms


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The site's rows, made once for this module inside a transaction rolled back after
    its last test (each test's own transaction is a savepoint inside it), a logged-in
    session per role, and the paths and forms found by crawling the site as each role."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world["sessions"] = {}
        for role, user in world["users"].items():
            client = Client()
            client.force_login(user)
            world["sessions"][role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        paths, forms = defaultdict(set), defaultdict(list)
        for role, pages in CRAWL_PAGES.items():
            client = Client()
            if role in world["sessions"]:
                client.cookies[django_settings.SESSION_COOKIE_NAME] = world["sessions"][role]
            found, posted = crawl(client, pages)
            for path in found:
                try:
                    paths[resolve(path).route].add(path)
                except Resolver404:
                    continue
            for action, fields in posted:
                forms[(role, action)].append(fields)
                forms[("any", action)].append(fields)
        world["paths"] = {route: sorted(found) for route, found in paths.items()}
        world["forms"] = dict(forms)
        cache.clear()
        yield world
        transaction.set_rollback(True)


# Each example runs in a savepoint rolled back at its end, with an empty cache, so examples
# do not see each other's changes: what the function-scoped fixtures health check warns
# about (``db``, ``_clear_cache``) cannot happen here.
@pytest.mark.parametrize("route", ROUTES, ids=[route.route or "/" for route in ROUTES])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_input_makes_a_server_error(route, world, db, data):
    path = path_for(data, route, world)
    query = urlencode(data.draw(pairs(QUERY_NAMES, world), label="query"))
    url = f"{path}?{query}" if query else path
    role = data.draw(st.sampled_from(ROLES), label="role")
    method = data.draw(st.sampled_from(METHODS), label="method")
    try:
        with transaction.atomic():
            client = client_for(data, role, world["sessions"])
            if method == "GET":
                response = client.get(url)
            else:
                form = form_for(data, path, role, world)
                csrf = data.draw(st.integers(0, 9), label="csrf") > 0
                body, content_type = body_of(data, form, csrf)
                response = client.generic("POST", url, body, content_type=content_type)
            assert_no_server_error(response, f"{method} {url} as {role}")
            transaction.set_rollback(True)
    finally:
        cache.clear()
