"""Tag synonyms: suggesting, voting to approval or rejection, moderators' decisions and
merges, the retag they make, redirects, and the synonyms page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.privileges import Privilege
from core.conf import qasite_setting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import text_of
from tests.queries import assert_constant_queries
from tests.threads import moderator, user_with
from threads import services
from threads.models import Revision, RevisionKind, Tag, TaggedPost, TagSynonym, TagSynonymState

pytestmark = pytest.mark.django_db


def tag_expert(tag: str, **kwargs):
    """A user with the synonym privilege and the tag score ``TAG_SCORE`` in ``tag``."""
    user = user_with(Privilege.CREATE_TAG_SYNONYMS, **kwargs)
    AnswerFactory(
        author=user,
        question=QuestionFactory(tags=[tag]),
        score=qasite_setting("TAG_SYNONYMS.TAG_SCORE"),
    )
    return user


@pytest.fixture
def tags():
    """[js] and [javascript] in use; one question has both."""
    author = UserFactory()
    only_js = [QuestionFactory(author=author, tags=["js"]) for _ in range(2)]
    both = QuestionFactory(author=author, tags=["javascript", "js", "dom"])
    QuestionFactory(author=author, tags=["javascript"])
    return {
        "js": Tag.objects.get(name="js"),
        "javascript": Tag.objects.get(name="javascript"),
        "only_js": only_js,
        "both": both,
    }


def names(question) -> list[str]:
    return sorted(question.tags.names())


def suggest(tags, suggester=None):
    suggester = suggester or tag_expert("javascript")
    return services.tag_synonym_suggest(
        actor=suggester, source_name="js", target=tags["javascript"]
    )


# Suggesting ---------------------------------------------------------------------------------


def test_a_suggestion_counts_as_its_authors_upvote(tags):
    synonym = suggest(tags)
    assert (synonym.state, synonym.score) == (TagSynonymState.PENDING, 1)
    assert synonym.votes.get().value == 1


def test_a_replayed_suggestion_returns_the_pending_one(tags):
    expert = tag_expert("javascript")
    assert suggest(tags, expert).pk == suggest(tags, expert).pk
    assert TagSynonym.objects.count() == 1


def test_suggesting_needs_the_privilege_and_the_tag_score(tags):
    below = UserFactory(reputation=Privilege.CREATE_TAG_SYNONYMS.reputation - 1)
    with pytest.raises(PermissionDenied, match="2500 reputation"):
        suggest(tags, below)
    no_score = user_with(Privilege.CREATE_TAG_SYNONYMS)
    with pytest.raises(PermissionDenied, match=r"answer score of at least 5 in \[javascript\]"):
        suggest(tags, no_score)
    assert not TagSynonym.objects.exists()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("javascript", "can't be a synonym of itself"),
        ("Not A Tag!", "Invalid tag name"),
        ("nosuchtag", "There is no tag"),
    ],
)
def test_it_refuses_bad_sources(tags, source, message):
    with pytest.raises(ValidationError, match=message):
        services.tag_synonym_suggest(
            actor=moderator(), source_name=source, target=tags["javascript"]
        )


def test_it_refuses_a_chain(tags):
    QuestionFactory(tags=["ecmascript"])
    ecmascript = Tag.objects.get(name="ecmascript")
    mod = moderator()
    services.tag_merge(actor=mod, source_name="js", target=tags["javascript"])
    # a synonym as master: js → … is refused; a master as synonym: javascript → ecmascript too
    with pytest.raises(ValidationError, match=r"\[js\] is itself a synonym"):
        services.tag_synonym_suggest(actor=mod, source_name="ecmascript", target=tags["js"])
    with pytest.raises(ValidationError, match="has synonyms of its own"):
        services.tag_merge(actor=mod, source_name="javascript", target=ecmascript)
    with pytest.raises(ValidationError, match="already a synonym"):
        services.tag_merge(actor=mod, source_name="js", target=ecmascript)


# Voting -------------------------------------------------------------------------------------


def test_votes_approve_a_suggestion_at_the_threshold(tags):
    synonym = suggest(tags)
    needed = qasite_setting("TAG_SYNONYMS.VOTES_TO_APPROVE")
    voters = [tag_expert("javascript") for _ in range(needed - 1)]
    for voter in voters[:-1]:
        synonym = services.tag_synonym_vote(actor=voter, synonym=synonym, value=1)
        assert synonym.state == TagSynonymState.PENDING
    synonym = services.tag_synonym_vote(actor=voters[-1], synonym=synonym, value=1)
    assert (synonym.state, synonym.score, synonym.decided_by) == (
        TagSynonymState.APPROVED,
        needed,
        None,
    )
    assert Tag.objects.get(name="js").synonym_of == tags["javascript"]
    revision = tags["only_js"][0].revisions.order_by("-number").first()
    assert (revision.kind, revision.editor, revision.editor_name) == (
        RevisionKind.RETAG,
        None,
        "Community",
    )


def test_a_changed_vote_replaces_the_first_and_downvotes_reject(tags):
    synonym = suggest(tags)
    first, second = tag_expert("javascript"), tag_expert("javascript")
    synonym = services.tag_synonym_vote(actor=first, synonym=synonym, value=1)
    synonym = services.tag_synonym_vote(actor=first, synonym=synonym, value=1)
    assert synonym.score == 2
    synonym = services.tag_synonym_vote(actor=first, synonym=synonym, value=-1)
    assert synonym.score == 0
    synonym = services.tag_synonym_vote(actor=second, synonym=synonym, value=-1)
    assert synonym.score == -1
    third = tag_expert("javascript")
    synonym = services.tag_synonym_vote(actor=third, synonym=synonym, value=-1)
    assert synonym.state == TagSynonymState.REJECTED
    assert Tag.objects.get(name="js").synonym_of is None
    with pytest.raises(PermissionDenied, match="has been decided"):
        services.tag_synonym_vote(actor=tag_expert("javascript"), synonym=synonym, value=1)


def test_voting_needs_the_tag_score_and_not_being_the_suggester(tags):
    expert = tag_expert("javascript")
    synonym = suggest(tags, expert)
    with pytest.raises(PermissionDenied, match="counts as your vote"):
        services.tag_synonym_vote(actor=expert, synonym=synonym, value=1)
    with pytest.raises(PermissionDenied, match="answer score"):
        services.tag_synonym_vote(
            actor=user_with(Privilege.CREATE_TAG_SYNONYMS), synonym=synonym, value=1
        )
    with pytest.raises(ValidationError):
        services.tag_synonym_vote(actor=tag_expert("javascript"), synonym=synonym, value=5)


# Moderators ---------------------------------------------------------------------------------


def test_a_moderator_approves_or_rejects_alone(tags):
    synonym = suggest(tags)
    with pytest.raises(PermissionDenied, match="Only moderators"):
        services.tag_synonym_approve(actor=tag_expert("javascript"), synonym=synonym)
    mod = moderator()
    synonym = services.tag_synonym_reject(actor=mod, synonym=synonym)
    assert (synonym.state, synonym.decided_by) == (TagSynonymState.REJECTED, mod)
    again = suggest(tags)
    again = services.tag_synonym_approve(actor=mod, synonym=again)
    assert (again.state, again.decided_by, again.retagged) == (TagSynonymState.APPROVED, mod, 3)


def test_a_merge_retags_questions_and_keeps_counts_right(tags):
    mod = moderator()
    deleted = QuestionFactory(tags=["js"])
    services.post_delete(actor=mod, post=deleted)
    pending = suggest(tags)
    merge = services.tag_merge(actor=mod, source_name="js", target=tags["javascript"])
    assert merge.pk == pending.pk  # the pending suggestion of the same pair is the one approved
    assert (merge.merged, merge.state, merge.retagged) == (True, TagSynonymState.APPROVED, 4)
    for question in tags["only_js"]:
        assert names(question) == ["javascript"]
    assert names(tags["both"]) == ["dom", "javascript"]  # one link, no duplicate
    assert not TaggedPost.objects.filter(tag__name="js").exists()
    javascript, js = Tag.objects.get(name="javascript"), Tag.objects.get(name="js")
    # 2 only-js + 1 with both + 1 javascript-only (+ the expert's question); deleted not counted
    assert (
        javascript.usage_count
        == TaggedPost.objects.filter(
            tag=javascript, content_object__deleted_at__isnull=True
        ).count()
    )
    assert javascript.usage_count == 5
    assert js.usage_count == 0


def test_a_merge_writes_an_honest_retag_revision(tags):
    mod = moderator(display_name="Mo")
    both = tags["both"]
    before = both.revisions.order_by("-number").first()
    services.tag_merge(actor=mod, source_name="js", target=tags["javascript"])
    revision = both.revisions.order_by("-number").first()
    assert revision.number == before.number + 1
    assert (revision.kind, revision.editor, revision.editor_name) == (RevisionKind.RETAG, mod, "Mo")
    assert revision.tags == "javascript dom"  # the order of the revision before, js dropped
    assert (revision.title, revision.body) == (both.title, both.body)
    assert revision.summary == "Retagged [js] → [javascript] (tag synonym)"
    assert Revision.objects.filter(kind=RevisionKind.RETAG).count() == 3


def test_an_approval_sets_aside_suggestions_it_makes_impossible(tags):
    QuestionFactory(tags=["ecmascript"])
    other = services.tag_synonym_suggest(
        actor=moderator(), source_name="js", target=Tag.objects.get(name="ecmascript")
    )
    services.tag_merge(actor=moderator(), source_name="js", target=tags["javascript"])
    other.refresh_from_db()
    assert other.state == TagSynonymState.SUPERSEDED


def test_ask_and_edit_with_a_synonym_use_the_master(tags):
    services.tag_merge(actor=moderator(), source_name="js", target=tags["javascript"])
    question = QuestionFactory(tags=["js", "dom"])
    assert names(question) == ["dom", "javascript"]
    services.post_edit(
        editor=question.author,
        post=question,
        title=question.title,
        body=question.body,
        tags=["js", "javascript"],
    )
    assert names(question) == ["javascript"]


# Pages --------------------------------------------------------------------------------------


def test_synonym_pages_redirect_permanently_to_the_master(client, tags):
    services.tag_merge(actor=moderator(), source_name="js", target=tags["javascript"])
    for name in ("tag-detail", "tag-info", "tag-synonyms", "tag-wiki-revisions"):
        response = client.get(reverse(name, args=["js"]))
        assert response.status_code == 301, name
        assert response["Location"] == reverse(name, args=["javascript"])
    response = client.get("/questions/tagged/js/?sort=score")
    assert response["Location"] == "/questions/tagged/javascript/?sort=score"


def test_the_synonyms_page_suggests_and_votes_without_script(client, tags):
    expert = tag_expert("javascript")
    client.force_login(expert)
    url = reverse("tag-synonyms", args=["javascript"])
    response = client.post(url, {"source": "js"})
    assert response.status_code == 302
    synonym = TagSynonym.objects.get()
    voter = tag_expert("javascript")
    client.force_login(voter)
    page = client.get(url).content.decode()
    assert f'action="{reverse("tag-synonym-vote", args=[synonym.pk])}"' in page
    assert "Approve" not in page
    response = client.post(reverse("tag-synonym-vote", args=[synonym.pk]), {"vote": "up"})
    assert response.status_code == 302
    assert "the score is now 2" in text_of(client.get(url).content.decode())
    unknown = client.post(reverse("tag-synonym-vote", args=[synonym.pk]), {"vote": "x"})
    assert unknown.status_code == 400


def test_the_synonyms_page_shows_form_errors(client, tags):
    client.force_login(tag_expert("javascript"))
    url = reverse("tag-synonyms", args=["javascript"])
    for source, message in [
        ("Bad Name!", "Invalid tag name"),
        ("javascript", "can't be a synonym of itself"),
        ("x" * 40, "at most 35 characters"),
    ]:
        response = client.post(url, {"source": source})
        assert response.status_code == 400
        assert message in text_of(response.content.decode())


def test_the_synonyms_page_refuses_the_unprivileged(client, tags):
    url = reverse("tag-synonyms", args=["javascript"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"source": "js"}).status_code == 403
    client.force_login(UserFactory())
    page = client.get(url).content.decode()
    assert "Suggest a synonym" not in page
    response = client.post(url, {"source": "js"})
    assert response.status_code == 403
    assert "2500 reputation" in text_of(response.content.decode())
    synonym = suggest(tags)
    vote = client.post(reverse("tag-synonym-vote", args=[synonym.pk]), {"vote": "up"})
    assert vote.status_code == 403
    assert "2500 reputation to vote on synonyms" in text_of(vote.content.decode())
    assert TagSynonym.objects.get().score == 1
    decide = reverse("tag-synonym-decide", args=[synonym.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    merge = reverse("tag-merge", args=["javascript"])
    assert client.post(merge, {"merge-source": "js"}).status_code == 403
    missing = client.post(reverse("tag-synonym-vote", args=[999999]), {"vote": "up"})
    assert missing.status_code == 404
    assert client.get(reverse("tag-synonyms", args=["nosuchtag"])).status_code == 404


def test_moderators_approve_reject_and_merge_from_the_page(client, tags):
    client.force_login(moderator())
    synonym = suggest(tags)
    url = reverse("tag-synonyms", args=["javascript"])
    page = client.get(url).content.decode()
    assert "Approve" in page and "Merge a tag into" in page
    decide = reverse("tag-synonym-decide", args=[synonym.pk])
    assert client.post(decide, {"decision": "reject"}).status_code == 302
    assert TagSynonym.objects.get().state == TagSynonymState.REJECTED
    response = client.post(reverse("tag-merge", args=["javascript"]), {"merge-source": "nope"})
    assert response.status_code == 400
    assert "There is no tag [nope]" in text_of(response.content.decode())
    response = client.post(reverse("tag-merge", args=["javascript"]), {"merge-source": "js"})
    assert response.status_code == 302
    seen = text_of(client.get(url).content.decode())
    assert "js → javascript" in seen
    assert "3 questions retagged" in seen
    assert client.get("/questions/tagged/js/").status_code == 301


def test_the_synonyms_page_costs_constant_queries(client, tags, django_assert_max_num_queries):
    client.force_login(moderator())
    url = reverse("tag-synonyms", args=["javascript"])
    counter = iter(range(100))

    def add_rows():
        name = f"syn{next(counter)}"
        QuestionFactory(tags=[name])
        services.tag_synonym_suggest(actor=moderator(), source_name=name, target=tags["javascript"])

    client.get(url)  # the first request of a login writes its session
    assert_constant_queries(client, url, add_rows)
    # tag, session, user, synonyms, pending suggestions with the viewer's votes, decisions
    with django_assert_max_num_queries(6):
        client.get(url)
