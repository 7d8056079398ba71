"""Tags: names as stored (lower case, synonyms resolved) and the tag wiki."""

from collections.abc import Iterable

from django.db import transaction

from core.markdown import render_post
from threads.models import (
    Tag,
)


def normalize_tag_names(names: Iterable[str]) -> list[str]:
    """Lower-case, de-duplicated, order kept; synonyms resolve to their master tag."""
    cleaned = list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
    synonyms = dict(
        Tag.objects.filter(name__in=cleaned, synonym_of__isnull=False).values_list(
            "name", "synonym_of__name"
        )
    )
    return list(dict.fromkeys(synonyms.get(name, name) for name in cleaned))


@transaction.atomic
def tag_save(*, tag: Tag) -> Tag:
    """Create or update a tag (name, excerpt, wiki, synonym) with its wiki rendered once."""
    tag.slug = tag.name
    tag.wiki_html = render_post(tag.wiki_body) if tag.wiki_body.strip() else ""
    tag.save()
    return tag
