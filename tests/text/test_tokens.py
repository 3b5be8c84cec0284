from chatbot.text.tokens import tokenize


def test_tokens_match_dari_spelling_variants_and_digits() -> None:
    assert tokenize("گزارش‌های ۲۰۲۳") == tokenize("گزارشهاي 2023")


def test_function_words_and_single_letters_are_dropped_but_digits_kept() -> None:
    assert tokenize("It's what the report don't say in 3 countries") == [
        "report",
        "don",
        "say",
        "3",
        "countries",
    ]
    assert tokenize("و در این گزارش") == ["گزارش"]
    # function words with "آ" are dropped too, though the matching form writes it "ا"
    assert tokenize("آیا آن‌ها در آن گزارش اند؟") == ["گزارش"]
