"""Questions that ask for a fact of someone's life or of a place, and the passages
that can answer them."""

import pytest

from chatbot.retrieval import Retriever
from chatbot.retrieval.asked_facts import FACTS, asked_facts, speaks_of
from chatbot.text.normalize import normalize_for_matching


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("Where was he born?", {"birth"}),
        ("مارکو روبیو در کدام ایالت به دنیا آمده است؟", {"birth"}),
        ("And what is his wife's name?", {"marriage"}),
        ("با چه کسی ازدواج کرده است؟", {"marriage"}),
        ("Which university did he attend?", {"studies"}),
        ("How old is he?", {"age"}),
        ("Below what age is using someone for commercial sex a crime?", {"age"}),
        ("What is the capital of North Korea?", {"capital"}),
        ("How many people live in Xinjiang?", {"population"}),
        ("کابل چند نفر جمعیت دارد؟", {"population"}),
        ("در کابل چند نفر زندگی می‌کنند؟", {"population"}),
        ("How long is the border between North Korea and China?", {"borders"}),
        ("افغانستان در کدام قاره موقعیت دارد؟", {"continent"}),
        ("کیوبا در کدام سال مستقل شد؟", {"independence"}),
        ("How many people are held in prison camps in North Korea?", set()),
        ("What happens to children in Afghanistan?", set()),
        ("What does the report say about Cuba?", set()),
        ("Where was he born", set()),  # a statement's words, without the question mark
    ],
)
def test_the_facts_a_question_asks_for(question, facts):
    assert {fact.name for fact in asked_facts(question)} == facts


def test_a_passage_speaks_of_a_fact_in_either_language():
    birth, age = asked_facts("Where was he born?"), asked_facts("How old is he?")
    assert speaks_of("Blinken was born in New York in 1962.", birth)
    assert speaks_of("او در سال ۱۹۶۲ در نیویورک به دنیا آمد.", birth)
    assert not speaks_of("Secretary of State Antony Blinken speaks about the report.", birth)
    assert speaks_of("زمانیکه یک فرد زیر سن ۱۸ سال برای عمل سکس تجارتی کار گرفته شود", age)
    assert speaks_of("A 35-year-old man was arrested.", age)
    assert not speaks_of("Many are compelled into commercial sex work.", age)
    capital = asked_facts("What is the capital of Cambodia?")
    assert speaks_of("Phnom Penh, the capital, …", capital)
    assert speaks_of("پایتخت کمبودیا", capital)
    assert not speaks_of("In Cambodia, senior officials owned properties.", capital)


def test_the_words_are_written_in_the_matching_form():
    for fact in FACTS:
        for pattern in (fact.asked, fact.spoken_of):
            assert normalize_for_matching(pattern.pattern) == pattern.pattern, fact.name


def test_questions_about_a_named_persons_life_or_place_are_not_answered(retriever: Retriever):
    """The seeds name Blinken, Rubio, North Korea and Cambodia but say nothing of their
    lives, capitals or borders; their passages came close enough to answer these before
    (seeds check sets 1 and 5-8)."""
    about_blinken = ["What did Secretary Blinken say about trafficking?"]
    for question, history in [
        ("Where was he born?", about_blinken),
        ("Which university did he attend?", about_blinken),
        ("مارکو روبیو در کدام ایالت به دنیا آمده است؟", []),
        ("When was Marco Rubio born?", []),
        ("What is the capital of Cambodia?", []),
        ("How long is the border between North Korea and China?", []),
    ]:
        assert not retriever.search(question, history).answered, question
    # a question about an age the Dari article gives ("زیر سن ۱۸ سال") is answered
    result = retriever.search("Below what age is using someone for commercial sex a crime?")
    assert result.answered
    assert any("زیر سن" in passage.text for passage in result.passages[:3])
