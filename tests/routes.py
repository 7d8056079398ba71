"""Every route of the site (the admin's and RQ's dashboard aside), for tests that try them
all."""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

PARAMETER_RE = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# A named group of a regex route (allauth's), written as a plain ``<name>`` parameter.
REGEX_GROUP_RE = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str  # as written in the URLconfs, e.g. "questions/<id:pk>/close/"
    converters: dict  # parameter name -> converter instance

    @property
    def parameters(self) -> list[str]:
        return [match["name"] for match in PARAMETER_RE.finditer(self.route)]

    def is_numeric(self, parameter: str) -> bool:
        """Whether the parameter only matches numbers (an id, a revision number)."""
        if parameter not in self.converters:  # a regex route's group: text
            return False
        regex = self.converters[parameter].regex
        return bool(re.fullmatch(regex, "1")) and not re.fullmatch(regex, "a")

    def url(self, values: dict) -> str:
        """The path with each parameter's text as typed (percent-encoded for the client)."""

        def typed(match) -> str:
            return quote(str(values[match["name"]]), safe="")

        return "/" + PARAMETER_RE.sub(typed, self.route)


def every_route() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", {}))


def _walk(patterns, prefix: str, converters: dict):
    for pattern in patterns:
        route = prefix + _as_path(pattern.pattern)
        found = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "django-rq/")):
                continue  # Django's own, django-rq's own
            yield from _walk(pattern.url_patterns, route, found)
        else:
            yield Route(pattern.name, route, found)


def _as_path(pattern) -> str:
    """A route as ``path()`` writes it; a regex route's groups become ``<name>``."""
    if not isinstance(pattern, RegexPattern):
        return str(pattern)
    return REGEX_GROUP_RE.sub(r"<\g<name>>", str(pattern).removeprefix("^").removesuffix("$"))
