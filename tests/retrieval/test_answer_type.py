"""Which questions ask for a number, and which passages give one."""

import pytest

from chatbot.retrieval.answer_type import asks_for_number, asks_outright_for_number, gives_number


@pytest.mark.parametrize(
    "question",
    [
        "How many countries are party to the anti-trafficking protocol?",
        "how much did the Cuban regime earn",
        "And in which year was that?",
        "When did the Trafficking Victims Protection Act take effect?",
        "when did the act take effect",
        "رژیم كيوبا از صادرات خدمات طبی چقدر درآمد داشت؟",  # Arabic kaf and yeh
        "و در چند سال؟",
        "چند کشور پیشرفت کردند",
        "در چه سالی این قانون تصویب شد",
    ],
)
def test_questions_that_ask_for_a_number(question):
    assert asks_for_number(question)


@pytest.mark.parametrize(
    "text",
    [
        "What is the capital of France?",
        "Which country led the fight for the tenth year?",
        "What does the report say about the Taliban?",
        # "when" and "چند" ("a few") also open clauses in statements
        "Iran saw its worst air disaster in years when an airliner crashed.",
        "یک پیش‌نویس به چاپخانه‌ای که چند بلوک دورتر بود فرستاده شد.",
        "چندین کشور پیشرفت کردند؟",  # "several", not "how many"
        "کی رئیس جمهور است؟",  # spoken "who", as often as "when"
    ],
)
def test_questions_and_statements_that_do_not(text):
    assert not asks_for_number(text)


@pytest.mark.parametrize(
    ("text", "outright"),
    [
        ("How many people live in Xinjiang?", True),
        ("کابل چند نفر جمعیت دارد؟", True),
        ("And in which year was that? ", True),
        ("how many people live in xinjiang", False),  # typed without the mark
        ("When asked for comment, Miller said he was not listening.", False),  # FLORES-200
        ("What is the capital of Cambodia?", False),  # a question, but not for a number
    ],
)
def test_only_a_question_with_its_mark_asks_outright_for_a_number(text, outright):
    """A passage without a figure counts against a question only when it asks outright."""
    assert asks_outright_for_number(text) is outright


@pytest.mark.parametrize(
    ("text", "question", "gives"),
    [
        ("Only 33 of 188 countries made progress.", "How many countries made progress?", True),
        ("تنها ۳۳ کشور از ۱۸۸ کشور پیشرفت داشتند.", "How many made progress in 2025?", True),
        ("It generated $4.9 billion in 2022.", "How much did it earn in 2022?", True),
        ("The report names Cuba and North Korea.", "How many countries does it name?", False),
        ("گزارش از طالبان نام می‌برد.", "چند کشور؟", False),
        # the question's own figures, in either script, answer nothing
        ("It released the 2025 report.", "How many pages does the 2025 report have?", False),
        ("در سال ۲۰۲۴ شمار قربانیان افزایش یافت.", "How much did victims grow in 2024?", False),
    ],
)
def test_a_passage_gives_a_number_when_it_has_a_figure_the_question_lacks(text, question, gives):
    assert gives_number(text, question) is gives
