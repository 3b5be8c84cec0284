"""Language of an article or a question, decided locally from the script.

The product speaks two languages: English (``en``) and Dari (``prs``, Persian in
Arabic script). Counting letters per script is enough to tell them apart and
needs no model or network.
"""

from typing import Literal

Language = Literal["en", "prs"]
LANGUAGES: tuple[Language, ...] = ("en", "prs")


def _is_arabic_script(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


def detect_language(text: str) -> Language:
    """``prs`` when Arabic-script letters outnumber Latin ones, else ``en`` (the default
    for text without letters, such as a bare number)."""
    arabic = latin = 0
    for char in text:
        if not char.isalpha():
            continue
        if _is_arabic_script(char):
            arabic += 1
        elif char.isascii():
            latin += 1
    return "prs" if arabic > latin else "en"
