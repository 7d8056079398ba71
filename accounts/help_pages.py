"""The help centre's privileges page (``/help/privileges/``): the privilege table with the
reputation each privilege needs today, read from ``settings.QASITE["PRIVILEGES"]`` through
``accounts.privileges`` (docs/rules.md, "Privileges"), never written down twice."""

from django.shortcuts import render

from accounts.privileges import Privilege, privilege_table
from core.extensions import help_section

#: What each privilege lets a member do, in the help's words (the numbers come from settings).
WHAT_IT_ALLOWS = {
    Privilege.ASK: "Ask questions and post answers.",
    Privilege.REMOVE_NEW_USER_RESTRICTIONS: "Post more links and images than a new user may.",
    Privilege.UPVOTE: "Vote up questions and answers you find useful.",
    Privilege.FLAG: "Flag posts and comments for the moderators' attention.",
    Privilege.COMMENT_EVERYWHERE: "Comment on any post (you can always comment on your own "
    "posts and on answers to your questions).",
    Privilege.DOWNVOTE: "Vote down posts that are not useful.",
    Privilege.CLOSE_OWN_QUESTION: "Vote to close your own questions.",
    Privilege.CREATE_TAGS: "Create tags that do not exist yet.",
    Privilege.REVIEW_FIRST_POSTS: "Review first questions, first answers and late answers.",
    Privilege.SEE_VOTE_SPLIT: "See how many up and down votes make a post's score.",
    Privilege.EDIT_TAG_WIKIS: "Edit tag wikis and excerpts directly.",
    Privilege.EDIT_ANY_POST: "Edit any post without review (below it, edits are suggested).",
    Privilege.REVIEW_LOW_QUALITY: "Review low-quality posts and suggested edits.",
    Privilege.CREATE_TAG_SYNONYMS: "Suggest and vote on tag synonyms.",
    Privilege.CAST_CLOSE_VOTES: "Vote to close and reopen questions; review the close and "
    "reopen queues.",
    Privilege.MODERATOR_TOOLS: "See deleted posts and the moderation tools.",
    Privilege.PROTECT_QUESTIONS: "Protect questions from answers by new users.",
}


def help_privileges(request):
    rows = [
        {"reputation": reputation, "label": privilege.label, "allows": WHAT_IT_ALLOWS[privilege]}
        for reputation, privilege in privilege_table()
    ]
    return render(
        request,
        "accounts/help_privileges.html",
        {"rows": rows, "help_page": "help-privileges"},
    )


def register() -> None:
    help_section(
        "accounts.privileges",
        title="Privileges",
        url_name="help-privileges",
        summary="What you can do at each reputation.",
        order=40,
    )
