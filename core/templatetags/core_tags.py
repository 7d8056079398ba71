"""Site-wide template filters (Stack Exchange's date and number formats) and the one tag
that draws an extension point (``core.extensions``), and the site's name."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html

from core import extensions
from core.conf import qasite_setting

register = template.Library()


@register.simple_tag(takes_context=True)
def extension_point(context, name: str, *args):
    """``{% extension_point "question_panels" question %}``: what the apps registered on
    the point ``name``, drawn with the page's context and ``args``."""
    return extensions.draw(context, name, *args)


@register.simple_tag
def site_name() -> str:
    """The site's name, ``QASITE["SITE"]["NAME"]`` (docs/rules.md, "The site")."""
    return qasite_setting("SITE.NAME")


@register.filter
def se_datetime(value) -> str:
    """``Feb 20, 2018 at 6:31`` in UTC, as Stack Exchange prints comment and post dates."""
    if not value:
        return ""
    moment = timezone.localtime(value, timezone.get_fixed_timezone(0))
    return f"{moment:%b} {moment.day}, {moment.year} at {moment.hour}:{moment:%M}"


@register.filter
def relative_time(value) -> str:
    """A moment a cached page may show for a long time (docs/architecture.md, "Clock and
    cache"): ``<time datetime="…" data-relative>`` with the absolute UTC date as its text,
    which stays true however old the page; static/js/relative-time.js rewrites the text to
    "5 minutes ago" in the browser and keeps the date as its title."""
    if not value:
        return ""
    moment = timezone.localtime(value, timezone.get_fixed_timezone(0)).replace(microsecond=0)
    return format_html(
        '<time datetime="{}" data-relative>{}</time>', moment.isoformat(), se_datetime(value)
    )


@register.filter
def compact_number(value) -> str:
    """1234 → ``1,234``; 12345 → ``12.3k``; 1234567 → ``1.2m``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    if abs(number) >= 1_000_000:
        return f"{number / 1_000_000:.1f}m"
    if abs(number) >= 10_000:
        return f"{number / 1000:.1f}k"
    return f"{number:,}"


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dicts built by selectors."""
    return mapping.get(key) if mapping else None


@register.filter
def is_in(value, container) -> bool:
    return value in container if container else False


@register.filter
def license_url(name: str) -> str:
    """The deed of a Creative Commons license named as dumps name it (``CC BY-SA 3.0``)."""
    parts = (name or "").split()
    if len(parts) == 3 and parts[0] == "CC":
        return f"https://creativecommons.org/licenses/{parts[1].lower()}/{parts[2]}/"
    return "https://creativecommons.org/licenses/by-sa/4.0/"


@register.filter
def absolute_url(path: str) -> str:
    """``/questions/1/x/`` → the absolute URL under ``SITE_URL`` (canonical links, OpenGraph);
    an already absolute URL (a picture in remote storage) is left as it is."""
    path = str(path or "")
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path
