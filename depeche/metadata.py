"""Facts about the dataset that every generated descriptor repeats (datapackage.json, croissant.json, CITATION.cff)."""
from __future__ import annotations

NAME = "depeche"
VERSION = "0.1.0"
RELEASED = "2026-11-21"  # set by hand with each version; never the clock
TITLE = "depeche: French news articles as tidy, span-traceable conflict data"
DESCRIPTION = (
    "Articles, actors, quotes, figures and events extracted from French news articles on Russia's military "
    "intervention in Syria (October 2015). Every value is traceable to an exact span of its article's cleaned "
    "text; quotes carry their speaker and figures their claimant; the same event reported by several articles is "
    "one row."
)
KEYWORDS = ["conflict data", "event data", "Syria", "French", "news", "quotations", "claims"]
LICENSE_NAME = "CC-BY-4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_TITLE = "Creative Commons Attribution 4.0 (the extracted tables and annotations)"
AUTHOR = "depeche maintainers"
