"""The build pipeline: ingest -> nlp -> actors -> quotes -> figures -> events -> resolve -> write."""
