"""The post editor in a real browser (docs/rules.md, "The editor and images in posts"): the
toolbar and shortcuts, the live preview of hostile Markdown sanitised exactly as stored, the
draft that survives a reload, and images uploaded by the button and by pasting; all without
a Content-Security-Policy violation (the `page` fixture checks)."""

import io
import re

import pytest
from playwright.sync_api import expect

from core.markdown import render_post
from editor.models import Upload
from tests.e2e.test_qa_flow import log_in
from tests.factories import QuestionFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    "**bold** and $x^2$\n\n<script>window.pwned = 1</script>"
    '<img src="/nothing.png" onerror="window.pwned = 2"> [a](javascript:alert(3))'
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="PNG")
    return out.getvalue()


def preview_html(page) -> str:
    return page.locator("[data-editor-preview-body]").inner_html()


def test_toolbar_shortcuts_and_the_live_preview(live_server, page):
    QuestionFactory(tags=["python"])
    UserFactory(username="writer", display_name="writer", reputation=20)
    log_in(page, live_server.url, "writer")
    page.goto(f"{live_server.url}/questions/ask/")
    body = page.get_by_role("textbox", name="Body")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar.get_by_role("button", name="Bold")).to_be_visible()
    expect(page.get_by_role("button", name="Preview")).to_be_hidden()  # the preview is live

    body.fill("word")
    body.select_text()
    toolbar.get_by_role("button", name="Bold").click()
    expect(body).to_have_value("**word**")
    toolbar.get_by_role("button", name="Undo").click()
    expect(body).to_have_value("word")
    toolbar.get_by_role("button", name="Redo").click()
    expect(body).to_have_value("**word**")
    body.press("End")
    body.press("Enter")
    body.press("Enter")
    body.press("Control+i")
    expect(body).to_have_value("**word**\n\n*emphasised text*")
    body.press("End")
    body.press("Enter")
    body.press("Control+u")
    expect(body).to_have_value("**word**\n\n*emphasised text*\n- list item")
    expect(page.locator("[data-editor-preview-body] strong")).to_have_text("word")
    expect(page.locator("[data-editor-preview-body] li")).to_have_text("list item")

    # Hostile Markdown: the preview is the stored pipeline's HTML, and nothing runs.
    body.fill(HOSTILE)
    expect(page.locator("[data-editor-preview-body] math")).to_have_count(1)
    expect(page.locator("[data-editor-preview-body] img")).to_have_count(1)
    page.wait_for_timeout(300)
    rendered = render_post(HOSTILE)
    normalise = lambda html: re.sub(r"\s+", " ", html).strip()  # noqa: E731
    assert normalise(preview_html(page)) == normalise(
        page.evaluate("(html) => { const d = document.createElement('div'); d.innerHTML = html;"
                      " return d.innerHTML; }", rendered)
    )  # fmt: skip
    assert "onerror" not in preview_html(page) and "<script" not in preview_html(page)
    assert page.evaluate("window.pwned") is None


def test_the_draft_survives_a_reload_and_goes_once_posted(live_server, page):
    question = QuestionFactory(tags=["python"])
    UserFactory(username="drafter", display_name="drafter", reputation=20)
    log_in(page, live_server.url, "drafter")
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    answer = page.get_by_role("textbox", name="Your answer")
    draft = "Use numpy's vectorised operations: arr ** 2 squares every element at once."
    answer.fill(draft)
    page.wait_for_timeout(600)  # the draft is saved as one types (debounced)
    page.reload()
    answer = page.get_by_role("textbox", name="Your answer")
    expect(answer).to_have_value(draft)
    expect(page.get_by_role("status").filter(has_text="draft was restored")).to_be_visible()
    expect(page.locator("[data-editor-preview-body]")).to_contain_text("vectorised")

    page.get_by_role("button", name="Post Your Answer").click()
    expect(page.locator(".answer .post-body").first).to_contain_text("vectorised operations")
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value("")
    page.reload()
    expect(page.get_by_role("textbox", name="Your answer")).to_have_value("")


