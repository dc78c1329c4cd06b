"""Who the text says asserts some words: the speaker of a quote, the claimant of a figure or of an event.

Shared by the quotes, figures and events stages, so a source is found the same way everywhere. It works on the
dependency parse, never on particular sentences:
- a reporting verb (lexicon `reporting_verbs.csv`) that governs the words, or stands in an incise next to them
  ("…", a précisé X), gives its subject: nsubj before the verb, or the inverted subject after it ("a indiqué
  l'OSDH"), or "-t-il"/"il", resolved to the last fitting actor mentioned before;
- "selon X" / "d'après X" gives X;
- with carry=True, words with no source in their own sentence inherit the previous sentence's source (a quote
  that continues a speaker's statement).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..reference import Reference, load_reference
from ..text import fold

ACCORDING_TO = {"selon": "selon", "après": "d'après"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl:subj"}
INVERTED_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "obj", "appos", "nmod", "obl", "obl:arg", "dislocated"}
PERSONAL_PRONOUNS = {"il", "elle", "ils", "elles", "lui", "eux"}


@dataclass(frozen=True)
class Attribution:
    actor_id: str | None  # registry or provisional actor id; None when the source is not identifiable
    surface: str  # how the text names the source ("M. Choïgou", "l'OSDH", "il" -> antecedent's actor)
    start: int
    end: int  # span of `surface` in the article text
    cue: str  # reporting-verb lemma ('déclarer', 'affirmer', ...) or 'selon' / "d'après"


@dataclass(frozen=True)
class ReportingLexicon:
    anywhere: frozenset[str]  # verbs that report whatever they govern
    incise_only: frozenset[str]  # verbs that report only in an incise ("a-t-il poursuivi")
    phrases: dict[str, str]  # folded "verb dependent" -> lemma as written ("faire etat" -> "faire état")


def reporting_lexicon(reference: Reference) -> ReportingLexicon:
    """The lexicon from the reference data; the packaged one when a reference folder has no such file."""
    table = reference.tables.get("reporting_verbs")
    if table is None:
        table = _packaged_lexicon()
    anywhere, incise, phrases = set(), set(), {}
    for row in table.iter_rows(named=True):
        lemma = row["lemma"].strip()
        if " " in lemma:
            phrases[fold(lemma)] = lemma
        elif row["use"] == "incise":
            incise.add(fold(lemma))
        else:
            anywhere.add(fold(lemma))
    return ReportingLexicon(frozenset(anywhere), frozenset(incise), phrases)


@lru_cache(maxsize=1)
def _packaged_lexicon():
    return load_reference()["reporting_verbs"]


def attribute(doc: Doc, start: int, end: int, mentions: list[dict], reference: Reference, *,
              carry: bool = False) -> Attribution | None:
    """Who the text says asserts the words doc.text[start:end]. carry=True lets a quote inherit the previous
    sentence's speaker; figures and event claimants use carry=False (attribution must be in the same sentence)."""
    words = doc.char_span(start, end, alignment_mode="expand")
    if words is None or not len(words):
        return None
    lexicon = reporting_lexicon(reference)
    found = source_in_sentence(words, mentions, lexicon)
    if found is None and carry:
        previous = _previous_sentence(words.sent)
        if previous is not None:
            found = _sentence_source(previous, mentions, lexicon)
    return found


def source_in_sentence(words: Span, mentions: list[dict], lexicon: ReportingLexicon) -> Attribution | None:
    """The closest cue of the words' own sentence that governs them or stands in an incise next to them."""
    cues = sorted(_cues(words, lexicon), key=lambda cue: cue[0])
    for _, token, kind in cues:
        source = _according_to_source(token, mentions) if kind in ACCORDING_TO.values() else \
            _verb_source(token, mentions, kind)
        if source is not None:
            return source
    return None


def _cues(words: Span, lexicon: ReportingLexicon):
    """(rank, token, cue) for every cue of the sentence related to the words; lower rank = closer."""
    sentence = words.sent
    word_ids = {t.i for t in words}
    for token in sentence:
        according = _according_to_cue(token)
        if according is not None:
            anchor = token.head
            if word_ids & {t.i for t in anchor.subtree} and not any(t.i in word_ids for t in [anchor]):
                continue  # "selon X" inside the quoted words themselves
            yield (_distance(token, words) + _governs_penalty(anchor, words), anchor, according)
            continue
        lemma = reporting_lemma(token, lexicon)
        if lemma is None:
            continue
        if _governs(token, words):
            yield (_distance(token, words), token, lemma)
        elif _in_incise(token, words):
            yield (_distance(token, words), token, lemma)


def _according_to_cue(token: Token) -> str | None:
    low = token.lower_
    if low == "selon":
        return "selon"
    if low == "après" and token.i > 0 and token.nbor(-1).lower_ in {"d'", "d’"}:
        return "d'après"
    return None


def reporting_lemma(token: Token, lexicon: ReportingLexicon) -> str | None:
    """The reporting-verb lemma of a verb token, or None when it is not one."""
    if token.pos_ not in {"VERB", "AUX"}:
        return None
    lemma = fold(token.lemma_)
    for child in token.children:
        phrase = f"{lemma} {fold(child.text)}"
        if phrase in lexicon.phrases:
            return lexicon.phrases[phrase]
    if lemma in lexicon.anywhere or lemma in lexicon.incise_only:
        return token.lemma_
    return None


