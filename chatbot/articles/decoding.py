"""Bytes to text for article files of unknown encoding.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else strict UTF-8;
else Windows-1256, the legacy code page of Arabic-script text, accepted only when
the result reads like Arabic-script text; else Windows-1252 (legacy Western
text), strictly. Anything else is reported as undecodable rather than indexed as
mojibake.
"""

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
MIN_ARABIC_SHARE = 0.5
"""Share of letters that must be Arabic-script to accept a Windows-1256 reading."""


class UndecodableError(ValueError):
    """The bytes are binary or in an encoding this product does not read."""


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for c in text if ord(c) < 32 and c not in _ALLOWED_CONTROLS)
    return controls / len(text) <= _MAX_CONTROL_SHARE and "\x00" not in text


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    return arabic / len(letters) if letters else 0.0


def _decode_legacy(data: bytes) -> str:
    arabic = data.decode("cp1256", errors="replace")
    if _looks_like_text(arabic) and _arabic_share(arabic) >= MIN_ARABIC_SHARE:
        return arabic
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UndecodableError("invalid UTF-8, and not Windows-1256 or -1252 text") from None
    if not _looks_like_text(western):
        raise UndecodableError("binary file (control characters)")
    return western


def decode_bytes(data: bytes) -> str:
    """Decode an article file's bytes; raise :class:`UndecodableError` with the reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UndecodableError(f"invalid {encoding} after its byte-order mark") from error
    if b"\x00" in data:
        raise UndecodableError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_legacy(data)
    if not _looks_like_text(text):
        raise UndecodableError("binary file (control characters)")
    return text
