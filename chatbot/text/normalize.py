"""Normalisation for *matching* Dari and English text.

Displayed text always stays as written; these forms are only compared (lexical
search, evaluation, highlighting). Dari is written inconsistently in the wild:
Arabic or Persian yeh/kaf, three digit systems, optional diacritics, tatweel,
and the zero-width non-joiner (ZWNJ) that is often dropped ("می‌شوند" vs
"میشوند"). Each maps to one form here.
"""

import re
import unicodedata

_CHAR_MAP = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh → Persian yeh
        "ى": "ی",  # alef maksura
        "ئ": "ی",
        "ك": "ک",  # Arabic kaf → Persian kaf
        "ۀ": "ه",  # heh with yeh above (ezafe) → heh
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "\u200c": "",  # ZWNJ: "می‌شوند" and "میشوند" match
        "\u200d": "",  # ZWJ
        "\u200e": "",  # LRM
        "\u200f": "",  # RLM
        "\u0640": "",  # tatweel
        "\ufeff": "",  # BOM / zero-width no-break space
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
    }
)
# Harakat, tanwin, shadda, sukun, superscript alef and other combining marks.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_SPACES = re.compile(r"\s+")


def normalize_for_matching(text: str) -> str:
    """Return the matching form of ``text``: NFKC, case-folded, Dari variants unified,
    diacritics and invisible joiners removed, whitespace folded to single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text.translate(_CHAR_MAP))
    return _SPACES.sub(" ", text.casefold()).strip()
