"""The build pipeline: ingest -> nlp -> actors -> quotes -> figures -> events -> resolve -> write."""

MODEL = "fr_core_news_md"  # the spaCy model every parse runs on
