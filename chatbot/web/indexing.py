"""Re-indexing while the server runs, in one background thread.

The watcher and the upload form both ask for a run with :meth:`BackgroundIndexer.request`;
runs never overlap, and requests made during a run are served by one more run
after it. Each finished run switches the retriever to the new snapshot, so the
next question is answered from it; questions in flight finish on the old one.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from chatbot.cli import print_report
from chatbot.embeddings import Embedder
from chatbot.index import IndexError_
from chatbot.index.builder import IndexReport, update_index
from chatbot.retrieval import Retriever

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexStatus:
    running: bool
    done: int
    """Vectors embedded so far in the current run."""
    total: int
    """Vectors to embed in the current run (0 until the run knows)."""
    report: IndexReport | None
    """The last finished run's report."""
    error: str | None
    """Why the last run failed, or None if it succeeded."""
    finished: int
    """Number of runs finished; see :meth:`BackgroundIndexer.request`."""


class BackgroundIndexer:
    """Runs :func:`update_index` on request, one run at a time, in a daemon thread."""

    def __init__(
        self, articles_dir: Path, index_dir: Path, embedder: Embedder, retriever: Retriever
    ) -> None:
        self.articles_dir = articles_dir
        self._index_dir = index_dir
        self._embedder = embedder
        self._retriever = retriever
        self._changed = threading.Condition()
        self._pending = False
        self._started = 0
        self._status = IndexStatus(False, 0, 0, None, None, 0)
        threading.Thread(target=self._run_forever, name="chatbot-indexer", daemon=True).start()

    def request(self) -> int:
        """Ask for a run that sees the articles folder as it is now. Returns the run's
        number: the folder is indexed once :attr:`IndexStatus.finished` reaches it."""
        with self._changed:
            self._pending = True
            self._changed.notify_all()
            return self._started + 1

    def status(self) -> IndexStatus:
        with self._changed:
            return self._status

    def wait(self, run: int, timeout: float) -> IndexStatus:
        """The status once run number ``run`` has finished, or when ``timeout`` expires."""
        with self._changed:
            self._changed.wait_for(lambda: self._status.finished >= run, timeout)
            return self._status

    def _update(self, **changes: object) -> None:
        with self._changed:
            self._status = replace(self._status, **changes)
            self._changed.notify_all()

    def _run_forever(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending)
                self._pending = False
                self._started += 1
            self._update(running=True, done=0, total=0)
            self._run_once()

    def _progress(self, total: int) -> Callable[[int], None]:
        self._update(total=total, done=0)

        def step(count: int) -> None:
            self._update(done=self._status.done + count)

        return step

    def _run_once(self) -> None:
        """One run; whatever it raises is logged and reported as the run's error, so the
        thread lives on and the next request runs."""
        report, error = None, None
        try:
            report = update_index(
                self.articles_dir, self._index_dir, self._embedder, progress=self._progress
            )
            self._retriever.reload_if_changed()
            print_report(report)
        except (IndexError_, OSError, ValueError) as failure:
            log.warning("re-indexing failed: %s", failure)
            error = str(failure)
        except Exception as failure:
            log.exception("re-indexing failed unexpectedly")
            error = (
                f"{type(failure).__name__}: {failure} (details in the server log; the current "
                "index stays in use, and the next change to the articles tries again)"
            )
        finally:
            self._update(
                running=False,
                report=report or self._status.report,
                error=error,
                finished=self._status.finished + 1,
            )
