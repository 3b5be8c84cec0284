"""A question's words found, translated, in passages of the other language: the
evidence that answers cross-language questions the rule used to refuse."""

from dataclasses import replace

from chatbot.retrieval import RetrievalSettings, Retriever
from chatbot.retrieval.abstention import AbstentionRule
from chatbot.retrieval.translation import MAX_EMBEDDED, MAX_WORDS, QuestionTranslations

PUNISHING = "A number of countries still compel labor as a form of punishing political opposition."


def test_a_dari_question_finds_its_words_in_an_english_passage(retriever, embedder):
    snapshot = retriever._loaded
    question = "برخی کشورها کار اجباری را برای مجازات مخالفان سیاسی به کار می‌برند؟"
    translations = QuestionTranslations(question, snapshot.words, embedder)
    assert translations.translations()["مجازات"] == "punishing"
    assert translations.held_by(PUNISHING) >= 2
    assert translations.held_by("Saffron and cardamom season the rice.") == 0


def test_short_words_numbers_and_a_missing_table_translate_to_nothing(retriever, embedder):
    words = retriever._loaded.words
    assert QuestionTranslations("Is it 2022 or 2023?", words, embedder).words == ()
    assert QuestionTranslations("مجازات", None, embedder).translations() == {}


class CountingEmbedder:
    """The real embedder, counting the texts it embeds for questions."""

    def __init__(self, inner) -> None:
        self.inner, self.embedded = inner, 0

    def embed_queries(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_queries(texts)


def test_at_most_a_few_unindexed_words_are_embedded_and_only_once(retriever, embedder):
    table = retriever._loaded.words
    words = [f"واژه{letter}" for letter in "ابپتثجچحخدذ"]  # 11 made-up Dari words
    counting = CountingEmbedder(embedder)
    translations = QuestionTranslations(" ".join(words), table, counting)
    assert len(translations.words) == 11 and counting.embedded == 0  # nothing until asked
    translations.held_by(PUNISHING)
    translations.held_by("Saffron and cardamom season the rice.")
    assert counting.embedded == MAX_EMBEDDED
    indexed = QuestionTranslations("punishing political opposition", table, counting)
    indexed.held_by("مجازات")
    assert counting.embedded == MAX_EMBEDDED  # indexed words have their vectors stored


def test_a_text_longer_than_a_question_is_not_translated(retriever, embedder):
    counting = CountingEmbedder(embedder)
    words = " ".join(f"واژه{letter}" for letter in "ابپتثجچحخدذرزژس")  # 15 words
    table = retriever._loaded.words
    pasted = QuestionTranslations(f"مجازات مخالفان سیاسی {words}", table, counting)
    assert len(pasted.words) > MAX_WORDS
    assert pasted.held_by(PUNISHING) == 0 and counting.embedded == 0


def test_cross_language_questions_are_answered_on_their_translated_words(seeds_index, embedder):
    # Refused before: each passage stood out too little, and shared no word with the
    # question in its own script (the second and third seeds check sets).
    answerable = [
        "Did survivor groups contribute information to the report?",
        "آیا اوکراینی‌ها در مناطق اشغالی مجبور به پاکسازی آوار می‌شوند؟",
        "بلینکن گفت کدام کشور نیز باید استراتژی‌های خود را تطبیق دهد؟",
    ]
    retriever = Retriever(seeds_index, embedder)
    without = RetrievalSettings(abstention=replace(AbstentionRule(), translated_words=99))
    retriever_without = Retriever(seeds_index, embedder, settings=without)
    for question in answerable:
        assert retriever.search(question).answered, question
        assert not retriever_without.search(question).answered, question
    for off_topic in ["قیمت طلا امروز چند است؟", "بهترین کتاب برای یادگیری ریاضی چیست؟"]:
        assert not retriever.search(off_topic).answered, off_topic
