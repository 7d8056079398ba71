"""Extension points: how a page of a lower app shows what a higher app adds.

One mechanism, used everywhere. An app that draws a page declares named *extension
points* on it, in its own ``extensions`` module: ``ExtensionPoint`` for a place in a
template (a panel, a menu's items), ``SubPages`` for pages under one of its paths. A higher
app fills them in its ``AppConfig.ready()``: ``point.register(key, render, order=…, cost=…)``
or ``pages.register(name, view, url_name=…)``. The lower app never imports the higher one,
nor loads its templates or tags: its templates draw a point with the one generic tag
``{% extension_point "name" arg… %}`` (in ``core_tags``, the base tag library), which
renders the registered contributions in ``order``, joined (nothing when none is
registered). ``template_part``
makes a contribution from a template and a function returning its context, like an
inclusion tag. A point that answers a value rather than HTML (the word a closed question's
title is marked with) is read with ``point.first(…, default=…)``. A point lives in the
layer of the page that draws it, or lower when apps below that page add to it too.

Every contribution declares its ``Cost``; a point lists the costs it accepts, so a point
drawn on every page (the top bar, the user menu) refuses anything that would add a query:
its items use the user row the request already loaded, or one cache read. A page cached as
a shared fragment (``threads.cache``) leaves a per-request point (``per_request=True``) as
a slot and fills it for each request: the view puts ``extension_slots = {name: marker}`` in
the context, and the tag prints the marker instead of drawing the point.

``SubPages`` are URL routes under a page (``users/<id>/<name>/``): their names are reserved
from the slugs of that path, and the owner of the path includes ``urlpatterns()`` before its
slug route, so a sub-page is never taken for a slug. A sub-page with a ``tab`` label shows
among the page's tabs to the viewers its ``visible`` allows. Registration happens in
``ready()``, before any URLconf is loaded; registering later is refused.

Here: the site's own points, which every app may fill (the top bar and the user menu of
``templates/base.html``, the pages under a member's profile). ``threads.extensions``
declares the question page's and the profile's. Tests use ``point.registered(…)`` and
``point.emptied()``.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template, render_to_string
from django.urls import include, path, reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe


class Cost(Enum):
    """What drawing a contribution may cost, at most."""

    #: Computed from its arguments and the request's user, whose row is already loaded.
    NONE = "no query"
    #: At most one cache read.
    CACHE_READ = "one cache read"
    #: Database queries (on pages that allow them: say how many in the docstring).
    QUERIES = "queries"


#: What the top bar and the user menu accept: every logged-in page draws them.
CHEAP = frozenset({Cost.NONE, Cost.CACHE_READ})


@dataclass(frozen=True)
class Contribution:
    key: str  # "app.what", unique within its point
    render: Callable[..., Any]  # (context, *args) -> HTML, or a value for ``first``
    order: int
    cost: Cost


_POINTS: dict[str, "ExtensionPoint"] = {}


class ExtensionPoint:
    """A named place on a page that higher apps fill (see the module's docstring)."""

    def __init__(
        self,
        name: str,
        doc: str,
        *,
        costs: frozenset[Cost] = frozenset(Cost),
        per_request: bool = False,
    ):
        if name in _POINTS:
            raise RuntimeError(f"Extension point {name!r} is declared twice.")
        self.name = name
        self.__doc__ = doc
        self.costs = costs
        self.per_request = per_request
        self._contributions: dict[str, Contribution] = {}
        _POINTS[name] = self

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}>"

    def register(
        self, key: str, render: Callable[..., Any], *, order: int = 100, cost: Cost = Cost.NONE
    ) -> Contribution:
        """Add ``render(context, *args)`` to the point (from ``AppConfig.ready()``)."""
        if key in self._contributions:
            raise RuntimeError(f"{key!r} is already registered on {self.name!r}.")
        if cost not in self.costs:
            accepted = ", ".join(sorted(c.value for c in self.costs))
            raise ValueError(
                f"{self.name!r} accepts contributions costing {accepted}, not {cost.value}."
            )
        contribution = Contribution(key, render, order, cost)
        self._contributions[key] = contribution
        return contribution

    def unregister(self, key: str) -> None:
        del self._contributions[key]

    @contextmanager
    def registered(self, key: str, render: Callable[..., Any], **options):
        """``register`` for the duration of a ``with`` block (tests)."""
        self.register(key, render, **options)
        try:
            yield
        finally:
            self.unregister(key)

    @contextmanager
    def emptied(self):
        """The point without its contributions for the duration of a ``with`` block (tests)."""
        saved = dict(self._contributions)
        self._contributions.clear()
        try:
            yield
        finally:
            self._contributions.clear()
            self._contributions.update(saved)

    def contributions(self) -> list[Contribution]:
        return sorted(self._contributions.values(), key=lambda item: (item.order, item.key))

    def render(self, context, *args) -> SafeString:
        """The contributions' HTML, in order. ``context``: the template's context, or a dict
        with at least ``user`` (and ``request``, ``csrf_token`` when they need them)."""
        html = "".join(str(item.render(context, *args)) for item in self.contributions())
        return mark_safe(html)  # noqa: S308 - contributions render templates (escaped)

    def first(self, *args, default=None):
        """The first contribution's answer that is not None, else ``default``."""
        for item in self.contributions():
            value = item.render(*args)
            if value is not None:
                return value
        return default


