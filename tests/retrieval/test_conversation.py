"""When a question leans on the conversation, and what is searched for it."""

import pytest

from chatbot.retrieval.conversation import (
    CONTEXT_FOLLOW_UPS,
    asks_for_more,
    continues_previous_answer,
    has_own_words,
    needs_context,
    search_text,
)

TOPIC = "How many people are held in prison camps in North Korea?"


@pytest.mark.parametrize(
    "question",
    [
        "And in which year was that?",
        "What about Russian-led forces?",
        "What happened there?",
        "How much did it earn?",
        "و در کدام سال؟",
        "کدام کشورها در آن فهرست شامل اند؟",
        # long, but it refers back
        "And what did the report say about the people they held in those camps?",
        # one word besides function words: nothing to search on its own
        "Which minorities?",
        "Which ones?",
        "Why?",
        "چرا؟",
        # only asks to go on
        "Tell me more.",
        "Can you tell me more, please?",
        "بیشتر توضیح بده",
        "ادامه بده",
        # refers back before a full stop
        "What did the report say about it.",
    ],
)
def test_follow_ups_need_the_conversation(question):
    assert needs_context(question)


@pytest.mark.parametrize(
    "question",
    [
        "Are there any good restaurants in Paris?",
        "Is there a report for 2024?",
        "There were how many victims in 2021?",
        "Which countries use forced labour in their public works programmes?",
        # a connective, but long enough to name its own topic
        "And how did traffickers use the internet during the COVID-19 pandemic?",
        "و گزارش در مورد طالبان و کودکان در افغانستان چه می‌گوید؟",
        # short, but two words of its own
        "How do vaccines work?",
        # asks to go on, about a topic of its own
        "Tell me more about the Olympic Games in Paris",
    ],
)
def test_questions_that_stand_on_their_own_do_not(question):
    assert not needs_context(question)


def test_a_standalone_question_is_searched_alone():
    assert search_text("Which countries use forced labour?", [TOPIC]) == (
        "Which countries use forced labour?"
    )


def test_a_follow_up_is_searched_after_the_question_it_leans_on():
    assert search_text("And in 2021?", [TOPIC]) == f"{TOPIC} And in 2021?"


def test_a_follow_up_of_a_follow_up_keeps_the_topic_and_the_follow_ups_since():
    history = ["Who wrote the report?", TOPIC, "What about Russian-led forces?"]
    assert search_text("And what labour are they forced to do?", history) == (
        f"{TOPIC} What about Russian-led forces? And what labour are they forced to do?"
    )


def test_only_the_latest_follow_ups_are_kept():
    follow_ups = [f"And in {year}?" for year in range(2015, 2015 + CONTEXT_FOLLOW_UPS + 2)]
    searched = search_text("And in 2030?", [TOPIC, *follow_ups])
    assert searched == " ".join([TOPIC, *follow_ups[-CONTEXT_FOLLOW_UPS:], "And in 2030?"])


def test_without_a_standalone_question_the_conversation_starts_at_its_first_turn():
    assert search_text("And then?", ["And in 2021?"]) == "And in 2021? And then?"


@pytest.mark.parametrize(
    ("question", "continues"),
    [
        ("And through what means?", True),
        ("و از طریق چه نوع بازداشت‌هایی؟", True),
        ("What did he say we must root out?", False),
        ("And how does the report define human trafficking?", False),
    ],
)
def test_only_a_follow_up_of_a_few_words_continues_the_previous_answer(question, continues):
    assert continues_previous_answer(question) is continues


@pytest.mark.parametrize(
    ("question", "own"),
    [
        ("And what else?", False),
        ("و دیگر چه؟", False),
        ("And who else?", False),
        ("Tell me more.", False),
        ("لطفاً جزئیات بیشتر بگویید", False),
        ("Tell me about Cuba", True),
        ("What about the weather there?", True),
        ("And what else did he say?", True),
        ("What other countries?", True),
    ],
)
def test_a_follow_up_that_only_points_back_has_no_words_of_its_own(question, own):
    assert has_own_words(question) is own


@pytest.mark.parametrize(
    ("question", "more"),
    [
        ("Tell me more.", True),
        ("And what else?", True),
        ("Please go on", True),
        ("Anything else?", True),
        ("بیشتر توضیح بده", True),
        ("ادامه بده", True),
        ("و دیگر چه؟", True),
        # no words of their own, but the passage just shown may answer them
        ("Why?", False),
        ("Explain.", False),
        ("چرا؟", False),
        # words of their own: a question, not a request for more
        ("Tell me more about Cuba", False),
        ("What other countries?", False),
        ("And what else did he say?", False),
    ],
)
def test_a_request_for_more_has_no_words_of_its_own_and_asks_for_more(question, more):
    assert asks_for_more(question) is more
