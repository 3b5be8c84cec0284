"""Finding the passages that answer a question (step 6 of the pipeline).

:class:`Retriever.search` is the one retrieval function: the CLI, the web chat,
the evaluator and the benchmarks all call it.
"""

from chatbot.retrieval.question import MAX_QUESTION_CHARS, QuestionError
from chatbot.retrieval.retriever import Passage, RetrievalResult, RetrievalSettings, Retriever

__all__ = [
    "MAX_QUESTION_CHARS",
    "Passage",
    "QuestionError",
    "RetrievalResult",
    "RetrievalSettings",
    "Retriever",
]
