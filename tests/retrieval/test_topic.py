"""Questions that only name what they ask about, over the real seeds index."""

from chatbot.retrieval.topic import named_only_in_lists, topic_evidence, topic_words
from chatbot.text.normalize import normalize_for_matching


def names_it(passage, *spellings: str) -> bool:
    text = normalize_for_matching(passage.text)
    return any(normalize_for_matching(spelling) in text for spelling in spellings)


def test_the_words_besides_the_frame_are_the_topic():
    assert topic_words("Tell me about North Korea.") == ("north", "korea")
    assert topic_words("What does the report say about Blinken?") == ("blinken",)
    assert topic_words("گزارش در مورد کیوبا چه می‌گوید؟") == ("کیوبا",)
    assert topic_words("آیا از ایران نام برده شده است؟") == ("ایران",)
    # a question that asks one thing of its topic, or says more, is not a topic question
    assert topic_words("When did Cuba become independent?") is None
    assert topic_words("کیوبا در کجا موقعیت دارد؟") is None
    assert topic_words("What is said about forced labor in state-run medical missions?") is None
    assert topic_words("What does the report say?") is None


def test_a_question_that_only_names_a_country_is_answered_from_the_passages_naming_it(retriever):
    # Refused before: the frame fits every passage, so none stood out as an answer.
    for question, spellings in [
        ("Tell me about Cuba.", ("Cuban", "کیوبا")),
        ("What about North Korea?", ("North Korea", "کوریای شمالی")),
        ("درباره کمبودیا بگو", ("Cambodia", "کمبودیا")),
        ("Is Eritrea mentioned?", ("ایریتریا",)),
        ("درباره فلیپین بگو", ("فلیپین",)),  # as the article spells it; CLDR: "فیلیپین"
        ("Blinken?", ("Blinken",)),
    ]:
        result = retriever.search(question, top_k=3)
        assert result.answered, question
        assert names_it(result.passages[0], *spellings), question


def test_a_question_about_names_the_articles_never_hold_is_not_answered(retriever):
    # "report" is in every passage: the frame alone used to carry the first one
    brazil = retriever.search("What does the report say about Brazil?")
    assert not brazil.answered and brazil.not_mentioned == ("Brazil",)
    assert retriever.search("گزارش در مورد برازیل چه می‌گوید؟").not_mentioned == ("برازیل",)
    # a capitalised word is a name too: the articles give no GDP, only Cuba
    gdp = retriever.search("What is the GDP of Cuba?")
    assert not gdp.answered and gdp.not_mentioned == ("GDP",)
    # the words of one name stay together
    assert retriever.search("Tell me about Lionel Messi.").not_mentioned == ("Lionel Messi",)
    assert retriever.search("Tell me about Cuba.").not_mentioned == ()


def test_other_questions_are_left_to_the_abstention_rule(retriever):
    # not only names: judged on the passages as before (answered, as in the QA set)
    result = retriever.search("What did senior officials in Cambodia own?")
    assert result.answered and names_it(result.passages[0], "senior officials")
    assert not retriever.search("Tell me about the weather.").answered


def test_a_passage_that_names_the_country_only_in_a_list_comes_after_one_about_it(retriever):
    # The Dari article lists 13 countries in one sentence; it used to come first for
    # "What about North Korea?", the name's lift across languages being strongest there.
    snapshot = retriever._loaded
    evidence = topic_evidence("What does the report say about North Korea?", snapshot)
    in_lists = named_only_in_lists(snapshot, evidence, evidence.holding)
    listed = snapshot.store.chunks(sorted(in_lists)).values()
    assert [chunk.language for chunk in listed] == ["prs"]
    assert all("کوریای شمالی" in chunk.text for chunk in listed)
    for question in ("What does the report say about North Korea?", "And what about Cuba?"):
        first = retriever.search(question, top_k=3).passages[0]
        assert first.language == "en", question
    # China's own sentence names the Kazakhs and the Kyrgyz too: no list
    china = topic_evidence("Tell me about China.", snapshot)
    listed = snapshot.store.chunks(sorted(named_only_in_lists(snapshot, china, china.holding)))
    assert [chunk.language for chunk in listed.values()] == ["prs"]
    # nor when the topic names China by its people: "In China, the Chinese …" is one
    # country, not two others besides the Kazakhs and the Kyrgyz
    party = topic_evidence("What did the Chinese Communist Party do in Xinjiang?", snapshot)
    assert party.holding and not named_only_in_lists(snapshot, party, party.holding)
    # a topic that is no country ("Xinjiang") makes no sentence a list of others
    xinjiang = topic_evidence("What does the report say about Xinjiang?", snapshot)
    assert xinjiang.holding and not named_only_in_lists(snapshot, xinjiang, xinjiang.holding)


def test_a_follow_up_to_a_topic_question_keeps_the_list_after_the_passages_about_it(retriever):
    history = ["What does the report say about Russia?"]
    passages = retriever.search("Which territories?", history, top_k=10).passages
    answer = next(p.rank for p in passages if "Russian-occupied territories" in p.text)
    listing = [p.rank for p in passages if "کوریای شمالی" in p.text]
    assert answer <= 3 and all(rank > answer for rank in listing)
