"""HTML rendering of answers: escaping, highlights, direction, abstention."""

import pytest

from chatbot.answer.messages import message
from chatbot.answer.text import format_result
from chatbot.articles.reader import SkippedFile
from chatbot.chunks import ChunkingSettings
from chatbot.index.builder import IndexReport
from chatbot.index.store import ArticleRecord
from chatbot.retrieval import Passage, QuestionError, RetrievalResult
from chatbot.web.indexing import IndexStatus
from chatbot.web.render import (
    render_answer,
    render_articles,
    render_index_status,
    render_question,
    render_question_error,
    render_upload_refused,
)
from chatbot.web.uploads import UploadError, safe_filename

HOSTILE = (
    'Intro. <script>alert(1)</script> The <img src=x onerror="alert(2)"> best sentence. '
    "[link](javascript:alert(3)) $$x$$ tail."
)
ARTICLE = "Title line\n\n" + HOSTILE + "\n\nLast paragraph."


def _passage(**changes) -> Passage:
    start = ARTICLE.index(HOSTILE)
    best = HOSTILE.index("The <img")
    fields = {
        "rank": 1,
        "score": 0.9,
        "article": "a<b>.txt",
        "title": "Title <i>line</i>",
        "language": "en",
        "start": start,
        "end": start + len(HOSTILE),
        "text": HOSTILE,
        "highlight_start": best,
        "highlight_end": HOSTILE.index(" [link]"),
    }
    return Passage(**{**fields, **changes})


def _result(answered: bool = True, language: str = "en", **changes) -> RetrievalResult:
    return RetrievalResult("question?", language, answered, [_passage(**changes)])