def _governs(verb: Token, words: Span) -> bool:
    """The words sit in the verb's own clause: inside its subtree and not inside a subject."""
    subtree = {t.i for t in verb.subtree}
    if not all(t.i in subtree for t in words):
        return False
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and any(t.i in {c.i for c in child.subtree} for t in words):
            return False
    return True


def _governs_penalty(anchor: Token, words: Span) -> int:
    return 0


def _in_incise(verb: Token, words: Span) -> bool:
    """`"…", a précisé X` or `X a déclaré : "…"`: only punctuation, quote marks and the verb's own auxiliaries
    separate the verb's clause from the words."""
    clause = sorted(t.i for t in verb.subtree)
    lo, hi = clause[0], clause[-1]
    doc = verb.doc
    if lo > words.end - 1:
        gap = doc[words.end:_first_head_token(verb)]
    elif hi < words.start:
        gap = doc[hi + 1:words.start]
    else:
        gap = doc[words.end:verb.i] if verb.i >= words.end else doc[verb.i + 1:words.start]
    return all(t.is_punct or t.is_quote or t.is_space or t.pos_ == "AUX" or _is_inverted_pronoun(t) for t in gap)


def _first_head_token(verb: Token) -> int:
    """Index of the first token of the verb group (auxiliaries included), ignoring subjects and objects after it."""
    first = verb.i
    for child in verb.lefts:
        if child.dep_.startswith("aux") or child.dep_ in {"expl:pv", "expl:comp", "advmod", "neg"}:
            first = min(first, child.i)
    return first


def _distance(token: Token, words: Span) -> int:
    if token.i < words.start:
        return words.start - token.i
    if token.i >= words.end:
        return token.i - words.end + 1
    return 0


def _verb_source(verb: Token, mentions: list[dict], lemma: str) -> Attribution | None:
    subject = _subject(verb)
    if subject is None:
        return None
    return _name_source(subject, mentions, lemma)


def _subject(verb: Token) -> Token | None:
    """The verb's subject: nsubj, "-t-il", the inverted subject after the verb, or the subject of the clause a
    participle or gerund hangs from ("…, ajoutant que…", "en affirmant…")."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS or _is_inverted_pronoun(child):
            return child
    for child in verb.rights:
        if child.dep_ in INVERTED_SUBJECT_DEPS and child.pos_ in {"PROPN", "NOUN", "PRON"} and \
                not any(c.dep_ == "case" for c in child.children):
            return child
    if verb.dep_ in {"advcl", "acl", "conj", "xcomp", "parataxis"} and verb.head is not verb:
        return _subject(verb.head)
    return None


def _is_inverted_pronoun(token: Token) -> bool:
    return token.lower_.lstrip("-").removeprefix("t-") in PERSONAL_PRONOUNS and token.text.startswith("-")


def _according_to_source(anchor: Token, mentions: list[dict]) -> Attribution | None:
    cue = "d'après" if any(c.lower_ == "après" for c in anchor.children) else "selon"
    return _name_source(anchor, mentions, cue)


def _name_source(head: Token, mentions: list[dict], cue: str) -> Attribution | None:
    """The actor a noun phrase names: a mention inside it (the head's own first, then an apposition, then any),
    or, for a pronoun, the last fitting actor mentioned before it."""
    doc = head.doc
    if head.pos_ == "PRON" or _is_inverted_pronoun(head):
        antecedent = _antecedent(head, mentions)
        return Attribution(antecedent, head.text, head.idx, head.idx + len(head.text), cue)
    phrase = [t for t in head.subtree if t.dep_ not in {"acl", "acl:relcl"} or t is head]
    lo, hi = min(t.idx for t in head.subtree), max(t.idx + len(t.text) for t in head.subtree)
    inside = [m for m in mentions if lo <= m["start"] and m["end"] <= hi]
    if not inside:
        span = doc[head.left_edge.i:head.right_edge.i + 1]
        surface = _trim(span)
        return Attribution(None, surface.text, surface.start_char, surface.end_char, cue) if len(surface) else None
    own = [m for m in inside if m["start"] <= head.idx < m["end"]]
    appositions = [m for m in inside for c in head.children if c.dep_ == "appos" and m["start"] <= c.idx < m["end"]]
    chosen = (appositions or own or inside)[0]
    del phrase
    return Attribution(chosen["actor_id"], chosen["surface"], chosen["start"], chosen["end"], cue)


def _trim(span: Span) -> Span:
    while len(span) and (span[0].is_punct or span[0].pos_ == "ADP"):
        span = span[1:]
    while len(span) and span[-1].is_punct:
        span = span[:-1]
    return span


def _antecedent(pronoun: Token, mentions: list[dict]) -> str | None:
    """The last actor mentioned before the pronoun, outside the pronoun's own quote."""
    before = [m for m in mentions if m["end"] <= pronoun.idx]
    return max(before, key=lambda m: m["end"])["actor_id"] if before else None


def _previous_sentence(sentence: Span) -> Span | None:
    if sentence.start == 0:
        return None
    return sentence.doc[sentence.start - 1].sent


def _sentence_source(sentence: Span, mentions: list[dict], lexicon: ReportingLexicon) -> Attribution | None:
    """The source a whole sentence reports: the first cue of the sentence that has one."""
    for token in sentence:
        cue = _according_to_cue(token)
        if cue is not None:
            found = _according_to_source(token.head, mentions)
        else:
            lemma = reporting_lemma(token, lexicon)
            found = _verb_source(token, mentions, lemma) if lemma else None
        if found is not None:
            return found
    return None
