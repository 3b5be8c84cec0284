"""The look of the web chat: theme, CSS and the small script in the page head.

Fonts are named, never downloaded: the page makes no request outside the server.
Arabic-script text (``lang="fa-AF"``) gets a font stack made for it and a taller
line height; Latin text keeps the page font.
"""

import gradio as gr

ARABIC_FONTS = ("Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", "Tahoma", "sans-serif")
LATIN_FONTS = ("Noto Sans", "Inter", "Segoe UI", "Helvetica Neue", "Arial")

THEME = gr.themes.Soft(
    font=[*LATIN_FONTS, *ARABIC_FONTS],
    font_mono=["Noto Sans Mono", "DejaVu Sans Mono", "Consolas", "monospace"],
)

_ARABIC_STACK = ", ".join(f'"{font}"' if " " in font else font for font in ARABIC_FONTS)

CSS = f"""
:lang(fa) {{ font-family: {_ARABIC_STACK}; }}
:lang(en) {{ font-family: var(--font); }}
#qa-chat [lang="fa-AF"] {{ line-height: 1.9; }}
#qa-chat [lang="en"] {{ line-height: 1.55; }}
#qa-header h1 {{ margin: 0.2em 0; font-size: 1.6em; }}
.qa-question, .qa-answer {{ font-size: 1rem; }}
.qa-question, .qa-answer, .qa-answer [dir] {{ text-align: start; }}
.qa-answer p {{ margin: 0 0 0.5em; }}
.qa-lead {{ font-weight: 600; }}
.qa-passage {{
  margin: 0.8em 0; padding-top: 0.6em; border-top: 1px solid var(--border-color-primary);
}}
.qa-cite {{ font-size: 0.9em; color: var(--body-text-color-subdued); margin-bottom: 0.3em; }}
.qa-rank {{ font-weight: 700; color: var(--body-text-color); }}
.qa-title {{ font-weight: 600; color: var(--body-text-color); }}
.qa-file {{ font-family: var(--font-mono); font-size: 0.85em; }}
.qa-text {{
  margin: 0; padding: 0.2em 0.8em; white-space: pre-wrap;
  border-inline-start: 3px solid var(--color-accent);
}}
mark.qa-best {{ background: #fde68a; color: #111827; padding: 0 0.1em; border-radius: 2px; }}
mark.qa-in-article {{ background: #e0f2fe; color: #111827; }}
.qa-source summary, .qa-closest summary {{ cursor: pointer; color: var(--link-text-color); }}
.qa-source summary {{ font-size: 0.9em; margin-top: 0.3em; }}
.qa-article {{
  position: relative; max-height: 22em; overflow-y: auto; white-space: pre-wrap;
  padding: 0.6em 0.8em; margin-top: 0.3em; border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: var(--background-fill-secondary);
}}
.qa-error p:last-child {{ font-family: var(--font-mono); font-size: 0.9em; }}
.qa-welcome {{ text-align: center; }}
.qa-articles {{ width: 100%; border-collapse: collapse; }}
.qa-articles th, .qa-articles td {{
  text-align: start; padding: 0.4em 0.6em; border-bottom: 1px solid var(--border-color-primary);
}}
.qa-status {{ margin: 0; padding-inline-start: 1.2em; }}
#qa-chat .example-content, #qa-chat .example-text-content {{ width: 100%; }}
#qa-chat .example-text-content {{ unicode-bidi: plaintext; text-align: start; }}
#qa-question textarea {{ unicode-bidi: plaintext; }}
html[dir="rtl"] .block, html[dir="rtl"] [data-testid="block-label"] {{ direction: rtl; }}
html[dir="rtl"] [data-testid="block-label"].float {{ left: auto; right: 6px; }}
html[dir="rtl"] #qa-question textarea:placeholder-shown {{ text-align: right; }}
"""

HEAD = """
<script>
// Opening an article scrolls its box to the highlighted passage.
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (!details.classList || !details.classList.contains("qa-source") || !details.open) return;
  const box = details.querySelector(".qa-article");
  const passage = box && box.querySelector(".qa-in-article");
  if (passage) box.scrollTop = Math.max(0, passage.offsetTop - 24);
}, true);
// The question box takes the direction of what is typed in it.
new MutationObserver(() => {
  for (const box of document.querySelectorAll("#qa-question textarea:not([dir=auto])")) {
    box.setAttribute("dir", "auto");
  }
}).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
  attributeFilter: ["dir"] });
</script>
"""

SET_PAGE_LANGUAGE_JS = """
(language) => {
  document.documentElement.lang = language === "prs" ? "fa-AF" : "en";
  document.documentElement.dir = language === "prs" ? "rtl" : "ltr";
  return language;
}
"""
"""Runs in the browser when the page language changes, before the labels are updated."""
