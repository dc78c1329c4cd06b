"""Stage 2, nlp: the spaCy French pipeline with depeche's rule components.

`fr_core_news_md` does not end sentences at blank lines or at subheadings (" - Titre - "), and it mislabels actors
such as OSDH, Otan, Pentagone or Jaich al-Fatah. Two named components fix that:
- `depeche_sentences` (before the parser): a blank line or a subheading ends a sentence; an opening quotation mark
  never ends up alone at the end of a sentence.
- `depeche_actor_ruler` (after the NER): every alias and title of the actor registry, matched case- and
  accent-insensitively, becomes an `ACTOR` entity whose `ent_id_` is the actor_id; statistical entities it overlaps
  are replaced.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..reference import Reference
from ..text import LEADING_ARTICLE, fold

MODEL = "fr_core_news_md"
ACTOR_LABEL = "ACTOR"
TITLE_PREFIX = "title:"  # resolved to its holder on the article's date by the actors stage
OPENING_QUOTES = {'"', "«", "“"}


@Language.component("depeche_sentences")
def depeche_sentences(doc: Doc) -> Doc:
    for i, token in enumerate(doc[1:], start=1):
        previous = doc[i - 1]
        if "\n\n" in previous.whitespace_ + previous.text or previous.text.count("\n") >= 2:
            token.is_sent_start = True
        elif previous.text in {"-", "–"} and previous.i > 0 and "\n" in doc[previous.i - 1].text_with_ws[-2:]:
            token.is_sent_start = True
    for token in doc:
        if token.text in OPENING_QUOTES and token.i + 1 < len(doc) and token.i > 0:
            # An opening mark starts the next words, so it must not be split from them.
            doc[token.i + 1].is_sent_start = False
    return doc


class ActorRuler:
    """Matches registry aliases and titles in accent- and case-folded text; sets ACTOR entities."""

    def __init__(self, surfaces: dict[str, str]) -> None:
        self.surfaces = surfaces
        alternatives = sorted(surfaces, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in alternatives) + r")(?![\w-])"
        ) if alternatives else None

    def __call__(self, doc: Doc) -> Doc:
        if self.pattern is None:
            return doc
        folded = fold(doc.text)
        ruled = []
        for m in self.pattern.finditer(folded):
            span = doc.char_span(m.start(), m.end(), label=ACTOR_LABEL, alignment_mode="contract")
            if span is not None and len(span):
                ruled.append(Span(doc, span.start, span.end, label=ACTOR_LABEL, span_id=self.surfaces[m.group(0)]))
        kept = [e for e in doc.ents if not any(e.start < r.end and r.start < e.end for r in ruled)]
        doc.ents = filter_spans(ruled + kept)
        return doc


def registry_surfaces(reference: Reference) -> dict[str, str]:
    """Folded surface form -> actor_id (or a title key), from names, aliases and titles; ambiguous names are left out."""
    candidates: dict[str, set[str]] = {}
    for row in reference.actors.iter_rows(named=True):
        names = [row["name"], *(row["aliases"] or "").split("|")]
        for name in names:
            _add_surface(candidates, name, row["actor_id"])
    surfaces = {s: next(iter(ids)) for s, ids in candidates.items() if len(ids) == 1}
    for row in reference.actor_titles.iter_rows(named=True):
        title = fold(LEADING_ARTICLE.sub("", row["title"].strip()))
        surfaces.setdefault(title, TITLE_PREFIX + title)
    return surfaces


def _add_surface(candidates: dict[str, set[str]], surface: str, actor_id: str) -> None:
    surface = LEADING_ARTICLE.sub("", surface.strip())
    if len(surface) >= 2:
        candidates.setdefault(fold(surface), set()).add(actor_id)


@Language.factory("depeche_actor_ruler", default_config={"surfaces": {}})
def make_actor_ruler(nlp: Language, name: str, surfaces: dict[str, str]) -> ActorRuler:
    return ActorRuler(surfaces)


def load_pipeline(reference: Reference) -> Language:
    """The model, loaded once per process, with depeche's components."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("depeche_sentences", before="parser")
    nlp.add_pipe("depeche_actor_ruler", after="ner", config={"surfaces": registry_surfaces(reference)})
    return nlp


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    return nlp.pipe(texts, batch_size=batch_size)