def test_images_uploaded_by_button_and_by_paste(live_server, page):
    QuestionFactory(tags=["python"])
    UserFactory(username="shooter", display_name="shooter", reputation=20)
    log_in(page, live_server.url, "shooter")
    page.goto(f"{live_server.url}/questions/ask/")
    body = page.get_by_role("textbox", name="Body")
    body.fill("Screenshot:\n\n")

    # The toolbar's button opens the (hidden) file input.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload an image").click()
    chooser.value.set_files(
        files=[{"name": "error-dialog.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    expect(body).to_have_value(re.compile(r"!\[error-dialog\]\(/media/uploads/[0-9a-f]{32}\.png\)"))
    expect(page.get_by_role("status").filter(has_text="Image uploaded.")).to_be_visible()
    expect(page.locator("[data-editor-preview-body] img")).to_have_count(1)

    # Pasting an image from the clipboard.
    body.press("End")
    data = list(png_bytes())
    page.evaluate(
        """(bytes) => {
          const file = new File([new Uint8Array(bytes)], "image.png", {type: "image/png"});
          const transfer = new DataTransfer();
          transfer.items.add(file);
          const textarea = document.querySelector("form[data-editor] textarea[name=body]");
          textarea.focus();
          textarea.dispatchEvent(new ClipboardEvent("paste", {
            clipboardData: transfer, bubbles: true, cancelable: true}));
        }""",
        data,
    )
    expect(body).to_have_value(
        re.compile(r"\)\n*.*!\[image\]\(/media/uploads/[0-9a-f]{32}\.png\)", re.S)
    )
    expect(page.locator("[data-editor-preview-body] img")).to_have_count(2)
    assert Upload.objects.count() == 2
    # The images load (same origin, allowed by img-src).
    assert page.evaluate(
        "() => [...document.querySelectorAll('[data-editor-preview-body] img')]"
        ".every(img => img.complete && img.naturalWidth === 40)"
    )


def test_a_refused_upload_says_why(live_server, page):
    UserFactory(username="newbie", display_name="newbie", reputation=1)
    log_in(page, live_server.url, "newbie")
    page.goto(f"{live_server.url}/questions/ask/")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload an image").click()
    chooser.value.set_files(
        files=[{"name": "a.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    expect(page.get_by_role("status").filter(has_text="You need 10 reputation")).to_be_visible()
    expect(page.get_by_role("textbox", name="Body")).to_have_value("")
    assert not Upload.objects.exists()


def test_an_image_dropped_on_the_editor_and_the_toolbar_keys(live_server, page):
    QuestionFactory(tags=["python"])
    UserFactory(username="dropper", display_name="dropper", reputation=20)
    log_in(page, live_server.url, "dropper")
    page.goto(f"{live_server.url}/questions/ask/")
    body = page.get_by_role("textbox", name="Body")
    page.evaluate(
        """(bytes) => {
          const file = new File([new Uint8Array(bytes)], "chart.png", {type: "image/png"});
          const transfer = new DataTransfer();
          transfer.items.add(file);
          const textarea = document.querySelector("form[data-editor] textarea[name=body]");
          for (const type of ["dragover", "drop"]) {
            textarea.dispatchEvent(new DragEvent(type, {
              dataTransfer: transfer, bubbles: true, cancelable: true}));
          }
        }""",
        list(png_bytes()),
    )
    expect(body).to_have_value(re.compile(r"^!\[chart\]\(/media/uploads/[0-9a-f]{32}\.png\)$"))
    assert Upload.objects.count() == 1

    # The toolbar is one tab stop; the arrow keys move along it.
    toolbar = page.get_by_role("toolbar", name="Formatting")
    toolbar.get_by_role("button", name="Bold").focus()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Italic")).to_be_focused()
    page.keyboard.press("End")
    expect(toolbar.get_by_role("button", name="Redo")).to_be_focused()
    assert toolbar.locator("button[tabindex='0']").count() == 1
