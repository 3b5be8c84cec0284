"""``chatbot serve`` (unless ``--no-watch``): re-index when files in the articles folder change.

The folder is polled (paths, sizes and modification times of the article files)
rather than watched with OS notifications: no new dependency, and it works the
same on network and container mounts. A change is acted on once the folder has
looked the same for two polls in a row, so a file still being copied in is not
indexed half-written.
"""

import threading
from collections.abc import Callable
from pathlib import Path

from chatbot.articles import scan_articles

POLL_SECONDS = 2.0

Signature = frozenset[tuple[str, int, int]]


def folder_signature(root: Path) -> Signature:
    """(path, size, mtime in ns) of every article file under ``root``, as the indexer
    sees them; empty while the folder does not exist."""
    try:
        entries, _ = scan_articles(root)
    except FileNotFoundError:
        return frozenset()
    return frozenset((entry.path, entry.size, entry.mtime_ns) for entry in entries)


class ArticleWatcher:
    """Calls ``on_change`` from a daemon thread when the articles folder has changed.

    The first call comes after the first two polls: the server may have been started
    on an index older than the folder.
    """

    def __init__(
        self, root: Path, on_change: Callable[[], object], interval: float = POLL_SECONDS
    ) -> None:
        self._root = root
        self._on_change = on_change
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chatbot-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        handled: Signature | None = None
        previous: Signature | None = None
        while not self._stop.is_set():
            current = folder_signature(self._root)
            if current == previous and current != handled:
                self._on_change()
                handled = current
            previous = current
            self._stop.wait(self._interval)
