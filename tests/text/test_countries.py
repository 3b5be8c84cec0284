"""Country names across English and Dari, from CLDR."""

from chatbot.text.countries import Name, countries_by_words, dari_spellings, people_words
from chatbot.text.tokens import tokenize


def countries_in_other_language(text: str) -> list[Name]:
    """The countries ``text`` names, as the other language writes them."""
    found = countries_by_words(tokenize(text)).values()
    return list(dict.fromkeys(name for names in found for name in names))


def test_a_country_named_in_one_language_is_given_in_the_other():
    assert countries_in_other_language("Is Iran on the list?") == [("ایران",)]
    assert countries_in_other_language("و روسیه چه؟") == [("russia",)]


def test_a_name_of_several_words_counts_only_whole():
    assert countries_in_other_language("What about North Korea?") == [("کوریای", "شمالی")]
    assert countries_in_other_language("in the north of the country, near Korea") == []


def test_the_words_that_name_a_country_are_given_with_it():
    assert countries_by_words(tokenize("And what about North Korea and the Cuban regime?")) == {
        ("north", "korea"): [("کوریای", "شمالی")],
        ("cuban",): [("کیوبا",)],
    }
    assert countries_by_words(tokenize("Tell me about the weather")) == {}


def test_both_spellings_of_a_name_with_another_in_brackets():
    assert sorted(countries_in_other_language("Myanmar")) == [("برمه",), ("میانمار",)]
    assert sorted(countries_in_other_language("Burma")) == [("برمه",), ("میانمار",)]


def test_names_the_press_writes_besides_cldr_s():
    # CLDR writes "Türkiye" and "United Kingdom"
    assert countries_in_other_language("Is Turkey on the list?") == [("ترکیه",)]
    assert ("turkey",) in countries_in_other_language("آیا ترکیه در فهرست است؟")
    assert countries_in_other_language("What did the UK say?") == [("انگلستان",), ("بریتانیا",)]


def test_the_isle_of_man_s_dari_name_is_no_island():
    # "جزیرهٔ من" without the function word "من" ("I") would be every "جزیره"
    assert countries_in_other_language("این جزیره کجاست؟") == []
    assert countries_in_other_language("Isle of Man") == []  # it has no other Dari name


def test_an_everyday_phrase_ending_in_a_name_is_no_country():
    # "مجمع الجزایر" is "archipelago"; "الجزایر" alone is Algeria
    assert countries_in_other_language("جزایر مجمع الجزایر اندونیزیا") == [("indonesia",)]
    assert countries_in_other_language("الجزایر در شمال افریقا") == [("algeria",)]


def test_everyday_words_and_regions_are_not_names():
    # "مالی" (Mali) is "financial"; "جهان" (World) is a CLDR region
    assert countries_in_other_language("منافع مالی در جهان") == []
    # "پیروی" is "following" (CLDR writes Peru "پیرو"), "انگل‌ها" "parasites"
    assert countries_in_other_language("از قانون پیروی می‌کنند و انگل‌ها را می‌کشند") == []
    assert countries_in_other_language("Peru") == [("پرو",)]


def test_a_country_is_found_from_its_people_or_adjective():
    assert countries_in_other_language("Russian-led forces") == [("روسیه",)]
    assert countries_in_other_language("the Chinese Communist Party") == [("چین",)]
    assert countries_in_other_language("ethnic Kazakhs") == [("قزاقستان",)]
    assert countries_in_other_language("North Korean prisons") == [("کوریای", "شمالی")]
    assert countries_in_other_language("نیروهای روسی و اوکراینی‌ها") == [
        ("russia",),
        ("ukraine",),
    ]
    assert countries_in_other_language("قزاق‌ها و قرقیزها") == [("kazakhstan",), ("kyrgyzstan",)]
    # "Korean" alone may be either Korea; a stem too short for a people is not one
    assert countries_in_other_language("Korean food, a cub, the afghani") == []


def test_people_words_follow_each_script_s_endings():
    assert {"cuban", "cubans"} <= set(people_words(("cuba",)))
    assert {"iranian", "iranians"} <= set(people_words(("iran",)))
    assert {"chinese", "russian"} <= set(people_words(("china",)) + people_words(("russia",)))
    assert {"afghan", "afghans"} <= set(people_words(("afghanistan",)))
    assert {"ایرانی", "ایرانیان"} <= set(people_words(("ایران",)))
    assert {"روسی", "روسیها"} <= set(people_words(("روسیه",)))
    assert {"افغان", "افغانها"} <= set(people_words(("افغانستان",)))
    assert "korean" in people_words(("north", "korea"))
    assert "pak" not in people_words(("pakistan",)) and "paks" not in people_words(("pakistan",))


def test_a_dari_name_a_vowel_letter_from_cldr_s_is_the_country():
    # as Afghans write them: CLDR has "فیلیپین", "اریتریا", "تاجکستان"
    assert countries_by_words(["فلیپین", "ایریتریا", "تاجیکستان"]) == {
        ("فلیپین",): [("philippines",)],
        ("ایریتریا",): [("eritrea",)],
        ("تاجیکستان",): [("tajikistan",)],
    }
    # but not a common word near a short name ("بیرونی", "external"; Brunei: "برونی")
    # or of the same skeleton ("حکمرانی", "governance": Cameroon)
    assert countries_by_words(["بیرونی", "حکمرانی", "برنده"]) == {}


def test_dari_spellings_differ_by_a_vowel_letter_and_short_names_have_none():
    assert "ایریتریا" in dari_spellings("اریتریا")
    assert "فلیپین" in dari_spellings("فیلیپین")
    # a short name's neighbours are common words: "برون" ("outside") for Brunei
    assert dari_spellings("برونی") == [] and dari_spellings("هند") == []
    assert dari_spellings("eritrea") == []
