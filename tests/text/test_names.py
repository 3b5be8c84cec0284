"""Which words are taken for names when they are matched across scripts."""

from chatbot.text.names import capitalised_words, written_as_name


def test_a_question_capitalises_its_names_inside_a_sentence():
    question = "How much did Cambodia earn? Afghanistan and the Taliban. what about myanmar?"
    assert capitalised_words(question) == {"cambodia", "taliban"}
    assert capitalised_words("و در کمبودیا چه؟") == set()


def test_a_word_written_with_a_capital_inside_sentences_is_a_name():
    texts = [
        "In Cambodia, for example, senior officials owned properties.",
        "Cambodia is a start of a sentence and counts for nothing. Aid to Cambodia rose.",
    ]
    assert written_as_name("cambodia", texts)


def test_a_common_word_is_not_a_name_even_where_a_heading_capitalises_it():
    texts = [
        "Coronavirus Disease 2019\n\nThe coronavirus spreads; the new coronavirus is a virus.",
        "A Coronavirus Update: how the coronavirus spreads.",
    ]
    assert not written_as_name("coronavirus", texts)
    assert not written_as_name("muscle", ["Muscle pain. The muscle aches."])