def point(name: str) -> ExtensionPoint:
    try:
        return _POINTS[name]
    except KeyError:
        raise LookupError(f"No extension point is named {name!r}.") from None


def draw(context, name: str, *args) -> SafeString:
    """What ``{% extension_point name *args %}`` prints: the point's contributions, or the
    slot a shared fragment put in ``extension_slots`` for a per-request point."""
    extension = point(name)
    deferred = (context.get("extension_slots") or {}).get(name)
    if deferred is not None and extension.per_request and not args:
        return deferred
    return extension.render(context, *args)


_PLAIN_VALUES = (str, int, float, bool, type(None))


@lru_cache(maxsize=2048)
def _rendered(template_name: str, items: tuple, language: str | None) -> str | None:
    """A template part drawn from plain values, rendered once per process and values (a
    user menu's inbox count, a member's moderation links: on every page, where rendering
    a small template cost a tenth of a logged-in page's time); None for a template that
    needs the request's CSRF token."""
    if "csrf_token" in get_template(template_name).template.source:
        return None
    return render_to_string(template_name, dict(items))


@receiver(setting_changed)
def _forget_rendered(**kwargs) -> None:
    _rendered.cache_clear()


def template_part(template_name: str, values: Callable[..., dict | None]) -> Callable[..., str]:
    """A contribution drawn like an inclusion tag: ``values(context, *args)`` gives the
    template's context (None: draw nothing), plus the page's ``csrf_token``."""

    def render(context, *args) -> str:
        data = values(context, *args)
        if data is None:
            return ""
        if all(isinstance(value, _PLAIN_VALUES) for value in data.values()):
            items = tuple(sorted(data.items()))
            rendered = _rendered(template_name, items, translation.get_language())
            if rendered is not None:
                return rendered
        csrf_token = context.get("csrf_token")
        if csrf_token is not None:
            data = {"csrf_token": csrf_token, **data}
        return render_to_string(template_name, data)

    render.__name__ = getattr(values, "__name__", "render")
    render.__doc__ = values.__doc__
    return render


# Sub-pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubPage:
    name: str  # the path segment, e.g. "flags"
    view: Callable | None  # view(request, pk), served at <prefix>/<id>/<name>/
    url_name: str
    routes: tuple = ()  # or URL patterns under <prefix>/<id>/<name>/ (several actions)
    tab: str = ""  # a label: shown as a tab of the page it belongs to, if ``visible``
    visible: Callable | None = None  # visible(viewer, owner) -> bool, without a query
    order: int = 100

    def url(self, pk: int) -> str:
        return reverse(self.url_name, kwargs={"pk": pk})


