"""Questions about a country no article names, over the real seeds index (it names,
among others, Cambodia, North Korea, Cuba, China, Russia, Ukraine, the United States
and, in the Dari article, the 13 countries of its list) and a small index of its own."""

from chatbot.answer.text import format_result
from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever
from chatbot.retrieval.country_mentions import absent_countries, spelled_alike


def test_a_question_about_a_country_no_article_names_is_not_answered(retriever):
    # Answered before, at relevance 0.20-0.23: the seeds speak of trafficking cases.
    pakistan = retriever.search("How many trafficking cases were prosecuted in Pakistan?")
    assert not pakistan.answered and pakistan.not_mentioned == ("Pakistan",)
    assert format_result(pakistan).startswith("The articles do not mention Pakistan.")
    venezuela = retriever.search("روبیو دربارهٔ ونزوئلا چه گفت؟")
    assert not venezuela.answered and venezuela.not_mentioned == ("ونزوئلا",)


def test_a_country_spelled_as_afghans_write_it_is_a_country_the_articles_lack(retriever):
    # "تاجیکستان", where CLDR writes "تاجکستان"; the seeds never name Tajikistan
    question = "گزارش دربارهٔ قاچاق انسان در تاجیکستان چه می‌گوید؟"
    assert absent_countries(question, retriever._loaded, lambda: []) == ("تاجیکستان",)


def test_countries_the_articles_name_in_either_language_are_no_obstacle(retriever):
    snapshot = retriever._loaded
    for question in [
        "What did the Cuban regime earn from medical services?",
        "Is Belarus one of the countries the 2025 report highlights?",  # "بلاروس"
        "در کوریای شمالی چند نفر در اردوگاه‌های زندان نگهداری می‌شوند؟",  # "North Korea"
        "What did Russian-led forces make Ukrainians do?",
    ]:
        assert absent_countries(question, snapshot, lambda: []) == (), question
    assert retriever.search("What did the Cuban regime earn from medical services?").answered


def test_the_passages_found_are_read_only_for_a_country_the_index_lacks(retriever):
    snapshot = retriever._loaded
    read = []

    def first_passages() -> list[str]:
        read.append(True)
        return []

    assert absent_countries("What did Cuba earn?", snapshot, first_passages) == ()
    assert absent_countries("What does Qatar do?", snapshot, first_passages) == ("Qatar",)
    assert read == [True]


def test_a_country_spelled_otherwise_in_the_passages_found_is_named(tmp_path, embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "moldova.txt").write_text(
        "مولدووا\n\nدین اصلی مردم مولدووا مسیحیت ارتدکس است.\n", encoding="utf-8"
    )
    update_index(articles, tmp_path / "index", embedder)
    retriever = Retriever(tmp_path / "index", embedder)
    snapshot = retriever._loaded
    # CLDR writes "مولداوی": the index does not hold it, the passage spells it otherwise
    question = "دین اصلی مردم مولداوی چیست؟"
    texts = [p.text for p in retriever.search(question).passages]
    assert absent_countries(question, snapshot, lambda: texts) == ()
    assert absent_countries(question, snapshot, lambda: []) == ("مولداوی",)
    assert absent_countries("دین اصلی مردم ارمنستان چیست؟", snapshot, lambda: texts) == (
        "ارمنستان",
    )


def test_spellings_a_letter_or_two_apart_as_the_name_is_long():
    assert spelled_alike("هیتی", "هایتی")  # four letters: one apart
    assert spelled_alike("مکزیکی", "مکسیکو") and spelled_alike("مولدووا", "مولداوی")  # two
    assert not spelled_alike("chile", "china") and not spelled_alike("oman", "iran")
    assert not spelled_alike("cub", "cuba")  # three letters: exactly
    assert not spelled_alike("paraguay", "پاراگوئه")  # another script
