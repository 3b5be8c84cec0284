"""User-facing sentences in English and Dari, shared by the CLI and the web chat."""

from chatbot.text.language import Language

MESSAGES: dict[str, dict[Language, str]] = {
    "lead": {
        "en": "Passages from the articles that answer your question:",
        "prs": "بخش‌هایی از مقاله‌ها که به پرسش شما پاسخ می‌دهند:",
    },
    "no_answer": {
        "en": "The articles do not seem to answer this question. Try asking about their "
        "topics in other words.",
        "prs": "به نظر نمی‌رسد مقاله‌ها به این پرسش پاسخ دهند. دربارهٔ موضوع مقاله‌ها با "
        "واژه‌های دیگر بپرسید.",
    },
    "closest": {
        "en": "The closest passages, which may not be relevant:",
        "prs": "نزدیک‌ترین بخش‌ها، که شاید مرتبط نباشند:",
    },
    "characters": {"en": "characters", "prs": "نویسه‌های"},
    "language_en": {"en": "English", "prs": "انگلیسی"},
    "language_prs": {"en": "Dari", "prs": "دری"},
}


def message(key: str, language: Language) -> str:
    return MESSAGES[key][language]