class SubPages:
    """Pages under ``<prefix>/<id>/<name>/``, registered by the apps that own them. Their
    names are reserved: the slug route beside them never takes one for a slug."""

    def __init__(self, prefix: str, doc: str, *, reserved: frozenset[str] = frozenset()):
        self.prefix = prefix
        self.__doc__ = doc
        self._builtin = frozenset(reserved)
        self._pages: dict[str, SubPage] = {}
        self._routed = False

    def __repr__(self) -> str:
        return f"<SubPages {self.prefix}/<id>/…>"

    def register(
        self,
        name: str,
        view: Callable | None = None,
        *,
        url_name: str = "",
        routes: list | tuple = (),
        tab: str = "",
        visible: Callable | None = None,
        order: int = 100,
    ) -> SubPage:
        """Serve ``view(request, pk)`` as ``url_name`` at ``<prefix>/<pk>/<name>/``, or
        ``routes`` under it; ``tab``: its label among the page's tabs."""
        if self._routed:
            raise RuntimeError(
                f"{self.prefix}/<id>/{name}/ registered after the URLconf was loaded: "
                "register sub-pages in AppConfig.ready()."
            )
        if name in self._pages or name in self._builtin:
            raise RuntimeError(f"{self.prefix}/<id>/{name}/ is already taken.")
        if (view is None) == (not routes) or (view is not None and not url_name):
            raise ValueError("A sub-page has a view and its url_name, or routes.")
        page = SubPage(name, view, url_name, tuple(routes), tab, visible, order)
        self._pages[name] = page
        return page

    def reserved(self) -> frozenset[str]:
        """Names no slug may take: the registered pages' and the owner's own words."""
        return self._builtin | frozenset(self._pages)

    def pages(self) -> list[SubPage]:
        return sorted(self._pages.values(), key=lambda page: (page.order, page.name))

    def tabs(self, viewer, owner) -> list[SubPage]:
        """The pages shown as tabs of ``owner``'s page to ``viewer``."""
        return [
            page
            for page in self.pages()
            if page.tab and (page.visible is None or page.visible(viewer, owner))
        ]

    def urlpatterns(self) -> list:
        """Routes relative to ``<prefix>/<id:pk>/``, for the owner's URLconf to include
        before its slug route. Registering afterwards is refused."""
        self._routed = True
        return [
            path(f"{page.name}/", page.view, name=page.url_name)
            if page.view is not None
            else path(f"{page.name}/", include(list(page.routes)))
            for page in self.pages()
        ]


# The site's own points -----------------------------------------------------------------------

topbar_nav = ExtensionPoint(
    "topbar_nav",
    "Items (``<li>``) of the top bar's navigation, after Questions and Tags. Drawn on every "
    "page, so cheap: the user row or one cache read. Per request: a shared page fills it in.",
    costs=CHEAP,
    per_request=True,
)

user_menu = ExtensionPoint(
    "user_menu",
    "Items of the logged-in user menu, after the name and reputation (an unread count, a "
    "notice…). Drawn on every page: the user row or one cache read. Per request.",
    costs=CHEAP,
    per_request=True,
)

user_pages = SubPages(
    "users",
    "Pages under a member's profile, ``users/<id>/<name>/`` (flag history, tokens…). Their "
    "names are never a member's slug (``User.slug``); ``threads.urls`` routes them before "
    "the profile's slug route.",
)

help_sections = ExtensionPoint(
    "help_sections",
    'The help centre\'s sections (``/help/``, docs/architecture.md "The help centre"): each '
    "app registers the help pages it draws from its own policy with ``help_section``; the "
    "index and every help page's contents list draw them. Links only: no query.",
    costs=frozenset({Cost.NONE}),
)


def help_section(key: str, *, title: str, url_name: str, summary: str, order: int = 100):
    """Register a help page (served by the app at ``url_name``) in the help centre."""

    def render(context, *args) -> str:
        return render_to_string(
            "core/help_section.html",
            {
                "title": title,
                "url": reverse(url_name),
                "summary": summary,
                "current": context.get("help_page") == url_name,
            },
        )

    return help_sections.register(key, render, order=order)
