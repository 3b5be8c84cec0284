"""Country names across English and Dari, from CLDR."""

from chatbot.text.countries import countries_in_other_language


def test_a_country_named_in_one_language_is_given_in_the_other():
    assert countries_in_other_language("Is Iran on the list?") == ["ایران"]
    assert countries_in_other_language("و روسیه چه؟") == ["russia"]


def test_a_name_of_several_words_counts_only_whole():
    assert countries_in_other_language("What about North Korea?") == ["کوریای", "شمالی"]
    assert countries_in_other_language("in the north of the country, near Korea") == []


def test_both_spellings_of_a_name_with_another_in_brackets():
    assert sorted(countries_in_other_language("Myanmar")) == ["برمه", "میانمار"]
    assert sorted(countries_in_other_language("Burma")) == ["برمه", "میانمار"]


def test_everyday_words_and_regions_are_not_names():
    # "مالی" (Mali) is "financial"; "جهان" (World) is a CLDR region
    assert countries_in_other_language("منافع مالی در جهان") == []
