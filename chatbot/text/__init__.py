"""Text handling: cleaning page boilerplate, language detection, Dari normalisation."""
