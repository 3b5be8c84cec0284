"""The web chat (step 8 of the pipeline): ``chatbot serve``.

``server`` checks the options and starts the app, ``app`` is the Gradio Blocks,
``render`` turns results into escaped HTML, ``indexing`` and ``watch`` keep the
index fresh while the server runs, ``uploads`` saves article files added in the
page, ``style`` holds the theme, CSS and head script.
"""
