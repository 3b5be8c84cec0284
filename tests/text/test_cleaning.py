from chatbot.articles import read_articles
from chatbot.text.articles import prepare_articles
from chatbot.text.cleaning import clean_text, find_repeated_lines
from tests.conftest import EN_2021, EN_2025, PRS_2025, SEEDS

BOILERPLATE = [
    "Accessibility links",
    "Breaking News",
    "please wait",
    "No media source currently available",
    "0:00 0:03:48 0:00",
]


def seeds_by_path():
    files, skipped = read_articles(SEEDS)
    articles, empty = prepare_articles(files)
    assert not skipped and not empty
    return {a.path: a for a in articles}


def test_seed_boilerplate_is_removed_and_content_kept():
    articles = seeds_by_path()
    for article in articles.values():
        lines = article.text.split("\n\n")
        for junk in BOILERPLATE:
            assert junk not in lines, (article.path, junk)
        for size in ("XS", "SM", "MD", "LG"):
            assert size not in lines
        assert "0:00" not in article.text
    assert "We documented 11 countries" in articles[EN_2021].text
    assert "$4.9 billion" in articles[EN_2025].text
    assert "۱۳ کشور" in articles[PRS_2025].text


def test_seed_titles_and_languages():
    articles = seeds_by_path()
    assert articles[EN_2025].title == "Release of the 2025 Trafficking in Persons Report"
    assert articles[EN_2021].title == "Trafficking in Persons"
    assert articles[PRS_2025].title.startswith("وزارت خارجۀ ایالات متحده")
    assert [articles[p].language for p in (EN_2025, EN_2021, PRS_2025)] == ["en", "en", "prs"]


def test_duplicated_caption_is_kept_once():
    text = seeds_by_path()[EN_2021].text
    assert text.count("Secretary of State Antony Blinken speaks about the release") == 1


def test_rules_are_general_not_a_list_of_strings():
    site_a = "Menu\nHome\nSport\n\nA real story about rivers that flood every spring season.\n"
    site_b = "Menu\nHome\nSport\n\nAnother story, about bridges built over flooding rivers.\n"
    repeated = find_repeated_lines([site_a, site_b])
    cleaned = clean_text(site_a, repeated)
    assert cleaned.text == "A real story about rivers that flood every spring season."
    player = clean_text("A headline for the story here\n0:00 0:01:12 0:00\nLoading\nBody text.")
    assert player.text == "A headline for the story here\n\nBody text."


def test_copies_of_one_file_count_as_one_article():
    story = "River news from the valleys\n\nRivers flooded three valleys, officials said.\n"
    other = "Bridge news from the city\n\nBridges over the rivers were closed after floods.\n"
    assert find_repeated_lines([story, story, other]) == frozenset()
    title = clean_text(story, find_repeated_lines([story, story])).title
    assert title == "River news from the valleys"
    # the same story with other page chrome is another article: its title does recur
    assert "River news from the valleys" in find_repeated_lines([story, "Menu\n" + story])
