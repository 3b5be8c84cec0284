"""Language of an article or a question, decided locally from the script.

The product speaks two languages: English (``en``) and Dari (``prs``, Persian in
Arabic script). Counting words per script is enough to tell them apart and
needs no model or network.
"""

from typing import Literal

Language = Literal["en", "prs"]
LANGUAGES: tuple[Language, ...] = ("en", "prs")


def is_arabic_script(char: str) -> bool:
    """Whether ``char`` is in the Arabic script's blocks (Dari, Persian)."""
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF


DARI_WORD_SHARE = 0.4
"""Share of Arabic-script words from which a text is Dari. Dari text often carries
Latin names and acronyms ("Marco Rubio چه گفت؟", "UNODC چیست؟"); English text
rarely carries Dari words."""


def detect_language(text: str) -> Language:
    """``prs`` when at least :data:`DARI_WORD_SHARE` of the words written in letters
    are in Arabic script (a word counts for the script most of its letters are in),
    else ``en`` (the default for text without letters, such as a bare number)."""
    arabic = latin = 0
    for word in text.split():
        arabic_letters = latin_letters = 0
        for char in word:
            if not char.isalpha():
                continue
            if is_arabic_script(char):
                arabic_letters += 1
            elif char.isascii():
                latin_letters += 1
        if arabic_letters > latin_letters:
            arabic += 1
        elif latin_letters:
            latin += 1
    words = arabic + latin
    return "prs" if words and arabic >= DARI_WORD_SHARE * words else "en"
