"""Names matched across scripts in a real index: names only, found in base and delta."""

from pathlib import Path

from chatbot.index import load_snapshot
from chatbot.index.builder import update_index

ENGLISH = """Aid and the virus

In Cambodia, officials owned the buildings used by scam operators.
The coronavirus spread quickly; the new coronavirus closed schools.
"""
DARI = """کمک‌ها و ویروس

در کمبودیا مقامات مالک ساختمان‌ها بودند. کروناویروس به سرعت گسترش یافت.
"""


def test_names_are_matched_across_scripts_and_borrowed_words_are_not(tmp_path: Path, embedder):
    articles, index = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    (articles / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (articles / "prs.txt").write_text(DARI, encoding="utf-8")
    update_index(articles, index, embedder)
    names = load_snapshot(index).names

    assert names.in_other_script("و در کمبودیا چه؟") == ["cambodia"]
    assert names.in_other_script("What about Cambodia?") == ["کمبودیا"]
    # "coronavirus" is a common word in the English text: not a name
    assert names.in_other_script("کروناویروس چگونه گسترش یافت؟") == []
    # a name typed in lower case is taken where the articles write it as one
    assert names.in_other_script("and what about cambodia?") == ["کمبودیا"]
    assert names.in_other_script("How did the coronavirus spread?") == []
    assert names.in_other_script("What about Cambodia?", leaving_out={"cambodia"}) == []

    # an article added later is in the index's delta, and its names are found too
    (articles / "later.txt").write_text(
        "Later news\n\nThe Taliban closed schools in Afghanistan again.\n", encoding="utf-8"
    )
    update_index(articles, index, embedder)
    names = load_snapshot(index).names
    assert names.in_other_script("طالبان و افغانستان") == ["taliban", "afghanistan"]


def test_country_names_are_matched_however_short_or_translated(tmp_path: Path, embedder):
    """Short names have too few consonants for a skeleton and some are translated; the
    Afghan spelling of a name is found from CLDR's."""
    articles, index = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    (articles / "en.txt").write_text(
        "The list\n\nIn North Korea and Cuba, prisoners are forced to work.\n", encoding="utf-8"
    )
    (articles / "prs.txt").write_text(
        "فهرست\n\nایران، ایریتریا و فلیپین در این فهرست شامل اند. در شمال هم. کمک بیرونی"
        " و حکمرانی خوب برنده است.\n",
        encoding="utf-8",
    )
    update_index(articles, index, embedder)
    names = load_snapshot(index).names

    assert names.in_other_script("Is Iran on the list?") == ["ایران"]
    assert "فلیپین" in names.in_other_script("What about the Philippines?")
    # CLDR writes "اریتریا", too short for a skeleton: found a vowel letter apart
    assert names.in_other_script("Is Eritrea on the list?") == ["ایریتریا"]
    assert names.in_other_script("What about Brunei?") == []
    # the words of a longer name are not varied: "شمال" is "north", not North Korea
    assert names.in_other_script("What about North Korea?") == []
    assert names.in_other_script("در کوریای شمالی و کیوبا چه؟") == ["north", "korea", "cuba"]
    # word by word: each word of a country's name gets the country's spellings
    assert names.in_other_script_by_word("در کوریای شمالی و کیوبا چه؟") == {
        "کوریای": ["north", "korea"],
        "شمالی": ["north", "korea"],
        "کیوبا": ["cuba"],
    }


def test_the_people_of_a_country_are_matched_to_its_name_and_back(tmp_path: Path, embedder):
    articles, index = tmp_path / "articles", tmp_path / "index"
    articles.mkdir()
    (articles / "en.txt").write_text(
        "Forced labor\n\nRussian-led forces conscript Ukrainians. Ethnic Kazakhs are held.\n",
        encoding="utf-8",
    )
    (articles / "prs.txt").write_text(
        "کار اجباری\n\nرژیم کیوبا داکتران را به خارج فرستاد. افغان‌ها مهاجرت کردند.\n",
        encoding="utf-8",
    )
    update_index(articles, index, embedder)
    names = load_snapshot(index).names

    assert names.in_other_script("روسیه و اوکراین") == ["russian", "ukrainians"]
    assert names.in_other_script("قزاق‌ها در کجا نگهداری می‌شوند؟") == ["kazakhs"]
    assert names.in_other_script("What did the Cuban regime do?") == ["کیوبا"]
    assert names.in_other_script("Where did Afghans go?") == ["افغانها"]
