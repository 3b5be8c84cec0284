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
    "lead_more": {
        "en": "More passages from the articles on this:",
        "prs": "بخش‌های بیشتری از مقاله‌ها در این باره:",
    },
    "no_more": {
        "en": "Nothing more in the articles stands out on this. Ask about something else in them.",
        "prs": "در مقاله‌ها چیز دیگری در این باره برجسته نیست. دربارهٔ موضوع دیگری از آن‌ها بپرسید.",
    },
    "not_mentioned": {
        "en": "The articles do not mention {names}.",
        "prs": "مقاله‌ها به {names} اشاره نکرده‌اند.",
    },
    "lead_not_mentioned": {
        "en": "The articles do not mention {names}. These passages may still answer the "
        "rest of your question:",
        "prs": "مقاله‌ها به {names} اشاره نکرده‌اند. این بخش‌ها شاید به بقیهٔ پرسش شما پاسخ دهند:",
    },
    "no_articles": {
        "en": "No articles are indexed yet, so there is nothing to search. Add .txt, .md, "
        ".html or .pdf files to the articles folder and run {command}, then ask again.",
        "prs": "هنوز هیچ مقاله‌ای نمایه نشده است، پس چیزی برای جستجو نیست. فایل‌های txt، md، "
        "html یا pdf را در پوشهٔ مقاله‌ها بگذارید و {command} را اجرا کنید، سپس دوباره "
        "بپرسید.",
    },
    "no_articles_upload": {
        "en": "No articles are indexed yet, so there is nothing to search. Add .txt, .md, "
        ".html or .pdf files in the Articles tab, or put them in the articles folder and run "
        "{command}, then ask again.",
        "prs": "هنوز هیچ مقاله‌ای نمایه نشده است، پس چیزی برای جستجو نیست. فایل‌های txt، md، "
        "html یا pdf را در زبانهٔ «مقاله‌ها» بیفزایید، یا آن‌ها را در پوشهٔ مقاله‌ها بگذارید و "
        "{command} را اجرا کنید، سپس دوباره بپرسید.",
    },
    "closest": {
        "en": "The closest passages, which may not be relevant:",
        "prs": "نزدیک‌ترین بخش‌ها، که شاید مرتبط نباشند:",
    },
    "characters": {"en": "characters", "prs": "نویسه‌های"},
    "language_en": {"en": "English", "prs": "انگلیسی"},
    "language_prs": {"en": "Dari", "prs": "دری"},
    # --- the web chat ---------------------------------------------------------------
    "app_title": {"en": "Ask the news articles", "prs": "از مقاله‌های خبری بپرسید"},
    "app_intro": {
        "en": "Ask in English or Dari. Every answer shows the passages it comes from, with "
        "their article and file.",
        "prs": "به انگلیسی یا دری بپرسید. هر پاسخ بخش‌هایی را که از آن‌ها آمده است، با نام "
        "مقاله و فایل آن‌ها نشان می‌دهد.",
    },
    "page_language": {"en": "Page language", "prs": "زبان صفحه"},
    "tab_chat": {"en": "Chat", "prs": "گفتگو"},
    "tab_articles": {"en": "Articles", "prs": "مقاله‌ها"},
    "question_label": {"en": "Your question", "prs": "پرسش شما"},
    "question_placeholder": {
        "en": "Type a question in English or Dari …",
        "prs": "پرسش خود را به انگلیسی یا دری بنویسید …",
    },
    "ask": {"en": "Ask", "prs": "بپرس"},
    "new_conversation": {"en": "New conversation", "prs": "گفتگوی تازه"},
    "examples": {"en": "Try one of these questions:", "prs": "یکی از این پرسش‌ها را بیازمایید:"},
    "searching": {"en": "Searching the articles …", "prs": "در حال جستجو در مقاله‌ها …"},
    "question_error": {
        "en": "This question cannot be searched:",
        "prs": "این پرسش را نمی‌توان جستجو کرد:",
    },
    "citation_file": {"en": "file", "prs": "فایل"},
    "also_in": {"en": "also in", "prs": "همچنین در"},
    "show_article": {"en": "Show the whole article", "prs": "نمایش کامل مقاله"},
    "articles_empty": {
        "en": "No articles are indexed yet.",
        "prs": "هنوز هیچ مقاله‌ای نمایه نشده است.",
    },
    "column_title": {"en": "Title", "prs": "عنوان"},
    "column_language": {"en": "Language", "prs": "زبان"},
    "column_chunks": {"en": "Passages", "prs": "بخش‌ها"},
    "column_indexed": {"en": "Indexed", "prs": "زمان نمایه‌سازی"},
    "column_file": {"en": "File", "prs": "فایل"},
    "refresh": {"en": "Refresh", "prs": "تازه‌سازی"},
    "upload_label": {
        "en": "Add an article (.txt, .md, .html or .pdf)",
        "prs": "افزودن مقاله (فایل txt، md، html یا pdf)",
    },
    "upload_button": {"en": "Add and index", "prs": "افزودن و نمایه‌سازی"},
    "upload_missing": {"en": "Choose a file first.", "prs": "نخست یک فایل برگزینید."},
    "upload_not_article": {
        "en": "“{name}” is not an article file: only {suffixes} files can be added.",
        "prs": "«{name}» فایل مقاله نیست: تنها فایل‌های {suffixes} را می‌توان افزود.",
    },
    "upload_name_taken": {
        "en": "too many articles are already named like “{name}”: rename the file and add "
        "it again.",
        "prs": "مقاله‌های زیادی با نامی مانند «{name}» وجود دارند: نام فایل را تغییر دهید و "
        "دوباره بیفزایید.",
    },
    "upload_refused": {
        "en": "The file was not added: {reason}",
        "prs": "فایل افزوده نشد: {reason}",
    },
    "upload_saved": {"en": "Saved as {name}.", "prs": "با نام {name} ذخیره شد."},
    "indexing_started": {"en": "Indexing is starting …", "prs": "نمایه‌سازی آغاز می‌شود …"},
    "indexing_progress": {
        "en": "Indexing: {done} of {total} passages embedded …",
        "prs": "در حال نمایه‌سازی: {done} از {total} بخش پردازش شد …",
    },
    "indexing_done": {
        "en": "Index up to date: {added} added, {changed} changed, {removed} removed.",
        "prs": "نمایه به‌روز است: {added} افزوده، {changed} تغییر یافته، {removed} حذف شده.",
    },
    "indexing_rechunked": {
        "en": "Chunks were {old} tokens (overlap {old_overlap}) and are now {new} "
        "(overlap {new_overlap}): every article was indexed again.",
        "prs": "بخش‌ها پیش از این {old} توکن (همپوشانی {old_overlap}) بودند و اکنون {new} "
        "توکن (همپوشانی {new_overlap}) اند: همهٔ مقاله‌ها دوباره نمایه شدند.",
    },
    "indexing_damaged": {
        "en": "{path}: {count} bytes are not valid UTF-8 (a damaged or cut-off file); the "
        "rest is indexed. Replace it with an intact copy.",
        "prs": "{path}: {count} بایت آن UTF-8 درست نیست (فایل آسیب‌دیده یا ناقص است)؛ باقی آن "
        "نمایه شد. یک نسخهٔ سالم آن را جایگزین کنید.",
    },
    "indexing_skipped": {
        "en": "Skipped {path}: {reason}",
        "prs": "{path} کنار گذاشته شد: {reason}",
    },
    "indexing_failed": {"en": "Indexing failed: {error}", "prs": "نمایه‌سازی ناکام ماند: {error}"},
}


def message(key: str, language: Language, **values: object) -> str:
    """The sentence ``key`` in ``language``, with ``{placeholders}`` filled from ``values``."""
    text = MESSAGES[key][language]
    return text.format(**values) if values else text
