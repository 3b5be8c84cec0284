"""Question answering over news articles in English and Dari, with cited passages.

The pipeline, one subpackage per step:
articles → text → chunks → embeddings → index → retrieval → answer → web.
"""

__version__ = "0.1.0"
