"""Stage 4, quotes: quoted spans, classified (direct, partial, not a quote) and attributed to a speaker.

Every span between quotation marks (" " « » “ ”) is a candidate. It is not a quote when it is a name (the marks
hold exactly a named entity: "l'Armée de la conquête") or a scare quote (a fragment no one is said to have
used). A quote is `direct` when it is a clause standing on its own (it opens its sentence or follows a colon and
has a finite verb) and `partial` when it is a fragment of the journalist's sentence, however long. The speaker
comes from `attribution.attribute`, with carry=True so a quote may continue the previous sentence's speaker.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..ids import content_id
from ..reference import Reference
from ..text import LEADING_ARTICLE
from .attribution import Attribution, attribute, quoted_spans
from .doc_index import sentence_of, text_of

NAME_LABELS = {"ACTOR", "ORG", "PER", "LOC", "MISC"}
NAME_PARTICLES = {"de", "du", "des", "la", "le", "les", "l", "d", "al", "el", "ad", "ed", "et", "of", "the"}
MAX_NAME_WORDS = 6


def extract(article: dict, doc: Doc, mentions: list[dict], reference: Reference) -> list[dict]:
    rows = []
    text = text_of(doc)
    for start, end in quoted_spans(text):
        words = doc.char_span(start, end, alignment_mode="expand")
        if words is None or not len(words) or is_name(text[start:end], words):
            continue
        source = attribute(doc, start, end, mentions, reference, carry=True)
        kind = quote_type(text, start, words)
        if source is None and kind == "partial":
            continue  # a scare quote: nobody is said to have used these words
        rows.append(quote_row(article["article_id"], text, start, end, kind, source))
    return rows


def quote_row(article_id: str, text: str, start: int, end: int, kind: str, source: Attribution | None) -> dict:
    return {
        "quote_id": content_id("quo", article_id, start, end),
        "article_id": article_id, "start": start, "end": end, "text": text[start:end], "quote_type": kind,
        "speaker_actor_id": source.actor_id if source else None,
        "speaker_surface": source.surface if source else None,
        "speaker_start": source.start if source else None,
        "speaker_end": source.end if source else None,
        "reporting_verb": source.cue if source else None,
    }


def is_name(quoted: str, words: Span) -> bool:
    """The marks hold exactly a name, optionally after a definite article: a named entity starting with a
    capital, or two words or more, no verb, all capitalised but for particles ("Sultan Abdulhamid", "Bouclier de
    l'Euphrate"). A single capitalised word ("Non", a-t-il répondu) needs the entity."""
    name = LEADING_ARTICLE.sub("", quoted)
    if not name[:1].isupper():
        return False
    offset = words.start_char + len(quoted) - len(name)
    if any(e.label_ in NAME_LABELS and e.start_char == offset and e.end_char == words.end_char
           for e in words.doc.ents):
        return True
    content = [t for t in words if t.is_alpha and t.idx >= offset]
    return 2 <= len(content) <= MAX_NAME_WORDS and not any(t.pos_ in {"VERB", "AUX"} for t in content) and \
        all(t.is_title or t.is_upper or t.lower_ in NAME_PARTICLES for t in content)


def quote_type(text: str, start: int, words: Span) -> str:
    """direct: a clause standing on its own; partial: a fragment inside the journalist's sentence."""
    before = text[sentence_of(words).start_char:start].strip(" \t\n\u00a0-–—\"«“")
    standalone = before == "" or before.endswith(":")
    has_clause = any("Fin" in t.morph.get("VerbForm") for t in words)
    return "direct" if standalone and has_clause else "partial"
