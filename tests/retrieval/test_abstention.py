"""The abstention rule: dense relevance settles most questions, term evidence the
ones in its band."""

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from chatbot.index import load_snapshot
from chatbot.index.background import TERMS_FILE, Background
from chatbot.index.builder import update_index
from chatbot.index.checksums import CHECKSUMS_FILE, write_checksums
from chatbot.index.snapshot import SNAPSHOTS_DIR, current_snapshot_name
from chatbot.retrieval import RetrievalSettings, Retriever
from chatbot.retrieval.abstention import TERM_EVIDENCE_VARIABLE, AbstentionRule
from chatbot.retrieval.retriever import Candidate
from tests.conftest import SEEDS

# Seeds QA row en-prs-06, in the band (relevance 0.107): answered only through term
# evidence. Its answer is in the Dari article ("۱۳۸ کشور و قلمرو").
IN_BAND = "How many countries and territories have comprehensive anti-trafficking laws?"
OFF_TOPIC = "What is the best recipe for a lentil soup?"
TERMS_ON = AbstentionRule(term_evidence=True)


def candidate(language: str, dense: float) -> Candidate:
    return Candidate(1, language, dense, 0.0, dense, 0.0, None)


@pytest.fixture
def flat_background() -> Background:
    """Background texts at cosine 0 with the test's question, so relevance = cosine."""
    vectors = np.zeros((2, 4), dtype=np.float32)
    vectors[:, 1] = 1.0
    return Background(vectors, np.array(["en", "prs"]))


@pytest.mark.parametrize(
    ("dense", "evidence", "answered", "asked"),
    [
        (0.20, -1.0, True, False),  # above the band: answered, terms never embedded
        (0.05, 1.0, False, False),  # below it: not answered, terms never embedded
        (0.10, 0.20, True, True),  # in it: 0.10 + 0.25 × 0.20 = 0.15 ≥ 0.1375
        (0.10, 0.10, False, True),  # 0.10 + 0.025 < 0.1375
    ],
)
def test_term_evidence_settles_only_the_band(flat_background, dense, evidence, answered, asked):
    question = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)
    calls = []

    def terms(passage: Candidate) -> float:
        calls.append(passage)
        return evidence

    rule = AbstentionRule(term_evidence=True)
    by_language = {"en": [candidate("en", dense)]}
    assert rule.answered(by_language, question, "en", flat_background, terms) is answered
    assert bool(calls) is asked
    # Without term evidence the dense threshold alone decides.
    assert rule.answered(by_language, question, "en", flat_background) is (dense >= rule.threshold)


def with_term_evidence(index_dir: Path, embedder) -> Retriever:
    return Retriever(index_dir, embedder, RetrievalSettings(abstention=TERMS_ON))


def test_term_evidence_is_off_unless_asked_for(monkeypatch):
    monkeypatch.delenv(TERM_EVIDENCE_VARIABLE, raising=False)
    assert not AbstentionRule().term_evidence
    monkeypatch.setenv(TERM_EVIDENCE_VARIABLE, "1")
    assert AbstentionRule().term_evidence


def test_a_question_in_the_band_is_answered_through_its_terms(seeds_index: Path, embedder):
    with_terms = with_term_evidence(seeds_index, embedder)
    dense_only = Retriever(
        seeds_index,
        embedder,
        RetrievalSettings(abstention=replace(TERMS_ON, term_evidence=False)),
    )
    result = with_terms.search(IN_BAND)
    assert result.answered
    assert "۱۳۸ کشور" in result.passages[0].text
    assert not dense_only.search(IN_BAND).answered
    assert not with_terms.search(OFF_TOPIC).answered


def test_the_snapshot_keeps_background_term_vectors(seeds_index: Path, embedder):
    snapshot = load_snapshot(seeds_index)
    try:
        terms = snapshot.background.terms
        assert terms is not None and terms.shape[0] == len(snapshot.background.vectors)
        np.testing.assert_allclose(np.linalg.norm(terms, axis=1), 1.0, rtol=1e-4)
        stored = embedder.embed_terms(["What is the capital of France?"])[0]
        assert snapshot.background.term_baseline(stored, 5) > 0.1
    finally:
        snapshot.close()


def test_an_index_without_term_vectors_falls_back_to_the_dense_rule(
    seeds_index: Path, tmp_path: Path, embedder
):
    """An index written before term vectors were kept still answers, by the dense
    threshold alone, and the next `chatbot index` run adds them."""
    index_dir = tmp_path / "index"
    shutil.copytree(seeds_index, index_dir)
    folder = index_dir / SNAPSHOTS_DIR / current_snapshot_name(index_dir)
    (folder / TERMS_FILE).unlink()
    (folder / CHECKSUMS_FILE).unlink()
    write_checksums(folder)
    snapshot = load_snapshot(index_dir)
    assert snapshot.background.terms is None
    snapshot.close()

    retriever = with_term_evidence(index_dir, embedder)
    assert not retriever.search(IN_BAND).answered  # the dense rule: below 0.11
    assert retriever.search("How many people are held in prison camps in North Korea?").answered

    update_index(SEEDS, index_dir, embedder, rebuild=True)
    assert with_term_evidence(index_dir, embedder).search(IN_BAND).answered
