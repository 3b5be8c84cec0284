"""Saving an article file uploaded in the page into the articles folder.

The uploaded name is untrusted: only its last component is kept, reduced to
letters (any script), digits, ``-``, ``_`` and ``.``, and the file is created
exclusively, so an upload never lands outside the articles folder and never
overwrites an article.
"""

import re
import shutil
import unicodedata
from pathlib import Path, PurePosixPath

from chatbot.answer.messages import message

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".pdf")
MAX_NAME_CHARS = 80
_UNSAFE = re.compile(r"[^\w.-]+")


class UploadError(ValueError):
    """The file cannot be added. ``key`` names the sentence that says why (in
    :data:`chatbot.answer.messages.MESSAGES`, English and Dari) and ``values`` fill
    it in; the exception's own text is the English one."""

    def __init__(self, key: str, **values: str) -> None:
        self.key = key
        self.values = values
        super().__init__(message(key, "en", **values))


def safe_filename(name: str) -> str:
    """A harmless file name for the uploaded ``name``: ``../../a b?.TXT`` -> ``a_b.txt``."""
    base = PurePosixPath(unicodedata.normalize("NFC", name).replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}"
    if not dot or suffix not in UPLOAD_SUFFIXES:
        raise UploadError("upload_not_article", name=name, suffixes=" ".join(UPLOAD_SUFFIXES))
    stem = _UNSAFE.sub("_", stem).strip("._-")[:MAX_NAME_CHARS] or "article"
    return stem + suffix


def save_upload(source: Path, name: str, articles_dir: Path) -> Path:
    """Copy the uploaded file ``source`` (sent as ``name``) into ``articles_dir``; a
    number is added to the name if an article of that name exists."""
    filename = PurePosixPath(safe_filename(name))
    for attempt in range(1, 1000):
        candidate = filename if attempt == 1 else f"{filename.stem}-{attempt}{filename.suffix}"
        target = articles_dir / candidate
        try:
            with open(source, "rb") as reader, open(target, "xb") as writer:
                shutil.copyfileobj(reader, writer)
        except FileExistsError:
            continue
        return target
    raise UploadError("upload_name_taken", name=str(filename))
