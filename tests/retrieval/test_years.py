"""Questions about a year no article mentions, over the real seeds index (the articles
name 2000, 2021, 2022, 2024 and 2025)."""

from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever
from chatbot.retrieval.years import absent_years


def test_a_question_about_a_year_no_article_mentions_is_not_answered(retriever):
    # Both were answered before: the seeds give sums and counts for other years.
    aid = retriever.search("How much did the United States spend on foreign aid in 2023?")
    assert not aid.answered and aid.not_mentioned == ("2023",)
    refugees = retriever.search("چه تعداد پناهجو در سال ۲۰۲۳ به اروپا رسیدند؟")
    assert not refugees.answered and refugees.not_mentioned == ("۲۰۲۳",)


def test_years_the_articles_mention_in_either_calendar_are_no_obstacle(retriever):
    snapshot = retriever._loaded
    for question in [
        "Which edition of the Trafficking in Persons Report was released in 2025?",
        "در سال ۲۰۲۴ شمار قربانیان کار اجباری چگونه تغییر کرد؟",
        "در سال ۱۴۰۳ شمار قربانیان چگونه تغییر کرد؟",  # Solar Hijri: 2024-25
        "رژیم کیوبا در سال ۱۴۰۱ چقدر درآمد داشت؟",  # 2022-23
    ]:
        assert absent_years(question, snapshot) == (), question
    assert retriever.search(
        "How much revenue did Cuba earn from exporting medical services in 2022?"
    ).answered


def test_only_numbers_that_are_years_count(retriever):
    snapshot = retriever._loaded
    assert absent_years("در سال ۱۳۹۰ چه شد؟", snapshot) == ("۱۳۹۰",)  # 2011-12
    assert absent_years("What happened in 1990 and 2023?", snapshot) == ("1990", "2023")
    # counts, and a number of the Solar range without "سال" before it
    assert absent_years("Were 1500 or 80,000 people held?", snapshot) == ()
    assert absent_years("آیا ۱۳۵۰ کارگر آزاد شدند؟", snapshot) == ()


def test_a_decade_or_the_other_calendar_in_an_article_mentions_the_year(tmp_path, embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "rice.txt").write_text(
        "Rice in Herat\n\nRice exports from Herat grew through the 1960s.\n\n"
        "In 1402 the province's farmers sold more rice than ever.\n",
        encoding="utf-8",
    )
    update_index(articles, tmp_path / "index", embedder)
    snapshot = Retriever(tmp_path / "index", embedder)._loaded
    assert absent_years("How much rice did Herat export in 1965?", snapshot) == ()
    assert absent_years("How much rice was sold in 2023?", snapshot) == ()  # 1402
    assert absent_years("How much rice was sold in 1975?", snapshot) == ("1975",)
