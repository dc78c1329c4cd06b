"""Who the text says asserts some words: the speaker of a quote, the claimant of a figure or of an event.

Shared by the quotes, figures and events stages, so a source is found the same way everywhere. It reads the
dependency parse, never particular sentences. A sentence offers cues, each covering some of its words:
- a reporting verb (lexicon `reporting_verbs.csv`) covers its own clause; in an incise ("…, a précisé X." or
  `"…", a-t-il ajouté`) it covers the sentence before it and a quotation opening right after it;
- "selon X" / "d'après X" covers the clause it modifies, or the whole sentence when it opens or closes it;
  "Pour X," opening a sentence covers all of it;
- a colon covers what follows it when the clause before it reports ("la stratégie édictée par X: …") or when a
  quotation opens right after it ("contrées par X: "…"").
The closest covering cue names the source: the agent of a passive, the subject (before the verb, inverted after
it in an incise, "-t-il", the antecedent of a relative "qui"), or for a participle, an infinitive or a
coordinated verb the subject of the clause it hangs from. Words inside quotation marks never name the source,
and cues inside a quotation do not attribute it: a quotation's words, and what they contain, are its speaker's.
A pronoun resolves to the speaker whose reported words contain it, else to the last fitting speaker or subject
before it. A clause reported by a reporting verb that is itself reported ("X a affirmé que Y avait proposé
d'"…"") is the outer speaker's words.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import polars as pl
from spacy.tokens import Doc, Span, Token

from ..reference import Reference, per_reference, reference_table
from ..text import fold, phrase_starts
from .doc_index import Words, sentence_of, text_of, words_of

SUBJECT_DEPS = {"nsubj", "expl:subj"}
INVERTED_SUBJECT_DEPS = {"nsubj", "obj", "appos", "nmod", "obl:mod", "dislocated", "dep"}
CLIMB_DEPS = {"conj", "xcomp", "advcl", "acl", "amod", "appos", "parataxis", "ccomp", "dep"}
REPORTED_CLAUSE_DEPS = {"ccomp", "xcomp"}
STRANDED_DEPS = {"fixed", "flat", "compound", "dep"}
NOMINAL = {"NOUN", "PROPN", "PRON", "NUM"}
VERBAL = {"VERB", "AUX"}
PRONOUN_FEATURES = {  # personal pronoun -> (gender, number)
    "il": ("Masc", "Sing"), "lui": ("Masc", "Sing"), "elle": ("Fem", "Sing"),
    "ils": ("Masc", "Plur"), "eux": ("Masc", "Plur"), "elles": ("Fem", "Plur"),
}
PLURAL_DETERMINERS = {"les", "des", "aux", "ces", "leurs", "ses", "mes", "nos", "vos"}
SINGULAR_DETERMINERS = {"le", "la", "l'", "l’", "un", "une", "du", "au", "ce", "cet", "cette", "son", "sa"}
FIRST_GROUP_ENDINGS = ("aient", "ait", "ant", "ent", "ées", "és", "ée", "é", "es", "e")
LOOKBACK_SENTENCES = 3
OPENING_MARKS = {'"', "«", "“"}
CLOSING_OF = {"«": "»", "“": "”"}
STRAIGHT = '"'
QUOTE_OR_LINE_BREAK = re.compile("[\n" + re.escape(STRAIGHT + "".join(CLOSING_OF) + "".join(CLOSING_OF.values())) + "]")
OPENS_BEFORE = set(" \t\n\u00a0([{'’-–—/«“")


@dataclass(frozen=True)
class Attribution:
    actor_id: str | None  # registry or provisional actor id; None when the source is not identifiable
    surface: str  # how the text names the source ("M. Choïgou", "l'OSDH", "il" -> antecedent's actor)
    start: int
    end: int  # span of `surface` in the article text
    cue: str  # reporting-verb lemma ('déclarer', 'affirmer', ...) or 'selon' / "d'après"


@dataclass(frozen=True)
class Lexicon:
    anywhere: frozenset[str]  # folded lemmas of verbs that report whatever their clause says
    incise_only: frozenset[str]  # verbs that report only in an incise ("a-t-il poursuivi")
    clause_only: frozenset[str]  # verbs that report only a que-clause or in an incise ("soutenir que")
    phrases: dict[str, str]  # folded "verb dependent" -> lemma as written ("faire etat" -> "faire état")
    source_nouns: frozenset[str]  # folded nouns naming an anonymous source ("source", "porte-parole", "entourage")
    document_nouns: frozenset[str]  # documents that speak for their author or publisher ("communiqué", "carte")
    time_nouns: frozenset[str]  # "mercredi", "soir": never an inverted subject

    @cached_property
    def verb_starts(self) -> frozenset[str]:
        """The lemmas a reporting verb can start with: single verbs, and each phrase up to a space ("faire" for
        "faire etat", "mettre" and "mettre en" for "mettre en garde")."""
        return self.anywhere | self.incise_only | self.clause_only | phrase_starts(self.phrases)


@dataclass(frozen=True)
class Registry:
    types: dict[str, str]  # actor_id -> actor_type
    parents: dict[str, str | None]  # actor_id -> parent_actor_id


@dataclass(frozen=True)
class Cue:
    anchor: Token  # the reporting verb, the "selon" token or the colon: where the cue sits
    lemma: str  # what goes in reporting_verb: the verb lemma, 'selon' or "d'après"
    scope: frozenset[int]  # token indices whose words the cue attributes
    verb: Token | None = None  # the verb whose subject or agent is the source
    named: Token | None = None  # or the head of the noun phrase naming the source ("selon X")


# --- reference data ------------------------------------------------------------------------------------------------

@per_reference
def lexicon(reference: Reference) -> Lexicon:
    """The lexicons from the reference data; the packaged ones when a reference folder lacks them."""
    verbs, nouns = reference_table(reference, "reporting_verbs"), reference_table(reference, "source_nouns")
    uses: dict[str, set[str]] = {"any": set(), "incise": set(), "clause": set()}
    phrases = {}
    for row in verbs.iter_rows(named=True):
        lemma = row["lemma"].strip()
        if " " in lemma:
            phrases[fold(lemma)] = lemma
        else:
            uses[row["use"]].add(fold(lemma))
    contexts = reference_table(reference, "actor_contexts")
    times = frozenset(fold(w) for w in contexts.filter(pl.col("kind") == "time_noun")["word"])
    kinds = {kind: frozenset(fold(n) for n in nouns.filter(pl.col("kind") == kind)["noun"])
             for kind in ("person", "document")}
    return Lexicon(frozenset(uses["any"]), frozenset(uses["incise"]), frozenset(uses["clause"]), phrases,
                   kinds["person"] | kinds["document"], kinds["document"], times)


def registry(reference: Reference) -> Registry:
    if "actors" not in reference.tables:
        return Registry({}, {})
    actors = reference.actors
    return Registry(dict(zip(actors["actor_id"], actors["actor_type"])),
                    dict(zip(actors["actor_id"], actors["parent_actor_id"])))


# --- the entry point ---------------------------------------------------------------------------------------------

def attribute(doc: Doc, start: int, end: int, mentions: list[dict], reference: Reference, *,
              carry: bool = False) -> Attribution | None:
    """Who the text says asserts the words doc.text[start:end]. carry=True lets a quote inherit the previous
    sentence's speaker; figures and event claimants use carry=False (attribution must be in the same sentence)."""
    resolver = _resolver(doc, mentions, reference)
    quotation = next(((s, e) for s, e in resolver.quotations if s <= start and end <= e), None)
    if quotation is not None:
        start, end = quotation  # words inside a quotation are its speaker's
    words = doc.char_span(start, end, alignment_mode="expand")
    if words is None or not len(words):
        return None
    found = resolver.source_of(words)
    if found is None and carry and not is_heading(sentence_of(words)):
        previous = previous_sentence(sentence_of(words))
        if previous is not None and not is_heading(previous):
            found = resolver.last_source(previous)
    return found


_RESOLVERS: OrderedDict[tuple, Resolver] = OrderedDict()
RESOLVERS_KEPT = 4


def _resolver(doc: Doc, mentions: list[dict], reference: Reference) -> Resolver:
    """One resolver per (article, mentions, reference), so the quotes, figures and events of an article share its
    memo; a few are kept, the most recently used. The stages pass the list of mentions the actors stage returned and
    do not change it, so it is known by identity and length: a key made of its contents cost more than the rest of
    a lookup, which happens for every quote, figure and event."""
    key = (id(doc), id(mentions), len(mentions), reference.fingerprint)
    kept = _RESOLVERS.get(key)
    if kept is not None and kept.doc is doc and kept.given is mentions:  # kept, it keeps both alive: ids stay unique
        _RESOLVERS.move_to_end(key)
        return kept
    _RESOLVERS[key] = resolver = Resolver(doc, mentions, lexicon(reference), registry(reference))
    while len(_RESOLVERS) > RESOLVERS_KEPT:
        _RESOLVERS.popitem(last=False)
    return resolver


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks, marks and edge spaces excluded.

    Curly and angle marks pair by direction; a straight mark opens after a space, a bracket or an apostrophe
    (d'"unifier") and closes otherwise. Marks of another kind inside a quotation are part of it, and a quotation
    never crosses a blank line.
    """
    spans: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for mark in QUOTE_OR_LINE_BREAK.finditer(text):  # no other character changes anything
        i, ch = mark.start(), mark.group()
        if ch == "\n" and text[i + 1:i + 2] == "\n":
            opened = None
        elif opened is not None and opened[0] != ch and (ch in CLOSING_OF or ch == STRAIGHT):
            continue  # a quotation inside a quotation belongs to the outer one
        elif ch in CLOSING_OF or (ch == STRAIGHT and _opens(text, i, opened)):
            opened = (ch, i)
        elif opened is not None and ch == CLOSING_OF.get(opened[0], STRAIGHT):
            span = _trimmed(text, opened[1] + 1, i)
            if span is not None:
                spans.append(span)
            opened = None
    return spans


def _opens(text: str, i: int, opened: tuple[str, int] | None) -> bool:
    previous = text[i - 1] if i > 0 else " "
    following = text[i + 1] if i + 1 < len(text) else " "
    if opened is None:
        return not following.isspace()
    return previous in OPENS_BEFORE and (following.isalnum() or following in "'’")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def is_heading(sentence: Span) -> bool:
    """A subheading (" - Titre - ") or a title line: it reports nobody and carries nothing."""
    text = text_of(sentence.doc)[sentence.start_char:sentence.end_char].strip()
    if text[:1] in {"-", "–", "—"}:
        return True
    return bool(text) and text[-1] not in ".!?»\"”:" and len(sentence) <= 15


def previous_sentence(sentence: Span) -> Span | None:
    doc = sentence.doc
    i = sentence.start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return sentence_of(doc[i]) if i >= 0 else None


# --- cues --------------------------------------------------------------------------------------------------------

def reporting_lemma(token: Token, words: Lexicon) -> str | None:
    """The lexicon lemma of a reporting verb token, or None when the token is not one."""
    if token.pos_ not in VERBAL and not (token.pos_ == "ADJ" and any(c.dep_ in SUBJECT_DEPS for c in token.children)):
        return None  # an "adjective" with a subject is a verb the tagger missed ("Abou Omar raconte :")
    lemmas = _lemmas(token)
    if words.verb_starts.isdisjoint(lemmas):
        return None  # no reporting verb or phrase starts with its lemma
    following = " ".join(fold(t.text) for t in token.doc[token.i + 1:token.i + 3])
    for lemma in lemmas:
        for rest in [fold(c.text) for c in token.children] + [following, following.rsplit(" ", 1)[0]]:
            phrase = f"{lemma} {rest}"  # "faire état" by its object, "mettre en garde" by the words after
            if phrase in words.phrases:
                return words.phrases[phrase]
        if lemma in words.anywhere or (lemma in words.incise_only | words.clause_only and in_incise(token)) or \
                (lemma in words.clause_only and _has_que_clause(token)):
            return token.lemma_ if fold(token.lemma_) == lemma else lemma
    return None


def _has_que_clause(verb: Token) -> bool:
    return any(c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ in {"que", "qu'"} for g in c.children)
               for c in verb.children)


def _lemmas(token: Token) -> list[str]:
    """The parser's lemma, plus the first-group infinitive of the form when the lemmatizer failed on it ("donne"
    left as it is, "raconte" cut to "racont")."""
    lemma, form = fold(token.lemma_), fold(token.text)
    if lemma.endswith(("er", "ir", "re")) and lemma != form:
        return [lemma]
    ending = next((e for e in FIRST_GROUP_ENDINGS if form.endswith(e)), None)
    return [lemma] if ending is None else [lemma, form[: -len(ending)] + "er"]


def sentence_cues(sentence: Span, words: Lexicon, quoted: set[int]) -> Iterator[Cue]:
    """The cues of a sentence, ignoring those inside quotations (reported words, not the journalist's)."""
    plain = words_of(sentence.doc)
    for i in range(sentence.start, sentence.end):
        if i in quoted or not _may_cue(plain, i):
            continue
        token = sentence.doc[i]
        according = according_to(token)
        named = _preposition_object(token) if according is not None else None
        if named is not None:
            yield Cue(token, according, _according_scope(named, sentence), named=named)
        elif _opens_with_point_of_view(token, sentence):
            yield Cue(token, "pour", frozenset(range(sentence.start, sentence.end)), named=_preposition_object(token))
        elif token.text == ":":
            cue = _colon_cue(token, sentence, words)
            if cue is not None:
                yield cue
        else:
            lemma = reporting_lemma(token, words)
            if lemma is not None:
                yield Cue(token, lemma, _verb_scope(token, sentence), verb=token)


def _may_cue(words: Words, i: int) -> bool:
    """Only these words can be cues: "selon", "d'après", "pour", a colon, a verb or an adjective."""
    return words.lower[i] in {"selon", "après", "pour"} or words.text[i] == ":" or words.pos[i] in VERBAL | {"ADJ"}


def _preposition_object(preposition: Token) -> Token | None:
    """The noun a preposition introduces ("d'après X": "après" hangs from "d'", which hangs from X)."""
    token = preposition
    while token.pos_ == "ADP" and token.head.i != token.i:
        token = token.head
    return token if token.pos_ in NOMINAL else None


def _opens_with_point_of_view(token: Token, sentence: Span) -> bool:
    """"Pour Amnesty International, ces raids …": "pour X," opening a sentence gives X's view (the source must
    name an actor, which the resolver checks: "Pour la première fois," names nobody)."""
    if token.lower_ != "pour" or any(not (t.is_punct or t.pos_ in {"CCONJ", "ADV"})
                                     for t in sentence[:token.i - sentence.start]):
        return False
    named = _preposition_object(token)
    if named is None or named.pos_ != "PROPN" and not any(c.dep_ == "det" for c in named.children):
        return False
    last = max(t.i for t in named.subtree)
    return last + 1 < sentence.end and sentence.doc[last + 1].text == ","


def according_to(token: Token) -> str | None:
    low = token.lower_
    if low == "selon":
        return "selon"
    if low == "après" and token.i > 0 and token.nbor(-1).lower_ in {"d'", "d’"}:
        return "d'après"
    return None


def _verb_scope(verb: Token, sentence: Span) -> frozenset[int]:
    """The verb's clause without its subject; for an incise, the sentence before it and a quote right after."""
    clause = _governed_clause(verb)  # when repaired, subjects after the verb are part of what it reports
    subject = {t.i for c in clause.children if c.dep_ in SUBJECT_DEPS | {"nsubj:pass"}
               and (clause.i == verb.i or c.i < verb.i) for t in c.subtree}
    scope = {t.i for t in clause.subtree} - subject
    if in_incise(verb):
        scope |= set(range(sentence.start, group_start(verb)))
        scope |= _quote_after(max(t.i for t in verb.subtree if not (t.is_punct or t.is_space)), sentence)
    return frozenset(scope)


def _governed_clause(verb: Token) -> Token:
    """The head of what the verb reports. The parser sometimes hangs a reporting verb below the verb it governs
    ("en affirmant vouloir…": affirmant as a dependent of vouloir), or strands it in a fixed expression ("a en
    outre souligné que…": its auxiliary then hangs from the reported verb)."""
    if verb.dep_ in {"dep", "aux", "aux:tense"} and verb.head.pos_ == "VERB" and verb.head.i > verb.i:
        return verb.head
    if verb.dep_ in STRANDED_DEPS and not any(not c.is_punct for c in verb.children):
        auxiliary = next((t for t in reversed(verb.doc[max(sentence_of(verb).start, verb.i - 4):verb.i])
                          if t.pos_ == "AUX"), None)
        if auxiliary is not None and auxiliary.head.i != verb.i and auxiliary.head.pos_ in VERBAL:
            return auxiliary.head
    return verb


def _quote_after(last: int, sentence: Span) -> set[int]:
    """The tokens of a quotation that opens right after token `last` (`"A", a-t-il dit, "B"`)."""
    doc = sentence.doc
    i = last + 1
    while i < sentence.end and (doc[i].is_punct or doc[i].is_space) and doc[i].text not in OPENING_MARKS:
        i += 1
    if i >= sentence.end or doc[i].text not in OPENING_MARKS:
        return set()
    return set(range(i, sentence.end))


def _according_scope(phrase: Token, sentence: Span) -> frozenset[int]:
    """"Selon X" opening or closing the sentence covers all of it; elsewhere it covers the clause it modifies."""
    tokens = sorted(t.i for t in phrase.subtree)
    doc = sentence.doc
    before = [t for t in doc[sentence.start:tokens[0]] if not (t.is_punct or t.pos_ in {"ADV", "CCONJ", "ADP"})]
    after = [t for t in doc[tokens[-1] + 1:sentence.end] if not (t.is_punct or t.is_space)]
    if not before or not after:
        return frozenset(range(sentence.start, sentence.end))
    governor = phrase.head
    while governor.pos_ not in VERBAL | {"ADJ"} and governor.head.i != governor.i:
        governor = governor.head
    return frozenset(t.i for t in governor.subtree)


def _colon_cue(colon: Token, sentence: Span, words: Lexicon) -> Cue | None:
    """"…édictée par X: …" or "…contrées par X: "…"": what follows the colon is X's."""
    if colon.i == sentence.start:
        return None
    verb = colon.doc[colon.i - 1]
    while not _is_clause_head(verb) and verb.head.i != verb.i and verb.head.i < colon.i:
        verb = verb.head
    if not _is_clause_head(verb):
        return None
    lemma = reporting_lemma(verb, words)
    opens_quote = colon.i + 1 < len(colon.doc) and colon.doc[colon.i + 1].text in OPENING_MARKS
    if lemma is None and not opens_quote:
        return None
    return Cue(colon, lemma or verb.lemma_, frozenset(range(colon.i + 1, sentence.end)), verb=verb)


def _is_clause_head(token: Token) -> bool:
    """A verb, or a predicate with a subject ("Le Kremlin a été clair: …")."""
    return token.pos_ in VERBAL or any(c.dep_ in SUBJECT_DEPS for c in token.children)


def in_incise(verb: Token) -> bool:
    """The verb group follows a comma or a closing quote and its subject comes after it (", a indiqué l'OSDH")."""
    return in_incise_position(verb) and (any(_is_inverted_pronoun(c) for c in verb.children)
                                         or _inverted_subject(verb) is not None)


def in_incise_position(verb: Token) -> bool:
    """A tensed verb group right after a comma or a closing quote (a bare participle is not an incise)."""
    if "Fin" not in verb.morph.get("VerbForm") and not any(c.dep_.startswith("aux") for c in verb.children):
        return False
    first = group_start(verb)
    before = verb.doc[first - 1]
    return first > sentence_of(verb).start and before.is_punct and before.text not in {"(", ":"}


def group_start(verb: Token) -> int:
    """Index of the first token of the verb group: auxiliaries, clitics and negation before the verb."""
    first = verb.i
    for child in sorted(verb.lefts, key=lambda c: -c.i):
        if child.dep_.startswith(("aux", "expl")) or (child.dep_ in {"advmod", "obj", "iobj"} and child.i == first - 1
                                                       and child.pos_ in {"ADV", "PRON", "DET"}):
            first = min(first, child.i)
    return first


# --- from a cue to the noun phrase naming the source ---------------------------------------------------------------

def verb_source(verb: Token, possible: Callable[[Token], bool], acceptable: Callable[[Token], bool]) -> Token | None:
    """The head of the noun phrase asserting what the verb reports: the agent of a passive, an inverted
    pronoun, the inverted subject of an incise, the subject (any `possible` source: "un habitant" speaks too);
    for a participle modifying a name, that name; for a verb with no subject of its own, the first `acceptable`
    subject (one naming an actor) of the clauses it hangs from."""
    clause = _governed_clause(verb)
    children = list(verb.children) if clause.i == verb.i else [c for c in clause.children if c.i < verb.i]
    agent = next((c for c in children if c.dep_ == "obl:agent" and acceptable(c)), None)
    if agent is not None:
        return agent
    pronoun = next((c for c in children if _is_inverted_pronoun(c)), None)
    if pronoun is not None:
        return pronoun
    passive = any(c.dep_ == "aux:pass" for c in children)
    if passive:
        return None  # a passive without an agent names no source
    subjects = SUBJECT_DEPS | {"nsubj:pass"}  # "nsubj:pass" without "été" is the parser's slip
    subject = next((c for c in children if c.dep_ in subjects and c.i < verb.i and possible(c)), None)
    if in_incise_position(verb):
        inverted = _inverted_subject(verb)  # when the parse also found a subject before it, it must name someone
        if inverted is not None and (acceptable(inverted) if subject is not None else possible(inverted)):
            return inverted
    subject = subject or next((c for c in children if c.dep_ in subjects and possible(c)), None)
    if subject is not None:
        return subject
    participle = next((c for c in children if c.dep_ in subjects and c.pos_ == "VERB" and c.i < verb.i), None)
    if participle is not None and _noun_before(participle) is not None and possible(_noun_before(participle)):
        return _noun_before(participle)  # "la coalition conduite par X a annoncé": the parse took the participle
    if verb.dep_ == "acl:relcl" and any(c.dep_ in subjects and "Rel" in c.morph.get("PronType") for c in children):
        return verb.head if acceptable(verb.head) else None  # "l'ONG, qui a dénoncé…": the relative's antecedent
    if verb.dep_ in {"acl", "amod"} and _present_participle(verb) and acceptable(verb.head) and \
            not verb.doc[group_start(verb) - 1].is_punct:
        return verb.head  # "le secrétaire Ashton Carter les qualifiant d'…"
    if verb.dep_ in CLIMB_DEPS:
        for ancestor in _clause_ancestors(verb):
            subject = next((c for c in ancestor.children
                            if (c.dep_ in SUBJECT_DEPS or _is_inverted_pronoun(c)) and acceptable(c)), None)
            if subject is not None:
                return subject
    return None


def _noun_before(token: Token) -> Token | None:
    """The noun a participle follows ("la coalition internationale conduite par…" -> coalition)."""
    for previous in reversed(token.doc[max(sentence_of(token).start, token.i - 4):token.i]):
        if previous.pos_ in {"NOUN", "PROPN"}:
            return previous
        if previous.pos_ not in {"ADJ", "DET"}:
            return None
    return None


def _present_participle(verb: Token) -> bool:
    return "Pres" in verb.morph.get("Tense") and "Part" in verb.morph.get("VerbForm") or verb.lower_.endswith("ant")


def _clause_ancestors(verb: Token) -> Iterator[Token]:
    """The verbs above this one, skipping relative clauses (their subject is a relative pronoun's antecedent)."""
    token = verb
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in VERBAL | {"ADJ", "NOUN"} and token.dep_ not in {"acl:relcl", "amod"}:
            yield token


def _inverted_subject(verb: Token) -> Token | None:
    """The first bare noun phrase after the verb, also when the parse hung it under a complement ("affirme dans
    un communiqué le ministère")."""
    for child in verb.rights:
        for token in child.subtree:
            if token.dep_ in INVERTED_SUBJECT_DEPS and token.pos_ in {"PROPN", "NOUN", "PRON"} and \
                    not any(c.dep_ in {"case", "mark"} for c in token.children) and token.lower_ not in {"que", "qu'"}:
                return token
            if token.dep_ in {"ccomp", "xcomp", "acl:relcl"} or token.pos_ in VERBAL:
                break
    return None


def _is_inverted_pronoun(token: Token) -> bool:
    return token.text.startswith("-") and _pronoun_key(token) in PRONOUN_FEATURES


def _pronoun_key(token: Token) -> str:
    return token.lower_.lstrip("-").removeprefix("t-")


# --- naming the source -------------------------------------------------------------------------------------------

class Resolver:
    """Turns cues into Attributions for one article, resolving pronouns and anonymous sources against its
    mentions. Results are memoised per token and per sentence; resolution looks back in the text, and a cycle
    yields None."""

    def __init__(self, doc: Doc, mentions: list[dict], words: Lexicon, known: Registry) -> None:
        self.doc = doc
        self.given = mentions
        self.mentions = sorted(mentions, key=lambda m: (m["start"], m["end"]))
        self.words = words
        self.registry = known
        self.text = text_of(doc)
        self.quotations = quoted_spans(self.text)
        self.quoted = {t.i for s, e in self.quotations if (span := doc.char_span(s, e, "expand")) for t in span}
        self.starting_at: dict[int, list[dict]] = {}  # token index -> mentions starting in it
        for mention in self.mentions:
            self.starting_at.setdefault(self._token_at(mention["start"]), []).append(mention)
        self._named: dict[tuple[int, str], Attribution | None] = {}
        self._antecedents: dict[int, str | None] = {}
        self._cues: dict[int, list[Cue]] = {}

    def cues(self, sentence: Span) -> list[Cue]:
        if sentence.start not in self._cues:
            self._cues[sentence.start] = list(sentence_cues(sentence, self.words, self.quoted))
        return self._cues[sentence.start]

    def source_of(self, words: Span) -> Attribution | None:
        """The source of the closest cue covering the words; words that run over several sentences (a long
        quotation) may be covered by a cue of any of them."""
        ids = {t.i for t in words}
        covering = [c for sentence in _sentences(words) for c in self.cues(sentence)
                    if ids & set(range(sentence.start, sentence.end)) <= c.scope]
        for cue in sorted(covering, key=lambda c: (_distance(c.anchor, words), c.anchor.i)):
            found = self.from_cue(self._reporting_frame(cue))
            if found is not None:
                return found
        return None

    def last_source(self, sentence: Span) -> Attribution | None:
        """The source of a sentence that is a report as a whole (its cue covers the main clause), which the
        next sentence may continue; a cue inside a side clause ("…, soulignant que…") carries nothing."""
        found = [a for c in self.cues(sentence) if sentence.root.i in c.scope
                 for a in [self.from_cue(c)] if a is not None and a.actor_id is not None]
        return found[-1] if found else None

    def from_cue(self, cue: Cue) -> Attribution | None:
        head = cue.named if cue.verb is None else verb_source(cue.verb, self.possible, self.acceptable)
        return None if head is None else self.name(head, cue.lemma)

    def possible(self, token: Token) -> bool:
        """Could this be the phrase naming a source at all: a noun phrase or a personal pronoun outside any
        quotation, and not a date."""
        if token.i in self.quoted or fold(token.lemma_) in self.words.time_nouns:
            return False
        if token.pos_ == "PRON" or _is_inverted_pronoun(token):
            return _pronoun_key(token) in PRONOUN_FEATURES
        return token.pos_ in NOMINAL

    def acceptable(self, token: Token) -> bool:
        """Could this noun phrase be a source: not inside a quotation, and a pronoun, an anonymous source or a
        phrase naming an actor."""
        if not self.possible(token):
            return False
        if token.pos_ == "PRON" or _is_inverted_pronoun(token):
            return _pronoun_key(token) in PRONOUN_FEATURES
        return fold(token.lemma_) in self.words.source_nouns or bool(self._mentions_in(token))

    def _reporting_frame(self, cue: Cue) -> Cue:
        """The outer reporting verb when this one heads the clause it reports: "X a affirmé que Y a proposé…"."""
        token = cue.verb
        while token is not None and token.dep_ in REPORTED_CLAUSE_DEPS and token.head.i != token.i:
            lemma = reporting_lemma(token.head, self.words)
            if lemma is None or verb_source(token.head, self.possible, self.acceptable) is None:
                break
            cue = Cue(token.head, lemma, frozenset(), verb=token.head)
            token = token.head
        return cue

    def name(self, head: Token, cue: str) -> Attribution | None:
        """The actor a noun phrase names, with the span that names it (memoised; a cycle yields None)."""
        key = (head.i, cue)
        if key not in self._named:
            self._named[key] = None
            self._named[key] = self._name(head, cue)
        return self._named[key]

    def _name(self, head: Token, cue: str) -> Attribution | None:
        if head.pos_ == "PRON" and "Rel" in head.morph.get("PronType"):
            return self._relative_source(head, cue)
        if head.pos_ == "PRON" or _is_inverted_pronoun(head):
            return self._pronoun(head, cue)
        inside = self._mentions_in(head)
        if not inside and _is_demonstrative(head):
            return self._earlier_source_like(head, cue)
        if not inside:
            return self._unnamed(head, cue) if head.pos_ in NOMINAL else None
        chosen, for_organisation = self._best_mention(head, inside)
        if for_organisation:  # "l'entourage du président français" names the office, not the president
            start, end = _phrase_span(head)
            return Attribution(self._organisation_of(chosen["actor_id"]), self.text[start:end], start, end, cue)
        return Attribution(chosen["actor_id"], chosen["surface"], chosen["start"], chosen["end"], cue)

    def _relative_source(self, pronoun: Token, cue: str) -> Attribution | None:
        """"les accusations du Pentagone, …, selon lesquelles …": the words belong to whoever the noun the relative
        pronoun stands for is of (the first actor named in that noun phrase); an ownerless noun ("la rumeur selon
        laquelle …") names no source, which still keeps the words from the verb the noun depends on."""
        antecedent = _antecedent_noun(pronoun)
        if antecedent is None:
            return None
        phrase = {i for i in _phrase_tokens(antecedent) if i < pronoun.i}
        named = [m for i in sorted(phrase) for m in self.starting_at.get(i, [])]
        if not named:
            return self._unnamed(antecedent, cue)
        return Attribution(named[0]["actor_id"], named[0]["surface"], named[0]["start"], named[0]["end"], cue)

    def _mentions_in(self, head: Token) -> list[dict]:
        """Mentions starting inside the head's noun phrase (a name the parse split may run past it); a document
        keeps its participial complements ("une infographie publiée sur le site du ministère")."""
        document = fold(head.lemma_) in self.words.document_nouns
        phrase = {t.i for t in head.subtree} if document else _phrase_tokens(head)
        return [m for i in sorted(phrase) for m in self.starting_at.get(i, [])]

    def _best_mention(self, head: Token, inside: list[dict]) -> tuple[dict, bool]:
        """The mention that names the speaker, and whether it stands for its organisation ("l'entourage du
        président", "un porte-parole de Vladimir Poutine"): the head itself, else a name in apposition, else
        for an anonymous source the organisation it belongs to, else a person, else the first actor named."""
        own = [m for m in inside if _covers(m, head)]
        apposed = {t.i for c in head.children
                   if c.dep_ in {"appos", "flat:name"} or (c.dep_ == "nmod" and c.pos_ == "PROPN" and
                                                          not any(g.dep_ == "case" for g in c.children))
                   for t in c.subtree}
        appositions = [m for i in sorted(apposed) for m in self.starting_at.get(i, [])]
        if own:  # a title and the name in apposition: the name is how the text names the speaker
            same = [m for m in appositions if m["actor_id"] == own[0]["actor_id"]]
            return (same or own)[0], False
        if appositions:
            return appositions[0], False
        persons = [m for m in inside if self._is_person(m)]
        if fold(head.lemma_) in self.words.source_nouns:
            organisations = [m for m in inside if m not in persons]
            return (organisations[0], False) if organisations else (persons[0], True)
        return (persons or inside)[0], False

    def _is_person(self, mention: dict) -> bool:
        kind = self.registry.types.get(mention["actor_id"])
        if kind is not None:
            return kind == "person"
        span = self.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        return span is not None and span.root.ent_type_ == "PER"

    def _organisation_of(self, actor_id: str) -> str:
        """The people around someone (l'entourage du président) speak for his organisation when it is known."""
        return self.registry.parents.get(actor_id) or actor_id

    def _unnamed(self, head: Token, cue: str) -> Attribution | None:
        start, end = _phrase_span(head)
        return Attribution(None, self.text[start:end], start, end, cue) if end > start else None

    def _earlier_source_like(self, head: Token, cue: str) -> Attribution | None:
        """"cette source": the last earlier source named with the same noun."""
        noun = fold(head.lemma_)
        sentence = sentence_of(head)
        for _ in range(LOOKBACK_SENTENCES):
            sentence = previous_sentence(sentence)
            if sentence is None:
                return None
            for earlier_cue in reversed(self.cues(sentence)):
                earlier_head = earlier_cue.named if earlier_cue.verb is None else \
                    verb_source(earlier_cue.verb, self.possible, self.acceptable)
                if earlier_head is not None and fold(earlier_head.lemma_) == noun:
                    earlier = self.name(earlier_head, earlier_cue.lemma)
                    if earlier is not None and earlier.actor_id is not None:
                        start, end = _phrase_span(head)
                        return Attribution(earlier.actor_id, self.text[start:end], start, end, cue)
        return None

    def _pronoun(self, pronoun: Token, cue: str) -> Attribution | None:
        key = _pronoun_key(pronoun)
        if key not in PRONOUN_FEATURES:
            return None
        start = pronoun.idx + len(pronoun.text) - len(key)
        return Attribution(self.antecedent(pronoun), self.text[start:start + len(key)], start,
                           start + len(key), cue)

    def antecedent(self, pronoun: Token) -> str | None:
        """The actor a personal pronoun stands for: the speaker whose reported words contain it, else the last
        fitting speaker or subject of this sentence or of the few before, else the last fitting mention."""
        if pronoun.i not in self._antecedents:
            self._antecedents[pronoun.i] = None
            self._antecedents[pronoun.i] = self._antecedent(pronoun)
        return self._antecedents[pronoun.i]

    def _antecedent(self, pronoun: Token) -> str | None:
        features = PRONOUN_FEATURES[_pronoun_key(pronoun)]
        frame = self._enclosing_speaker(pronoun)
        if frame is not None and self._fits(frame, features):
            return frame["actor_id"]
        sentence = sentence_of(pronoun)
        for step in range(LOOKBACK_SENTENCES + 1):
            if sentence is None:
                break
            limit = pronoun.idx if step == 0 else sentence.end_char
            for candidate in self._salient(sentence, limit):
                if self._fits(candidate, features):
                    return candidate["actor_id"]
            sentence = previous_sentence(sentence)
        before = [m for m in self.mentions if m["end"] <= pronoun.idx and self._fits(m, features)]
        return before[-1]["actor_id"] if before else None

    def _enclosing_speaker(self, pronoun: Token) -> dict | None:
        """"la Turquie a affirmé qu'elle…": the pronoun sits in the words a reporting verb attributes; the
        outermost such verb owns them."""
        best = None
        for ancestor in pronoun.ancestors:
            if reporting_lemma(ancestor, self.words) is None \
                    or pronoun.i not in _verb_scope(ancestor, sentence_of(ancestor)):
                continue
            source = verb_source(ancestor, self.possible, self.acceptable)
            if source is not None and source.pos_ != "PRON" and source.i not in {t.i for t in pronoun.subtree}:
                best = source
        found = self.name(best, "") if best is not None else None
        return _as_mention(found, best) if found is not None and found.actor_id else None

    def _salient(self, sentence: Span, limit: int) -> list[dict]:
        """Candidates of a sentence, most salient first: its speakers (last first), then its subjects. The owner of a
        claim reported inside a noun phrase ("les accusations de X selon lesquelles …") is not a speaker."""
        speakers = []
        for cue in self.cues(sentence):
            if cue.named is not None and "Rel" in cue.named.morph.get("PronType"):
                continue
            head = cue.named if cue.verb is None else verb_source(cue.verb, self.possible, self.acceptable)
            if head is not None and _end_char(head) <= limit:
                found = self.name(head, cue.lemma)
                if found is not None and found.actor_id is not None:
                    speakers.append(_as_mention(found, head))
        subjects = [m for m in self.mentions if sentence.start_char <= m["start"] and m["end"] <= limit
                    and self._is_subject(m)]
        return list(reversed(speakers)) + list(reversed(subjects))

    def _is_subject(self, mention: dict) -> bool:
        span = self.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        if span is None or span.root.i in self.quoted:
            return False
        root = span.root
        while root.dep_ in {"flat:name", "appos", "amod"} and root.head.i != root.i:
            root = root.head
        return root.dep_ in SUBJECT_DEPS

    def _fits(self, mention: dict, features: tuple[str, str]) -> bool:
        """Gender and number agreement with the mention's head noun, when the parse knows them."""
        span = self.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        if span is None:
            return True
        root = span.root
        gender, number = features
        if root.pos_ == "PRON":
            key = _pronoun_key(root)
            return key not in PRONOUN_FEATURES or PRONOUN_FEATURES[key] == features
        if self._is_person(mention) or _is_person_name(root):
            return number == "Sing" and (gender == "Masc" or "Fem" in root.morph.get("Gender"))
        if _grammatical_number(span) != number:
            return False
        genders = root.morph.get("Gender")
        return not genders or gender in genders

    def _token_at(self, char: int) -> int:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else -1


def _grammatical_number(span: Span) -> str:
    """The determiner decides ("les Etats-Unis" is plural, "l'ONG" singular); else the parse; else singular."""
    determiner = span[0] if span[0].pos_ in {"DET", "ADP"} else (span.doc[span.start - 1] if span.start else None)
    if determiner is not None and determiner.lower_ in PLURAL_DETERMINERS:
        return "Plur"
    if determiner is not None and determiner.lower_ in SINGULAR_DETERMINERS:
        return "Sing"
    return "Plur" if "Plur" in span.root.morph.get("Number") else "Sing"


def _is_person_name(token: Token) -> bool:
    return token.ent_type_ == "PER" or (token.pos_ == "PROPN" and any(c.dep_ == "flat:name" for c in token.children))


def _sentences(words: Span) -> list[Span]:
    sentences = {s.start: s for s in (sentence_of(t) for t in words if not t.is_space)}
    return [sentences[k] for k in sorted(sentences)]


def _as_mention(found: Attribution, head: Token) -> dict:
    """A speaker as a candidate antecedent; agreement is checked on the head that names it ("un responsable de
    l'ONU" is masculine, whatever the gender of "ONU")."""
    return {"actor_id": found.actor_id, "start": head.idx, "end": _end_char(head), "surface": found.surface}


def _covers(mention: dict, token: Token) -> bool:
    return mention["start"] <= token.idx < mention["end"]


def _distance(token: Token, words: Span) -> int:
    if token.i < words.start:
        return words.start - token.i
    if token.i >= words.end:
        return token.i - words.end + 1
    return 0


def _phrase_tokens(head: Token) -> set[int]:
    """The noun phrase of a head, without relative clauses and participial modifiers (not what names it)."""
    excluded = {t.i for c in head.children if c.dep_ in {"acl:relcl", "acl", "punct"} and c.i > head.i
                for t in c.subtree}
    return {t.i for t in head.subtree} - excluded


def _phrase_span(head: Token) -> tuple[int, int]:
    """Character span of a noun phrase, without its leading preposition and edge punctuation."""
    doc = head.doc
    tokens = [doc[i] for i in sorted(_phrase_tokens(head))]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "case" or tokens[0].is_space):
        tokens.pop(0)
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    return (tokens[0].idx, _end_char(tokens[-1])) if tokens else (head.idx, head.idx)


def _antecedent_noun(pronoun: Token) -> Token | None:
    """The noun a relative pronoun stands for: the nearest noun before it, in its sentence and after its clause's
    verb, that agrees with it in number (and gender, when the parse gives one). Read from the words, not the tree:
    the parser often hangs the relative clause from the last noun of a long phrase, or from the main verb."""
    number, gender = pronoun.morph.get("Number"), pronoun.morph.get("Gender")
    for token in reversed(pronoun.doc[sentence_of(pronoun).start:pronoun.i]):
        if token.pos_ in VERBAL:
            return None
        if token.pos_ == "NOUN" and number and token.morph.get("Number") == number \
                and token.morph.get("Gender") in ([], gender):
            return token
    return None


def _is_demonstrative(head: Token) -> bool:
    return any(c.dep_ == "det" and "Dem" in c.morph.get("PronType") for c in head.children)


def _end_char(token: Token) -> int:
    return token.idx + len(token.text)
