"""The Q&A core in a real browser: sign up, ask, answer, comment, vote, accept."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD, QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url: str, username: str, *, login: str | None = None) -> None:
    """Log in through the form, by username (or by ``login``: an email address)."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(login or username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The top bar's own link: other links on the page may contain the name too.
    expect(page.locator(".user-link")).to_contain_text(username)


def sign_up(page, username: str, email: str, password: str = "a-long-password-1") -> None:
    """From any page, through the top bar's Sign up link."""
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".user-link")).to_contain_text(username)


def confirm_email(page, email: str) -> None:
    """Open the confirmation link of the last mail sent to ``email`` (the live server runs
    in this process: its mail is in ``django.core.mail.outbox``) and confirm."""
    sent = [message for message in mail.outbox if email in message.to]
    assert sent, f"no mail to {email}"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", sent[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()


def test_it_runs_the_whole_question_and_answer_loop(live_server, browser, page):
    QuestionFactory(tags=["python"])  # the tag exists: new users can't create tags
    answerer = UserFactory(username="helpful", display_name="helpful", reputation=60)
    base = live_server.url

    # A visitor signs up and asks.
    page.goto(base)
    sign_up(page, "asker", "asker@example.com")
    confirm_email(page, "asker@example.com")
    page.get_by_role("link", name="Ask Question").first.click()
    page.get_by_label("Title").fill("How do I square every element of a numpy array?")
    page.get_by_label("Body").fill(
        "I have `arr = np.arange(10)` and want each value squared, like $x^2$."
    )
    page.get_by_label("Tags").fill("python")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("square every element")
    question_url = page.url
    expect(page.locator("#question math")).to_have_count(1)

    # A second user answers, comments and upvotes (the vote without a page reload).
    other = browser.new_context()
    other_page = other.new_page()
    log_in(other_page, base, answerer.username)
    other_page.goto(question_url)
    other_page.get_by_role("textbox", name="Your answer").fill(
        "Use `arr ** 2`: it is vectorised and fast."
    )
    other_page.get_by_role("button", name="Post Your Answer").click()
    expect(other_page.get_by_role("heading", name="1 Answer")).to_be_visible()
    question = other_page.locator("#question")
    question.get_by_text("Add a comment").click()
    question.get_by_label("Comment", exact=True).fill("Do you need it in place or as a copy?")
    question.get_by_role("button", name="Add comment").click()
    expect(question.locator(".comment")).to_contain_text("Do you need it in place")
    question.get_by_role("button", name="Up vote").click()
    expect(question.locator("[data-score]")).to_have_text("1")
    other_page.reload()
    expect(other_page.locator("#question [data-score]")).to_have_text("1")

    # The asker accepts; reputation changes show: 1 + 10 (upvote) + 2 (accepting).
    page.goto(question_url)
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.locator(".accepted-answer")).to_have_count(1)
    expect(page.locator(".user-link .rep")).to_have_text("13")
    expect(page.locator(".accepted-answer .user-card.owner .rep")).to_have_text("75")
    other.close()
