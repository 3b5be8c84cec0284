"""Which words of a question say who spoke, and what that changes in retrieval."""

import pytest

from chatbot.retrieval.attribution import speakers
from chatbot.retrieval.retriever import LexicalEvidence, Retriever


@pytest.mark.parametrize(
    ("question", "speaking"),
    [
        ("بلینکن گفت کشورها باید با یکدیگر چه کنند؟", {"بلینکن"}),
        ("به گفتهٔ بلینکن، در چند کشور خود حکومت قاچاقچی است؟", {"بلینکن"}),
        # what follows the verb, or the comma, is what was said
        ("بلینکن گفت چین در کجا مردم را به کار اجباری وا می‌دارد؟", {"بلینکن"}),
        ("به گفتهٔ بلینکن، چین در کجا مردم را به کار اجباری وا می‌دارد؟", {"بلینکن"}),
        ("What did Marco Rubio say about Cuba?", {"marco", "rubio"}),
        ("According to Blinken, what do traffickers keep changing?", {"blinken"}),
        ("What does the report say about Cuba?", {"report"}),  # no name: nothing to leave out
        ("How much did Cuba earn from its medical missions?", set()),
        # a statement that reports a speech is looked up as written
        ("Blinken said traffickers are constantly adapting their methods.", set()),
    ],
)
def test_the_names_next_to_a_speech_verb_name_the_speaker(question, speaking):
    assert speakers(question) == speaking


def test_the_speakers_name_is_not_evidence_across_languages(retriever: Retriever):
    snapshot = retriever._loaded
    question = "بلینکن گفت قاچاقچیان همواره در حال چه کاری هستند؟"
    assert not LexicalEvidence.of(snapshot, question, question).names.rows.size
    named = "بلینکن گزارش را در کدام تاریخ معرفی کرد؟"  # he presented it, said nothing
    assert LexicalEvidence.of(snapshot, named, named).names.rows.size


def test_a_quote_is_found_without_its_speakers_name(retriever: Retriever):
    """The passages with these quotes do not name Blinken; the article's first passage
    names him three times, and came first while his name counted."""
    for question, quoted in [
        ("به گفتهٔ بلینکن، حکومت چند کشور خودش قاچاقچی است؟", "We documented 11 countries"),
        ("بلینکن گفت چرا باید با هم کار کنیم؟", "share information"),
    ]:
        first = retriever.search(question).passages[0]
        assert quoted in first.text, (question, first.text[:80])
