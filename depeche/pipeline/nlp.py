"""Stage 2, nlp: the spaCy French pipeline with depeche's rule components.

`fr_core_news_md` does not end sentences at blank lines or at subheadings (" - Titre - "), it glues a quotation
mark to an elided word (d'"erreur), and it mislabels actors such as OSDH, Otan, Pentagone or Jaich al-Fatah. So:
- the tokenizer splits quotation marks from the words they touch;
- `depeche_sentences` (before the parser): a blank line, a line break before a capital, a quotation closed after
  its final full stop, and each side of an inline subheading end a sentence; an opening quotation mark never ends
  up alone at the end of a sentence;
- `depeche_sentence_joins` (after it): what goes on after a quotation (`"…", a-t-il dit`) is not a new sentence.
- `depeche_actor_ruler` (after the NER): every alias and title of the actor registry, matched case- and
  accent-insensitively, becomes an `ACTOR` entity whose `ent_id_` is the actor_id; statistical entities it overlaps
  are replaced.
"""
from __future__ import annotations

import re

import numpy
import spacy
from spacy.attrs import ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

from ..reference import Reference
from ..text import LEADING_ARTICLE, fold, whole_words_pattern
from . import MODEL
from .doc_index import folded_text_of, knowing_text, string_columns

ACTOR_LABEL = "ACTOR"
REGISTRY_SPANS = "depeche_registry"  # every registry match, nested ones included
TITLE_PREFIX = "title:"  # resolved to its holder on the article's date by the actors stage
OPENING_QUOTES = {'"', "«", "“"}


QUOTE_INFIXES = [r"""(?<=['’])(?=["«“])""", r"""(?<=["«“])(?=\w)""", r"""(?<=\w)(?=["»”])"""]
SENTENCE_END = {".", "!", "?", "»", '"', "”"}
CLOSING_QUOTES = {'"', "»", "”"}
NEVER_FIRST = {",", ";", ":", ")", "»", "”"}
DASHES = {"-", "–", "—"}
HEADING_MAX_TOKENS = 12


@Language.component("depeche_sentences")
def depeche_sentences(doc: Doc) -> Doc:
    """Reads every token's text and trailing space once, from one array (asking spaCy for them makes a Token object
    at each access), and looks only at the tokens a rule can apply to: line breaks, quotation marks and dashes."""
    if not len(doc):
        return doc
    words, spaces = _words_and_spaces(doc)
    knowing_text(doc, "".join(map(str.__add__, words, spaces)))  # for the actor ruler: `doc.text` makes Tokens
    starts = doc.to_array(SENT_START).view("int64").tolist()  # 1 starts a sentence, -1 does not, 0 unknown
    after_break_or_quote = [i for i in range(1, len(words)) if "\n" in words[i - 1] or words[i - 1] in CLOSING_QUOTES]
    for i in after_break_or_quote:
        if _blank_line_between(words[i - 1], spaces[i - 1]) or _line_break_before(words, spaces, i) \
                or _after_closed_quotation(words, i):
            starts[i] = 1
    for first, last in inline_headings(words, spaces):
        starts[first] = 1
        if last + 1 < len(doc):
            starts[last + 1] = 1
        for i in range(first + 1, last + 1):
            starts[i] = -1
    for i in [i for i in range(1, len(words) - 1) if words[i] in OPENING_QUOTES]:
        if _opens_quote(words, spaces, i):
            # An opening mark starts the next words, so it must not be split from them.
            starts[i] = 1 if starts[i] == 1 or words[i - 1] in SENTENCE_END else -1
            starts[i + 1] = -1
    # Written at once: setting `Token.is_sent_start` scans the whole document for a parse at each token.
    return doc.from_array([SENT_START], numpy.array(starts, dtype="int64").view("uint64"))


def _words_and_spaces(doc: Doc) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each token's text and its trailing whitespace (a space or nothing, as `Token.whitespace_`)."""
    words = string_columns(doc, [ORTH])[0]
    return tuple(words), tuple(" " if space else "" for space in doc.to_array(SPACY).tolist())


@Language.component("depeche_sentence_joins")
def depeche_sentence_joins(doc: Doc) -> Doc:
    """After the parser: a "sentence" that starts with a comma or goes on in lowercase after a quotation
    (`"…", a-t-il dit`) or mid-sentence is joined to the one before, its root hanging from that one's root."""
    sentences = list(doc.sents)
    for previous, sentence in zip(sentences, sentences[1:]):
        if _continues(previous, sentence):
            root = doc[sentence.root.i]
            root.head = doc[previous.root.i]
            root.dep_ = "parataxis"
    return doc


def _continues(previous: Span, sentence: Span) -> bool:
    first, last = sentence[0], previous[-1]
    if "\n" in previous.text_with_ws[-2:] + last.whitespace_ or first.text in DASHES | OPENING_QUOTES:
        return False
    ended = last.text in {".", "!", "?"} or (last.text in CLOSING_QUOTES and len(previous) > 1
                                               and previous[-2].text in {".", "!", "?"})
    return first.text in NEVER_FIRST or (first.is_lower and not ended)


