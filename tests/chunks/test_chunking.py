import pytest

from chatbot.articles import read_articles
from chatbot.chunks import ChunkingSettings, chunk_article, sentence_spans
from chatbot.text.articles import prepare_articles
from tests.conftest import SEEDS


def test_chunk_offsets_map_back_exactly_and_respect_the_token_limit(embedder):
    files, _ = read_articles(SEEDS)
    articles, _ = prepare_articles(files)
    settings = ChunkingSettings()
    for article in articles:
        chunks = chunk_article(article.text, embedder.count_tokens, settings)
        assert len(chunks) > 1
        for chunk in chunks:
            assert article.text[chunk.start : chunk.end] == chunk.text
            assert embedder.count_tokens(chunk.text) <= settings.max_tokens
        covered = "".join(article.text[c.start : c.end] for c in chunks)
        assert len(covered) >= len(article.text.replace("\n\n", "")) * 0.95


def test_persian_punctuation_splits_a_long_dari_paragraph(embedder):
    sentence = "قاچاق انسان یک جنایت هولناک است که باید با آن مبارزه کرد؟ "
    text = sentence * 40
    chunks = chunk_article(text.strip(), embedder.count_tokens, ChunkingSettings(max_tokens=64))
    assert len(chunks) > 1
    assert all(c.text.endswith("؟") for c in chunks)


SENTENCES_IN_BOTH_SCRIPTS = [
    "First sentence here.",
    "Second one follows!",
    "در این گزارش آمده است.",
    "آیا درست است؟",
]
ABBREVIATIONS = [  # the seeds' "On July 1, the U.S. State Department…" was cut after "U.S."
    "On July 1, the U.S. State Department issued its annual report.",
    "Dr. Smith met J. R. R. Tolkien in St. Petersburg.",
    "The talks went well in the U.S.",
]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (" ".join(SENTENCES_IN_BOTH_SCRIPTS), SENTENCES_IN_BOTH_SCRIPTS),
        # an abbreviation's full stop ends no sentence, but a line break still does
        (
            " ".join(ABBREVIATIONS) + "\nA new line starts here.",
            [*ABBREVIATIONS, "A new line starts here."],
        ),
    ],
    ids=["both scripts", "abbreviations"],
)
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences
