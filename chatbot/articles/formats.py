"""Format-specific text extraction: plain text and Markdown, HTML, PDF."""

import io
import re
from dataclasses import dataclass

from chatbot.articles.decoding import decode_text

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
_PDF_LINE_END = re.compile(r"[.!?؟۔:;؛\"”»)]\s*$")


@dataclass(frozen=True)
class ExtractedText:
    text: str
    title_hint: str | None = None
    invalid_bytes: int = 0
    """Bytes of a damaged UTF-8 file that were not UTF-8 (U+FFFD in ``text``)."""


def _from_html(data: bytes) -> ExtractedText:
    from bs4 import BeautifulSoup

    decoded = decode_text(data)
    soup = BeautifulSoup(decoded.text, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(_INVISIBLE_TAGS):
        tag.decompose()
    return ExtractedText(soup.get_text("\n"), title or None, decoded.invalid_bytes)


def _reflow_pdf_page(page_text: str) -> str:
    """Join a PDF page's wrapped lines back into paragraphs: a line continues the
    previous one unless that one ended a sentence."""
    paragraphs: list[str] = []
    for line in page_text.splitlines():
        line = line.strip()
        if not line:
            continue
        if paragraphs and not _PDF_LINE_END.search(paragraphs[-1]):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs)


def _from_pdf(data: bytes) -> ExtractedText:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [_reflow_pdf_page(page.extract_text() or "") for page in reader.pages]
    title = reader.metadata.title if reader.metadata else None
    return ExtractedText(text="\n".join(pages), title_hint=title or None)


def extract_text(suffix: str, data: bytes) -> ExtractedText:
    """Visible text of a file's bytes, by its (lower-case) suffix."""
    if suffix in (".html", ".htm"):
        return _from_html(data)
    if suffix == ".pdf":
        return _from_pdf(data)
    decoded = decode_text(data)
    return ExtractedText(decoded.text, invalid_bytes=decoded.invalid_bytes)