def _after_closed_quotation(words: tuple[str, ...], i: int) -> bool:
    """`« … caves. » Pour Amnesty, …`: a capital after a quotation ended by a full stop starts a sentence."""
    return i >= 2 and words[i].istitle() and words[i - 1] in CLOSING_QUOTES and words[i - 2] in {".", "!", "?"}


def _blank_line_between(previous: str, space: str) -> bool:
    return "\n\n" in space + previous or previous.count("\n") >= 2


def _line_break_before(words: tuple[str, ...], spaces: tuple[str, ...], i: int) -> bool:
    """A single line break ends a sentence when the next line starts like one (web captions, lists)."""
    word = words[i]
    return "\n" in words[i - 1] + spaces[i - 1] and (word.istitle() or word.isupper() or word in DASHES | OPENING_QUOTES)


def _opens_quote(words: tuple[str, ...], spaces: tuple[str, ...], i: int) -> bool:
    """A straight mark opens a quotation when a space precedes it and a word follows it."""
    if words[i] != '"':
        return True
    return bool(spaces[i - 1]) or words[i - 1][-1:] in "'’(" and not spaces[i]


def inline_headings(words: tuple[str, ...], spaces: tuple[str, ...]) -> list[tuple[int, int]]:
    """(first, last) token indices of subheadings written inline, " - Titre - ", after a sentence end."""
    headings: list[tuple[int, int]] = []
    for i in [i for i in range(1, len(words)) if words[i] in DASHES]:
        if headings and i <= headings[-1][1] or words[i - 1] not in SENTENCE_END | DASHES:
            continue  # inside the heading found last, or not after a sentence end
        close = next((j for j in range(i + 2, min(len(words), i + HEADING_MAX_TOKENS + 2))
                      if words[j] in DASHES and spaces[j]), None)
        if close is not None and not any(w in {".", "!"} for w in words[i + 1:close]):
            headings.append((i, close))
    return headings


class ActorRuler:
    """Matches registry aliases and titles in accent- and case-folded text, longest first; sets ACTOR entities.

    Names inside a longer match are kept too, in `doc.spans[REGISTRY_SPANS]` (with the outer matches): "régime de
    Bachar al-Assad" is the Syrian government and also mentions Bashar al-Assad.
    """

    def __init__(self, surfaces: dict[str, str]) -> None:
        self.surfaces = surfaces
        self.pattern = whole_words_pattern(surfaces)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[REGISTRY_SPANS] = []
        if self.pattern is None:
            return doc
        folded = folded_text_of(doc)
        outer, nested = [], []
        for m in self.pattern.finditer(folded):
            span = self._span(doc, m.start(), m.end(), m.group(0))
            if span is None:
                continue
            outer.append(span)
            for word in re.finditer(r"(?<![\w-])\w", folded[m.start() + 1:m.end()]):
                inner = self.pattern.match(folded, m.start() + 1 + word.start(), m.end())
                inner_span = self._span(doc, inner.start(), inner.end(), inner.group(0)) if inner else None
                if inner_span is not None and inner_span.id_ != span.id_:
                    nested.append(inner_span)
        entities = doc.ents  # a new Span per entity at each read
        entities_at: dict[int, list[Span]] = {}
        for entity in entities:
            entities_at.setdefault(entity.start, []).append(entity)
        outer = [r for r in outer if not any(_longer_name(e, r) for e in entities_at.get(r.start, []))]
        matched = {i for r in outer for i in range(r.start, r.end)}
        kept = [e for e in entities if matched.isdisjoint(range(e.start, e.end))]
        doc.ents = filter_spans(outer + kept)
        doc.spans[REGISTRY_SPANS] = filter_spans(outer) + filter_spans(nested)
        return doc

    def _span(self, doc: Doc, start: int, end: int, folded: str) -> Span | None:
        span = doc.char_span(start, end, label=ACTOR_LABEL, alignment_mode="contract")
        if span is None or not len(span):
            return None
        return Span(doc, span.start, span.end, label=ACTOR_LABEL, span_id=self.surfaces[folded])


def _longer_name(entity: Span, match: Span) -> bool:
    """A statistical name that starts with a registry alias and goes on with capitalised words is another name
    ("Syria Relief" is not Syria)."""
    if entity.label_ not in {"ORG", "PER", "MISC", "LOC"} or entity.start != match.start or entity.end <= match.end:
        return False
    return all(t.is_title or t.is_upper for t in entity[match.end - entity.start:] if t.is_alpha)


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
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *QUOTE_INFIXES]).finditer
    nlp.add_pipe("depeche_sentences", before="parser")
    nlp.add_pipe("depeche_sentence_joins", after="parser")
    nlp.add_pipe("depeche_actor_ruler", after="ner", config={"surfaces": registry_surfaces(reference)})
    return nlp