def test_article_text_is_escaped_everywhere():
    html = render_answer(_result(), {"a<b>.txt": ARTICLE}.get)
    for raw in ("<script", "<img", "<i>", "<b>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=&quot;alert(2)&quot;" in html
    assert "a&lt;b&gt;.txt" in html and "Title &lt;i&gt;line&lt;/i&gt;" in html
    assert "[link](javascript:alert(3))" in html  # Markdown is left as text


def test_best_sentence_is_marked_in_the_passage_and_in_the_article():
    html = render_answer(_result(), {"a<b>.txt": ARTICLE}.get)
    best = '<mark class="qa-best">The &lt;img src=x onerror=&quot;alert(2)&quot;&gt; best sentence.'
    assert html.count(best) == 2
    article = html[html.index('class="qa-article"') :]
    assert article.index("Title line") < article.index('<mark class="qa-in-article">')
    assert article.index("tail.</mark>") < article.index("Last paragraph.")


def test_article_view_is_left_out_when_the_article_changed():
    html = render_answer(_result(), {"a<b>.txt": "a different text"}.get)
    assert "qa-source" not in html and "qa-best" in html
    assert "qa-source" not in render_answer(_result(), {}.get)


def test_other_articles_holding_the_passage_are_named_escaped():
    html = render_answer(_result(also_in=("copy <1>.txt", "b.txt")), {}.get)
    citation = html[html.index('<div class="qa-cite">') : html.index("</div>")]
    assert message("also_in", "en") in citation
    assert '<span class="qa-file" dir="ltr">copy &lt;1&gt;.txt</span>, ' in citation
    assert "b.txt" in citation
    assert "qa-also-in" not in render_answer(_result(), {}.get)


def test_dari_answer_reads_right_to_left_with_dari_labels():
    html = render_answer(_result(language="prs"), {"a<b>.txt": ARTICLE}.get)
    assert html.startswith('<div class="qa-answer" dir="rtl" lang="fa-AF">')
    assert message("lead", "prs") in html and message("show_article", "prs") in html
    assert message("language_en", "prs") in html
    assert '<blockquote class="qa-text" dir="ltr" lang="en">' in html  # the passage is English
    assert '<span class="qa-rank">[۱]</span>' in html


def test_unanswered_question_says_so_and_folds_the_closest_passages():
    html = render_answer(_result(answered=False), {}.get)
    assert message("no_answer", "en") in html and message("lead", "en") not in html
    assert html.index('<details class="qa-closest">') < html.index('class="qa-passage"')


def test_a_request_for_more_says_whether_there_is_more():
    more = RetrievalResult("Tell me more.", "en", True, [_passage()], more=True)
    assert message("lead_more", "en") in render_answer(more, {}.get)
    assert format_result(more).startswith(message("lead_more", "en"))
    # nothing left to show: not "no articles are indexed"
    none_left = RetrievalResult("بیشتر توضیح بده", "prs", False, [], more=True)
    html = render_answer(none_left, {}.get)
    assert message("no_more", "prs") in html and "<details" not in html
    assert format_result(none_left) == message("no_more", "prs")


def test_names_no_article_holds_are_named_in_the_question_s_language():
    result = RetrievalResult("question?", "prs", False, [_passage()], not_mentioned=("برازیل",))
    html = render_answer(result, {}.get)
    assert '<p class="qa-lead qa-no-answer">مقاله‌ها به <bdi dir="auto">برازیل</bdi>' in html
    assert message("no_answer", "prs") not in html
    names = ("Lionel Messi", "GDP")
    english = RetrievalResult("q?", "en", False, [_passage()], not_mentioned=names)
    html = render_answer(english, {}.get)
    assert 'The articles do not mention <bdi dir="auto">Lionel Messi, GDP</bdi>.' in html


def test_an_answer_that_leaves_out_a_country_the_question_names_says_so():
    # a question about a country no passage names may still be answered on the rest
    result = RetrievalResult("q?", "en", True, [_passage()], not_mentioned=("Tajikistan",))
    html = render_answer(result, {}.get)
    assert (
        '<p class="qa-lead">The articles do not mention <bdi dir="auto">Tajikistan</bdi>.' in html
    )
    assert "<details" not in html and message("lead", "en") not in html
    assert format_result(result).startswith(
        "The articles do not mention Tajikistan. These passages may still answer"
    )


def test_question_and_error_carry_their_direction():
    assert render_question("<b>چند کشور؟</b>", "prs") == (
        '<div class="qa-question" dir="rtl" lang="fa-AF">&lt;b&gt;چند کشور؟&lt;/b&gt;</div>'
    )
    error = QuestionError("no_words")
    html = render_question_error(error, "prs")
    assert html.startswith('<div class="qa-answer qa-error" dir="rtl" lang="fa-AF">')
    assert f"<p>{error.in_language('prs')}</p>" in html and 'dir="ltr"' not in html
    assert f"<p>{error}</p>" in render_question_error(error, "en")


def test_article_list_and_index_status_are_escaped():
    record = ArticleRecord(
        id=1,
        path="x<y>.txt",
        title="<script>t</script>",
        language="prs",
        content_hash="hash",
        size=10,
        mtime_ns=0,
        indexed_at=0.0,
        chunks=3,
    )
    table = render_articles([record], "en")
    assert "<script>" not in table and "&lt;script&gt;t&lt;/script&gt;" in table
    assert '<td dir="rtl" lang="fa-AF">' in table and "<td>Dari</td>" in table
    assert "<td>۳</td>" in render_articles([record], "prs")
    assert message("articles_empty", "prs") in render_articles([], "prs")

    report = IndexReport(added=["a.txt"])
    status = IndexStatus(False, 0, 0, report, None, 1)
    html = render_index_status(status, "en", saved="<x>.txt")
    assert 'Saved as <bdi dir="ltr">&lt;x&gt;.txt</bdi>.' in html and "1 added" in html
    running = IndexStatus(True, 16, 40, None, None, 0)
    assert "16 of 40" in render_index_status(running, "en")
    assert "۱۶ از ۴۰" in render_index_status(running, "prs")
    not_started = render_index_status(status, "en", waiting=True)
    assert message("indexing_started", "en") in not_started and "added" not in not_started
    assert render_index_status(IndexStatus(False, 0, 0, None, None, 0), "en") == ""


def test_file_names_and_english_reasons_are_isolated_in_a_dari_status():
    report = IndexReport(
        added=["2024_report.txt"],
        skipped=[SkippedFile("<img src=x onerror=alert(1)>.pdf", "too large (9 MB > 5 MB)")],
    )
    html = render_index_status(IndexStatus(False, 0, 0, report, None, 1), "prs", "2024_report.txt")
    assert html.startswith('<ul class="qa-status" dir="rtl" lang="fa-AF"><li>')
    assert '<li>با نام <bdi dir="ltr">2024_report.txt</bdi> ذخیره شد.</li>' in html
    assert (
        '<li><bdi dir="ltr">&lt;img src=x onerror=alert(1)&gt;.pdf</bdi> کنار گذاشته شد: '
        '<bdi dir="ltr" lang="en">too large (9 MB &gt; 5 MB)</bdi></li>'
    ) in html
    assert "<img" not in html

    damaged = IndexReport(added=["<i>cut</i>.txt"], damaged=[("<i>cut</i>.txt", 3)])
    html = render_index_status(IndexStatus(False, 0, 0, damaged, None, 1), "prs")
    assert '<li><bdi dir="ltr">&lt;i&gt;cut&lt;/i&gt;.txt</bdi>: ۳ بایت آن UTF-8' in html

    rechunked = IndexReport(chunking_change=(ChunkingSettings(160, 32), ChunkingSettings(384, 32)))
    html = render_index_status(IndexStatus(False, 0, 0, rechunked, None, 1), "prs")
    assert "پیش از این ۱۶۰ توکن (همپوشانی ۳۲) بودند و اکنون ۳۸۴ توکن" in html
    html = render_index_status(IndexStatus(False, 0, 0, rechunked, None, 1), "en")
    assert "Chunks were 160 tokens (overlap 32) and are now 384 (overlap 32)" in html

    failed = IndexStatus(False, 0, 0, None, "cannot open <db> (disk full)", 1)
    assert (
        'نمایه‌سازی ناکام ماند: <bdi dir="ltr" lang="en">cannot open &lt;db&gt; (disk full)</bdi>'
    ) in render_index_status(failed, "prs")


_LEFT_OF = """([first, second]) => {
  const where = (word) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      return range.getBoundingClientRect().x;
    }
    throw new Error(`${word} is not on the page`);
  };
  return where(first) < where(second);
}"""


@pytest.mark.browser
def test_chromium_shows_the_file_name_whole_in_a_dari_status(browser):
    report = IndexReport(skipped=[SkippedFile("2023_notes.pdf", "too large (9 MB > 5 MB)")])
    status = IndexStatus(False, 0, 0, report, None, 1)
    page = browser.new_page()
    try:
        html = render_index_status(status, "prs", saved="2024_report.txt")
        page.set_content(f'<html dir="rtl" lang="fa-AF"><body>{html}</body></html>')
        assert page.evaluate(_LEFT_OF, ["2024", "report"])  # not "report.txt_2024"
        assert page.evaluate(_LEFT_OF, ["2023", "notes"])
    finally:
        page.close()


def test_a_refused_upload_says_why_in_the_page_language_with_the_name_escaped():
    with pytest.raises(UploadError) as refused:
        safe_filename("<b onclick=x>.exe")
    html = render_upload_refused(refused.value, "prs")
    assert html == (
        '<ul class="qa-status" dir="rtl" lang="fa-AF"><li>فایل افزوده نشد: '
        '«<bdi dir="ltr">&lt;b onclick=x&gt;.exe</bdi>» فایل مقاله نیست: تنها فایل‌های '
        '<bdi dir="ltr">.txt .md .html .pdf</bdi> را می‌توان افزود.</li></ul>'
    )
    assert "not an article file" in str(refused.value)  # the English text, for logs
    failed = render_upload_refused(OSError("No space left on device"), "prs")
    assert '<bdi dir="ltr" lang="en">No space left on device</bdi>' in failed
    assert message("upload_missing", "en") in render_upload_refused(None, "en")
