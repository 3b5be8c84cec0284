"""Bytes to text for article files of unknown encoding.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else UTF-16 saved
without one, recognised by its NUL bytes all falling on one side; else UTF-8,
kept even with a few invalid bytes (a damaged or cut-off file: each bad run
becomes U+FFFD and the bad bytes are counted) as long as nearly all of its
non-ASCII bytes are valid UTF-8; else (a file that is mostly not UTF-8)
Windows-1256, the legacy code page of Arabic-script text, accepted only when the
result reads like Arabic-script text; else Windows-1252 (legacy Western text),
strictly. Anything else is reported as undecodable rather than indexed as
mojibake.
"""

import codecs
import re
from dataclasses import dataclass

from chatbot.text.language import is_arabic_script

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_ASCII = bytes(range(128))
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
"""An invalid byte as ``errors="surrogateescape"`` decodes it."""
_RESAVE_HINT = "re-save the file as UTF-8"
MIN_ARABIC_SHARE = 0.5
"""Share of letters that must be Arabic-script to accept a Windows-1256 reading."""
MAX_INVALID_UTF8_SHARE = 0.1
"""Largest share of a file's non-ASCII bytes that may be invalid UTF-8 for it to be
read as (damaged) UTF-8. A legacy Windows-1256 or -1252 file is far above it: over
90% of a Windows-1256 Dari article's non-ASCII bytes are invalid UTF-8."""
MIN_UTF16_NUL_SHARE = 0.1
"""Share of one side's bytes that must be NUL to read a file as UTF-16 without a
byte-order mark. In UTF-16 every ASCII character (space, digit, punctuation) has a
NUL high byte: about 20% of a Dari article's characters, all of an English one's."""


class UndecodableError(ValueError):
    """The bytes are binary or in an encoding this product does not read."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    invalid_bytes: int = 0
    """Bytes of an otherwise UTF-8 file that are not valid UTF-8 (shown as U+FFFD)."""


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for c in text if ord(c) < 32 and c not in _ALLOWED_CONTROLS)
    return controls / len(text) <= _MAX_CONTROL_SHARE and "\x00" not in text


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if is_arabic_script(c))
    return arabic / len(letters) if letters else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """``data`` read as UTF-16 when its NUL bytes say it is (see
    :data:`MIN_UTF16_NUL_SHARE`), else None."""
    if len(data) % 2:
        return None
    high_even, high_odd = data[0::2].count(0), data[1::2].count(0)
    if high_even and high_odd:
        return None
    nuls, encoding = (high_odd, "utf-16-le") if high_odd else (high_even, "utf-16-be")
    if nuls < MIN_UTF16_NUL_SHARE * len(data) / 2:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _looks_like_text(text) else None


def _utf8(data: bytes) -> DecodedText | None:
    """``data`` as UTF-8, with any invalid bytes replaced when few of its non-ASCII
    bytes are invalid (see :data:`MAX_INVALID_UTF8_SHARE`), else None."""
    try:
        return DecodedText(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    invalid = len(_ESCAPED_BYTE.findall(data.decode("utf-8", errors="surrogateescape")))
    if invalid > MAX_INVALID_UTF8_SHARE * len(data.translate(None, _ASCII)):
        return None
    return DecodedText(data.decode("utf-8", errors="replace"), invalid)


def _decode_legacy(data: bytes) -> str:
    arabic = data.decode("cp1256", errors="replace")
    if _looks_like_text(arabic) and _arabic_share(arabic) >= MIN_ARABIC_SHARE:
        return arabic
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UndecodableError(
            f"not UTF-8, Windows-1256 or Windows-1252 text: {_RESAVE_HINT}"
        ) from None
    if not _looks_like_text(western):
        raise UndecodableError("binary file (control characters)")
    return western


def decode_text(data: bytes) -> DecodedText:
    """Decode an article file's bytes; raise :class:`UndecodableError` with the reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding))
            except UnicodeDecodeError as error:
                raise UndecodableError(
                    f"invalid {encoding} after its byte-order mark: {_RESAVE_HINT}"
                ) from error
    if data.startswith(codecs.BOM_UTF8):
        decoded = _utf8(data[len(codecs.BOM_UTF8) :])
        if decoded is None:
            raise UndecodableError(f"invalid UTF-8 after its byte-order mark: {_RESAVE_HINT}")
    elif b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise UndecodableError(
                f"binary file (contains NUL bytes); if it is an article, {_RESAVE_HINT}"
            )
        return DecodedText(utf16)
    else:
        decoded = _utf8(data) or DecodedText(_decode_legacy(data))
    if not _looks_like_text(decoded.text):
        raise UndecodableError("binary file (control characters)")
    return decoded
