"""Tags: names as stored (lower case, synonyms resolved) and the tag wiki."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from core.markdown import render_post
from threads import tag_rules, validation
from threads.models import Tag, TagWikiRevision

#: The summary of the revision that keeps a wiki's text from before its first edit here.
EARLIER_TEXT = "The text before the first edit on this site"


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


@transaction.atomic
def tag_wiki_edit(
    *, editor, tag: Tag, excerpt: str, body: str, summary: str = "", base_number: int | None = None
) -> TagWikiRevision | None:
    """Save a tag's excerpt and wiki as a new revision; None when nothing changed. A tag's
    text from before its first edit here (an import, the admin) is kept as revision 1, by
    nobody. ``base_number`` is the revision the form showed: an edit begun on an older one
    is refused."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    tag_rules.check_edit_tag_wiki_permission(editor, tag)
    excerpt, body = " ".join(excerpt.split()), body.strip()
    validation.validate_tag_wiki(excerpt=excerpt, body=body)
    latest = tag.wiki_revisions.order_by("-number").first()
    number = latest.number if latest else 0
    if base_number is not None and base_number != number:
        raise ValidationError(
            "Someone else edited this tag's wiki while you were editing it: "
            "reload the page to see their revision."
        )
    if excerpt == tag.excerpt and body == tag.wiki_body:
        return None
    if latest is None and (tag.excerpt or tag.wiki_body):
        number = 1
        TagWikiRevision.objects.create(
            tag=tag,
            number=number,
            excerpt=tag.excerpt,
            body=tag.wiki_body,
            summary=EARLIER_TEXT,
            created_at=tag.created_at,
        )
    tag.excerpt, tag.wiki_body = excerpt, body
    tag_save(tag=tag)
    return TagWikiRevision.objects.create(
        tag=tag,
        number=number + 1,
        excerpt=excerpt,
        body=body,
        editor=editor,
        editor_name=editor.name,
        summary=summary.strip()[:300],
    )
