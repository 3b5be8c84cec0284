"""Presenting retrieved passages to a person (step 7 of the pipeline): the lead
line in the question's language and the citation of each passage."""

from chatbot.answer.messages import MESSAGES, message
from chatbot.answer.text import citation, format_result

__all__ = ["MESSAGES", "citation", "format_result", "message"]
