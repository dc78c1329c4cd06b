"""Stage 6, events: event reports typed, dated, placed and attributed, one article at a time.

A report is one mention of an event in one article. It is found from a trigger word of the lexicon
`event_triggers.csv` and its arguments in the dependency parse:
- type: the trigger's type ('frappes' airstrike, 'offensive' ground_offensive, 'rencontrer' meeting...), retyped
  by the instrument among its arguments ('bombardements menés depuis des croiseurs' -> missile_strike);
- modality (`event_modality.csv`): negation ('ne sont pas parvenues à avancer'), future ('vont se réunir',
  'se réunissent jeudi'), hypothetical ('pourrait coordonner'); otherwise asserted;
- date (`dates.py`): the temporal expression attached to the trigger's own clause; failing that, a past-tense
  report inherits the day the narrative is at (the last day the article's past-tense clauses named);
- places (`places.py`): the gazetteer places of the trigger's clause; one report per governorate it names;
- initiator, target (from the article's actor mentions) and claimant (shared `attribution.attribute`);
- figure_ids: the article's figures inside the trigger's clause, and casualty figures of the next sentence.
Nominal and present-tense mentions that nothing anchors (no light verb in a past tense, no date, no place:
"les frappes russes qui ciblent en priorité...") are generic, not reports of an event. Headlines, captions and
subheadings summarise the body and are skipped. The rules are described in docs/events.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..reference import Reference, per_reference
from ..text import fold
from . import actors, attribution, dates, places
from .doc_index import folded_text_of, folded_words_of, sentence_of, text_of, tree_of, words_of

CLAUSAL_DEPS = {"ccomp", "advcl", "acl", "acl:relcl", "conj", "parataxis", "xcomp", "csubj", "appos"}
STOP_CLIMB_DEPS = {"acl:relcl", "parataxis", "conj", "ccomp", "csubj"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl:subj"}
AGENT_DEPS = {"obl:agent"}
CONFLICT_CLASSES = {"airstrike", "missile_strike", "ground_offensive", "armed_clash", "territory_change", "shootdown"}
CASUALTY_CATEGORIES = {"killed", "injured"}
NEGATION_WORDS = {"ne", "n'", "pas", "jamais", "plus", "guère", "nullement"}
PASSE_SIMPLE = re.compile(r"(?:èrent|irent|urent|âmes|îmes|èrent|ït)$")
SUBJECT_PRONOUNS = {"qui", "il", "elle", "ils", "elles", "on"}
CLAUSES = "depeche_clauses"  # doc.user_data: token index -> the indices of its clause


# --- lexicon -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    words: tuple[str, ...]  # folded lemma words; the first is the head, the others must depend on it
    pos: str
    role: str
    event_type: str | None
    requires: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    entries: dict[str, tuple[Entry, ...]]  # head word -> entries, multiword entries first
    modality: dict[tuple[str, str], str]  # (folded cue, pos) -> modality

    def roles(self, token: Token, *wanted: str) -> list[Entry]:
        """The lexicon entries this token matches, restricted to the wanted roles."""
        found = []
        for word in _forms(token):
            for entry in self.entries.get(word, ()):
                if entry.role in wanted and entry.pos in {token.pos_, "ANY"} | _pos_aliases(token) \
                        and _multiword_matches(token, entry):
                    found.append(entry)
            if found:
                break
        return found

    def has(self, token: Token, *wanted: str) -> bool:
        return bool(self.roles(token, *wanted))


def _pos_aliases(token: Token) -> set[str]:
    """spaCy tags some French verbs AUX ('a eu lieu') and some participles ADJ; accept both for verbs."""
    if token.pos_ in {"AUX", "ADJ"} and token.morph.get("VerbForm"):
        return {"VERB"}
    if token.pos_ == "PROPN":
        return {"NOUN"}
    return set()


def _forms(token: Token) -> tuple[str, ...]:
    folded = folded_words_of(token.doc)
    return _forms_of(folded.lemma[token.i], folded.text[token.i])


@lru_cache(maxsize=1 << 16)
def _forms_of(lemma: str, text: str) -> tuple[str, ...]:
    """The folded lemma, word and singular-looking word, once each (memoised: words recur), from the folded lemma
    and word."""
    return tuple(dict.fromkeys([lemma, text, text[:-1] if text.endswith(("s", "x")) else text]))


def _multiword_matches(token: Token, entry: Entry) -> bool:
    if len(entry.words) == 1:
        return True
    reach = 4 if entry.pos == "VERB" else 2  # 'a pris jeudi pour cible'; 'frappes aériennes' is no 'campagne aérienne'
    nearby = [*token.children, *token.doc[token.i + 1:token.i + reach]]
    nearby_forms = {f for t in nearby for f in _forms(t)}
    return all(word in nearby_forms for word in entry.words[1:])


@per_reference
def lexicon(reference: Reference) -> Lexicon:
    entries: dict[str, list[Entry]] = {}
    for row in reference.event_triggers.iter_rows(named=True):
        words = tuple(fold(row["lemma"]).split())
        requires = frozenset(fold(w) for w in (row["requires"] or "").split("|") if w)
        entries.setdefault(words[0], []).append(Entry(words, row["pos"], row["role"], row["event_type"], requires))
    modality = {(fold(row["cue"]), row["pos"]): row["modality"] for row in reference.event_modality.iter_rows(named=True)}
    return Lexicon({w: tuple(sorted(es, key=lambda e: -len(e.words))) for w, es in entries.items()}, modality)


# --- triggers ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trigger:
    token: Token
    entry: Entry
    anchor: Token  # the verb that asserts it: the trigger itself, or the light/occurrence verb of a noun
    light: bool  # anchored by a light verb (mener des frappes) or is a verb: negation and modality apply
    instruments: frozenset[str] = field(default_factory=frozenset)


def find_triggers(sentence: Span, lex: Lexicon) -> list[Trigger]:
    triggers = []
    folded, entries = folded_words_of(sentence.doc), lex.entries
    for i in range(sentence.start, sentence.end):
        if entries.keys().isdisjoint(_forms_of(folded.lemma[i], folded.text[i])):
            continue  # no entry at all, whatever the role
        trigger = _trigger(sentence.doc[i], lex)
        if trigger is not None:
            triggers.append(trigger)
    return triggers


def _trigger(token: Token, lex: Lexicon) -> Trigger | None:
    entries = lex.roles(token, "event", "strike", "strike_verb", "munition")
    entries = [e for e in entries if not e.requires or _required_present(token, e.requires)]
    if not entries:
        return None
    entry = entries[0]
    if entry.role == "munition":
        return _munition(token, entry, lex)
    if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "ADJ" and token.morph.get("VerbForm")) or _verb_in_disguise(token):
        return _verbal(token, entry, lex)
    if token.dep_ == "nmod" and lex.has(token.head, "instrument"):
        return None  # 'avions de combat' names aircraft, not a fight
    anchor, light = _nominal_anchor(token, lex)
    return Trigger(token, entry, anchor or token, light, _instruments(token, anchor, lex))


def _verb_in_disguise(token: Token) -> bool:
    """'une coalition qui combat les jihadistes': a word the tagger calls a noun right after a subject pronoun."""
    return token.i > 0 and token.nbor(-1).lower_ in SUBJECT_PRONOUNS and token.pos_ == "NOUN"


def _required_present(token: Token, requires: frozenset[str]) -> bool:
    around = [*token.subtree, token.head, *token.head.children] if token.pos_ != "VERB" else \
        [t for c in token.children for t in c.subtree] + [token.head]
    return any(f in requires for t in around for f in _forms(t))


def _verbal(token: Token, entry: Entry, lex: Lexicon) -> Trigger | None:
    if _governed_by_event_noun(token, lex):
        return None  # 'des frappes ayant visé 12 cibles': the noun is the event, the verb its occurrence
    instruments = _instruments(token, None, lex)
    if entry.role == "strike_verb" and not instruments and not _has_target_object(token, lex):
        return None  # 'la Russie vise les groupes rebelles' says what it aims at, not that it struck
    return Trigger(token, entry, token, True, instruments)


def _governed_by_event_noun(verb: Token, lex: Lexicon) -> bool:
    if verb.dep_ in {"acl", "acl:relcl"} and lex.has(verb.head, "event", "strike", "munition"):
        return True
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and lex.has(child, "event", "strike"):
            return True
        if child.dep_ in SUBJECT_DEPS and child.lower_ in {"qui"} and lex.has(verb.head, "event", "strike"):
            return True
    return False


def _has_target_object(verb: Token, lex: Lexicon) -> bool:
    objects = [c for c in verb.children if c.dep_ in {"obj", "nsubj:pass", "obl:arg", "obl", "obl:mod"}]
    return any(lex.has(t, "target") for o in objects for t in clause_tokens(o))


def _munition(token: Token, entry: Entry, lex: Lexicon) -> Trigger | None:
    """'ont lancé 26 missiles', 'les missiles tirés depuis la Caspienne': a munition fired is a strike."""
    head = token.head
    if token.dep_ in {"obj", "nsubj:pass"} and lex.has(head, "light", "strike_verb"):
        if _trigger(head, lex) is not None:
            return None  # 'ont tiré 26 missiles': the verb is the trigger
        return Trigger(token, entry, head, True, frozenset({entry.event_type}))
    for child in token.children:
        if child.dep_ == "acl" and lex.has(child, "light", "strike_verb"):
            return Trigger(token, entry, child, True, frozenset({entry.event_type}))
    return None


def _nominal_anchor(noun: Token, lex: Lexicon) -> tuple[Token | None, bool]:
    """The verb asserting that an event noun happened, and whether it is a light verb ('mener des frappes',
    'l'offensive lancée mercredi') or an occurrence verb ('les frappes ont visé', 'appuyée par les raids')."""
    for child in noun.children:
        if lex.has(child, "light") and (child.dep_ == "acl" or child.dep_ == "acl:relcl" and _relative_object(child)):
            return child, True  # 'l'offensive lancée mercredi', 'les bombardements qu'elle mène'
    current = noun
    while lex.has(current.head, "container") and current.head != current:
        current = current.head
    for child in current.children:
        if child.dep_ in {"acl"} and lex.has(child, "light"):
            return child, True
    head = current.head
    if head == current:
        return None, False
    if lex.has(head, "light"):
        return head, True
    if current.dep_ in SUBJECT_DEPS | AGENT_DEPS | {"obl:arg"} and lex.has(head, "occurrence", "strike_verb", "strike"):
        return head, False
    for child in current.children:
        if child.dep_ in {"acl", "acl:relcl"} and lex.has(child, "occurrence", "strike_verb", "strike"):
            return child, False
    before = _light_verb_before(noun, lex)
    return before, before is not None


def _light_verb_before(noun: Token, lex: Lexicon, reach: int = 8) -> Token | None:
    """When the parse hangs the noun elsewhere ('mène depuis le 23 septembre 2014 des frappes'): the light verb
    just before it, with no punctuation or other verb between."""
    for token in reversed(noun.doc[max(sentence_of(noun).start, noun.i - reach):noun.i]):
        if token.is_punct:
            return None
        if token.pos_ in {"VERB", "AUX"} and token.dep_ not in {"aux", "aux:tense", "aux:pass"}:
            return token if lex.has(token, "light") else None
    return None


def _relative_object(verb: Token) -> bool:
    return any(c.dep_ == "obj" and fold(c.text) in {"que", "qu'"} for c in verb.children)


def _instruments(token: Token, anchor: Token | None, lex: Lexicon) -> frozenset[str]:
    """Event types implied by the means named among the trigger's arguments (avions -> airstrike)."""
    scope = list(_argument_tokens(token))
    if anchor is not None and anchor != token:
        scope += [t for c in anchor.children if c.dep_ in SUBJECT_DEPS | AGENT_DEPS | {"obl", "obl:mod", "obl:arg"}
                  for t in clause_tokens(c)]
    if token.pos_ in {"VERB", "AUX"} and not any(c.dep_ in SUBJECT_DEPS for c in token.children):
        scope += _controller_tokens(token)
    types = set()
    for t in scope:
        if t.i == token.i:
            continue
        for entry in lex.roles(t, "instrument"):
            types.add(entry.event_type)
    return frozenset(types)


def _argument_tokens(token: Token) -> list[Token]:
    if token.pos_ in {"NOUN", "PROPN"}:
        return clause_tokens(token)
    return [t for c in token.children if not is_clause(c) for t in clause_tokens(c)]


def clause_tokens(token: Token) -> list[Token]:
    """The token and its dependents, without the clauses embedded in them (relative clauses, participles...)."""
    return [token.doc[i] for i in clause_indices(token.doc, token.i)]


def clause_indices(doc: Doc, i: int) -> tuple[int, ...]:
    """The indices of `clause_tokens(doc[i])`, depth first; kept per document, which asks for the same clauses
    many times (one per trigger, path word and argument)."""
    found = doc.user_data.setdefault(CLAUSES, {})
    if i not in found:
        tree, pos = tree_of(doc), words_of(doc).pos

        def gather(k: int) -> tuple[int, ...]:
            if k not in found:
                indices = [k]
                for child in tree.children[k]:
                    if not opens_clause(tree.dep[child], pos[child]):
                        indices += gather(child)
                found[k] = tuple(indices)
            return found[k]
        gather(i)
    return found[i]


def is_clause(token: Token) -> bool:
    return opens_clause(token.dep_, token.pos_)


def opens_clause(dep: str, pos: str) -> bool:
    """A dependent that opens a clause of its own; coordinated nouns ('Hama et Lattaquié') and elliptic
    conjuncts ('et trois dans celle d'Idleb') stay in their head's clause."""
    if dep in {"conj", "appos"}:
        return pos in {"VERB", "AUX"}
    return dep in CLAUSAL_DEPS


def _controller_tokens(verb: Token) -> list[Token]:
    controller = _controller(verb)
    return clause_tokens(controller) if controller is not None else []


def _controller(verb: Token) -> Token | None:
    """The implicit subject of an infinitive or participle: the subject of a verb it depends on, or the noun it
    modifies ('les missiles tirés', 'la coalition a annoncé avoir mené')."""
    current = verb
    for _ in range(3):
        head = current.head
        if head == current:
            return None
        if head.pos_ in {"NOUN", "PROPN"}:
            return head
        subject = next((c for c in head.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            return subject
        current = head
    return None


# --- clauses, tense, modality ------------------------------------------------------------------------------

def verb_path(token: Token) -> list[Token]:
    """From a token up to the head of its finite clause: the trigger, the nouns and non-finite verbs it hangs
    from, and the first finite verb (or the sentence root). Relative clauses and conjuncts are not crossed."""
    path = [token]
    current = token
    if _verb_in_disguise(token):
        return path
    while current.head != current:
        if current != token and _is_finite(current):
            break
        if current.pos_ in {"VERB", "AUX"} and current.dep_ in STOP_CLIMB_DEPS:
            break
        current = current.head
        path.append(current)
    return path


def _is_finite(token: Token) -> bool:
    if "Fin" in token.morph.get("VerbForm"):
        return True
    return any(c.dep_.startswith("aux") and "Fin" in c.morph.get("VerbForm") for c in token.children)


def clause_tense(verb: Token) -> str:
    """'past' (passé composé/simple, past participle or infinitive), 'pluperfect', 'present', 'imperfect',
    'future', 'conditional' or 'nonfinite' (bare infinitive, present participle)."""
    auxes = [c for c in verb.children if c.dep_.startswith("aux") and c.pos_ == "AUX"]
    finite_aux = next((a for a in auxes if "Fin" in a.morph.get("VerbForm")), None)
    if finite_aux is not None and finite_aux.dep_ == "aux:pass" and not any(a.dep_ == "aux:tense" for a in auxes):
        return clause_tense(finite_aux)  # 'sont déployés' is a present passive, not a passé composé
    carrier = finite_aux or verb
    if "Cnd" in carrier.morph.get("Mood"):
        return "conditional"
    tense = carrier.morph.get("Tense")
    if finite_aux is not None:
        return {"Pres": "past", "Imp": "pluperfect", "Fut": "future", "Past": "past"}.get(tense[0] if tense else "", "past")
    if "Fin" in verb.morph.get("VerbForm"):
        if tense == ["Past"] and not PASSE_SIMPLE.search(verb.lower_):
            return "present"  # the tagger reads 'réunissent' as a past; news French hardly uses the passé simple
        return {"Pres": "present", "Imp": "imperfect", "Fut": "future", "Past": "past"}.get(tense[0] if tense else "", "present")
    if "Part" in verb.morph.get("VerbForm") and "Past" in tense:
        return "past"
    if auxes:  # past infinitive: 'avoir effectué'
        return "past"
    return "nonfinite"


def trigger_tense(path: list[Token]) -> str:
    """The tense that tells when the trigger's clause happened: the first verb of its path that has one."""
    for token in path:
        if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "ADJ" and token.morph.get("VerbForm")):
            tense = clause_tense(token)
            if tense != "nonfinite":
                if tense == "present" and _is_future_auxiliary(token):
                    return "future"
                return tense
    return "none"


def _is_future_auxiliary(token: Token) -> bool:
    """'vont se réunir': aller with an infinitive."""
    return fold(token.lemma_) == "aller" and any("Inf" in c.morph.get("VerbForm") for c in token.children)


def modality(trigger: Trigger, path: list[Token], lex: Lexicon, tense: str) -> str:
    """negated > hypothetical > future > asserted, from the trigger's own clause (negation counts only where it
    bears on the event: a light verb or the trigger verb, not 'les frappes ne visaient pas l'EI')."""
    cues = set()
    verbs = [t for t in path if t.pos_ in {"VERB", "AUX", "ADJ"}]
    for token in path:
        for child in token.children:  # 'pour reprendre', 'aucune décision', 'une éventuelle table', 's'est dite prête à'
            key = (fold(child.lemma_), child.pos_)
            if (child.dep_ in {"mark", "det", "amod"} or child.dep_ == "xcomp" and child.pos_ == "ADJ") \
                    and key in lex.modality and child != trigger.token:
                cues.add(lex.modality[key])
        key = (fold(token.lemma_), "VERB" if token.pos_ == "AUX" else token.pos_)  # 'pourrait', 'préparer'
        if key in lex.modality and token != trigger.token and (key[0] != "aller" or _is_future_auxiliary(token)):
            cues.add(lex.modality[key])
    if trigger.light and any(_negated(v) for v in verbs):
        cues.add("negated")
    if tense == "conditional":
        cues.add("hypothetical")
    if tense == "future":
        cues.add("future")
    for mode in ("negated", "hypothetical", "future"):
        if mode in cues:
            return mode
    return "asserted"


def _negated(verb: Token) -> bool:
    children = list(verb.children)
    return any(fold(c.text) in {"ne", "n'"} for c in children) and (
        any(fold(c.text) in NEGATION_WORDS - {"ne", "n'"} for c in children)
        or any(fold(g.lemma_) == "aucun" for c in children for g in c.children))


# --- extraction --------------------------------------------------------------------------------------------

@dataclass
class ArticleContext:
    article: dict
    doc: Doc
    mentions: list[dict]
    figures: list[dict]
    reference: Reference
    lex: Lexicon
    places: list[places.PlaceMention]
    expressions: list[dates.TimeExpression]
    narrative: date | None = None


def extract(article: dict, doc: Doc, mentions: list[dict], figures: list[dict], reference: Reference) -> list[dict]:
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    context = ArticleContext(
        article, doc, mentions, figures, reference, lexicon(reference),
        places.find_places(text_of(doc), places.gazetteer(reference), [(m["start"], m["end"]) for m in mentions],
                           sentences, folded_text_of(doc)),
        dates.find_expressions(text_of(doc), folded_text_of(doc)),
    )
    reports: list[dict] = []
    previous: list[dict] = []
    for sentence in doc.sents:
        if attribution.is_heading(sentence):
            continue  # headlines and subheadings sum up the body, which reports the events
        day = _sentence_day(sentence, context)
        context.narrative = _narrative(sentence, context, day) or context.narrative
        found = []
        for trigger in find_triggers(sentence, context.lex):
            found += reports_for(trigger, sentence, day, context)
        if found:
            _attach_casualties(sentence, found, figures)
        elif not _expressions_in(sentence, context):
            _attach_casualties(sentence, previous, figures)
        reports += found
        previous = found
    return reports


def _expressions_in(sentence: Span, context: ArticleContext) -> list[dates.TimeExpression]:
    return [e for e in context.expressions if sentence.start_char <= e.start < sentence.end_char and e.scope != "mask"]


def _clause_days(sentence: Span, context: ArticleContext, day: date | None = None):
    """(resolution, tense, finite) for each clause-level temporal expression of the sentence: the day it names,
    read forward when its clause is in the present or future ('se réunissent jeudi')."""
    published = context.article["published_date"]
    for expression in _expressions_in(sentence, context):
        if expression.scope != "clause":
            continue
        head = _expression_head(expression, sentence)
        path = verb_path(head) if head is not None else []
        tense = trigger_tense(path)
        verb = next((t for t in path if t.pos_ in {"VERB", "AUX"}), None)
        resolution = dates.resolve(expression, published, anchor=day, forward=tense in {"present", "future"})
        yield expression, resolution, tense, verb is None or _is_finite(verb)


def _sentence_day(sentence: Span, context: ArticleContext) -> date | None:
    """The first day a non-future clause of the sentence names: the anchor of 'dans la journée', 'la veille'."""
    for expression, resolution, tense, _ in _clause_days(sentence, context):
        if expression.is_day and resolution.event_date is not None and not resolution.future and tense != "future":
            return resolution.event_date
    return None


def _narrative(sentence: Span, context: ArticleContext, day: date | None) -> date | None:
    """The day the narrative moves to: the last day named by a finite past or present clause of the sentence
    (a pluperfect flashback, a future plan, a participle 'lancée mercredi' or a span does not move it)."""
    latest = None
    for expression, resolution, tense, finite in _clause_days(sentence, context, day):
        if resolution.event_date is None or resolution.future or resolution.date_start is not None or not finite:
            continue
        if tense in {"past", "present", "none"}:
            latest = resolution.event_date
    return latest


def _expression_head(expression: dates.TimeExpression, sentence: Span) -> Token | None:
    span = sentence.doc.char_span(expression.start, expression.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def reports_for(trigger: Trigger, sentence: Span, day: date | None, context: ArticleContext) -> list[dict]:
    path = verb_path(trigger.anchor)
    if trigger.token not in path:
        path = [trigger.token, *path]
    clause = trigger_clause(trigger, path, context.lex)
    tense = trigger_tense(path)
    expressions = clause_expressions(trigger, clause, sentence, context)
    expression = expressions[0] if expressions else None
    mode = modality(trigger, path, context.lex, tense)
    if expression is not None and expression.scope == "complement" and expression.kind != "span_of":
        mode = "future" if expression.kind == "day_before_complement" else "asserted"  # 'au lendemain des frappes'
    resolution = _date(expressions, tense, mode, day, context, path)
    if resolution.future and mode == "asserted":
        mode = "future"
    if resolution.future and resolution.event_date is not None:
        # event_date is the day something happened; a planned day is the period it is planned for
        resolution = dates.DateResolution(None, resolution.event_date, resolution.event_date, resolution.precision, True)
    located = [p for p in context.places if p.role == "location" and sentence.start_char <= p.start < sentence.end_char
               and clause.holds(p.start, p.end, context.doc)]
    if not _is_anchored(trigger, tense, expression, located):
        return []
    initiator, target = _participants(trigger, context.mentions, context.reference)
    claim = attribution.attribute(context.doc, trigger.token.idx, trigger.token.idx + len(trigger.token),
                                  context.mentions, context.reference, carry=False)
    figure_ids = [f["figure_id"] for f in context.figures if sentence.start_char <= f["start"] < sentence.end_char
                  and clause.holds(f["start"], f["end"], context.doc)]
    base = {
        "article_id": context.article["article_id"],
        "event_date": resolution.event_date, "date_start": resolution.date_start, "date_end": resolution.date_end,
        "date_precision": resolution.precision, "actor1_id": initiator, "actor2_id": target, "modality": mode,
        "claimant_actor_id": claim.actor_id if claim else None, "figure_ids": figure_ids,
    }
    evidence_tokens = [trigger.token, trigger.anchor]
    reports = []
    for event_type in _event_types(trigger):
        for group in place_groups(located):
            best = group[0] if group else None
            start, end = _evidence(evidence_tokens, expression, group, sentence)
            reports.append({
                **base, "start": start, "end": end, "surface": text_of(context.doc)[start:end], "event_type": event_type,
                "place_id": best.place_id if best else None, "admin1": best.admin1 if best else None,
                "country_iso3": best.country_iso3 if best else None,
                "where_precision": best.where_precision if best else places.OTHER,
            })
    return reports


def _is_anchored(trigger: Trigger, tense: str, expression: dates.TimeExpression | None,
                 located: list[places.PlaceMention]) -> bool:
    """A report of an event rather than a generic mention ('les frappes russes qui ciblent en priorité...'): it
    has a date or a place of its own, or a verb asserts it in a past, future or conditional tense."""
    if expression is not None or located:
        return True
    if trigger.light:
        return tense in {"past", "pluperfect", "future", "conditional"}
    return trigger.anchor != trigger.token and tense == "past"


@dataclass(frozen=True)
class Clause:
    """Where a trigger's arguments may sit: its own words and its path's dependents (`region`), and the clause
    heads (`heads`) of its path and of the occurrence clauses hanging from it ('... qui ont détruit X à Y')."""
    region: frozenset[int]
    heads: frozenset[int]

    def holds(self, start: int, end: int, doc: Doc, *, through_heads: bool = True) -> bool:
        """The words belong to the clause; `through_heads` also accepts words deeper in a clause it heads
        ('un atelier de fabrication de voitures piégées au nord de Homs')."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        return any(t.i in self.region for t in span) or \
            through_heads and verb_path(span.root)[-1].i in self.heads


def trigger_clause(trigger: Trigger, path: list[Token], lex: Lexicon) -> Clause:
    doc = trigger.token.doc
    region = set(clause_indices(doc, trigger.token.i))
    for token in path:
        region.update(clause_indices(doc, token.i))
    heads = {t.i for t in path}
    own = clause_tokens(trigger.token) + (clause_tokens(trigger.anchor) if trigger.anchor != trigger.token else [])
    for token in own:
        for child in token.children:
            if child.dep_ in {"acl", "acl:relcl"} and lex.has(child, "occurrence", "strike_verb", "strike", "light"):
                region.update(clause_indices(doc, child.i))
                heads.add(child.i)
    return Clause(frozenset(region), frozenset(heads))


def clause_expressions(trigger: Trigger, clause: Clause, sentence: Span,
                       context: ArticleContext) -> list[dates.TimeExpression]:
    """The temporal expressions of the trigger's clause, the one that dates it first: a day before a duration,
    the trigger's own words before its clause's, the nearest first. One that dates the very noun after it
    ('au lendemain des premiers bombardements') applies only to that noun."""
    candidates = []
    for expression in [e for e in context.expressions if sentence.start_char <= e.start < sentence.end_char]:
        if expression.scope == "mask":
            continue
        if expression.scope == "complement":
            if 0 <= trigger.token.idx - expression.end <= 30 and \
                    not re.search(r"[,.;:]", text_of(context.doc)[expression.end:trigger.token.idx]):
                return [expression]
            continue
        span = sentence.doc.char_span(expression.start, expression.end, alignment_mode="expand")
        if span is None or not clause.holds(expression.start, expression.end, context.doc, through_heads=False) or \
                not _reaches_through_report(trigger, span.root, context.reference):
            continue
        own = any(t.i in {s.i for s in trigger.token.subtree} for t in span) and trigger.token.pos_ in {"NOUN", "PROPN"}
        distance = min(abs(t.i - trigger.token.i) for t in span)
        candidates.append((not _names_a_day(expression), not own, expression.kind == "future", distance,
                           expression.start, expression))
    if not candidates and trigger.anchor.pos_ in {"VERB", "AUX"}:
        return _coordinated_expressions(trigger.anchor, sentence, context)
    return [c[5] for c in sorted(candidates, key=lambda c: c[:5])]


def _coordinated_expressions(verb: Token, sentence: Span, context: ArticleContext) -> list[dates.TimeExpression]:
    """Coordinated predicates share their time: 'ont effectué 41 sorties et frappé 63 cibles en vingt-quatre
    heures' dates both."""
    relatives = [verb.head] if verb.dep_ == "conj" else []
    relatives += [c for c in verb.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}]
    found = []
    for relative in relatives:
        words = set(clause_indices(relative.doc, relative.i))
        for expression in _expressions_in(sentence, context):
            span = sentence.doc.char_span(expression.start, expression.end, alignment_mode="expand")
            if expression.scope == "clause" and span is not None and any(t.i in words for t in span):
                found.append(expression)
    return found


def _names_a_day(expression: dates.TimeExpression) -> bool:
    """A day beats a duration in the same clause: 'avait réussi vendredi à avancer en quelques heures'."""
    return expression.is_day or expression.kind in {"night", "same_day", "eve"}


def _reaches_through_report(trigger: Trigger, head: Token, reference: Reference) -> bool:
    """The day of a report ('a annoncé jeudi') dates what it reports only when that is told as past and done
    ('avoir effectué de nouvelles frappes'), not an ongoing state ('a redit mercredi ne pas coopérer sur...')."""
    verb = head.head if head.head != head else head
    if attribution.reporting_lemma(verb, attribution.lexicon(reference)) is None or \
            verb in (trigger.token, trigger.anchor):
        return True
    below = verb_path(trigger.anchor)
    below = below[:below.index(verb)] if verb in below else below
    if trigger.token.pos_ in {"NOUN", "PROPN"} and not any(t.pos_ in {"VERB", "AUX"} for t in below):
        return True  # 'avait fait état mardi soir de frappes': what is reported is dated by the report
    return any(t.pos_ in {"VERB", "AUX"} and clause_tense(t) == "past" for t in below)


def _date(expressions: list[dates.TimeExpression], tense: str, mode: str, day: date | None,
          context: ArticleContext, path: list[Token]) -> dates.DateResolution:
    """From the clause's expression ('dans la journée' read against the clause's own day, 'mardi soir'); failing
    that, a past report takes the day its sentence names, else the day the narrative is at."""
    published = context.article["published_date"]
    forward = _speaks_of_future(tense, mode, path, context.reference)
    if expressions:
        clause_days = [dates.resolve(e, published, forward=forward).event_date for e in expressions if e.is_day]
        anchor = next((d for d in clause_days if d is not None), published)
        return dates.resolve(expressions[0], published, anchor=anchor, forward=forward)
    inherited = day or context.narrative
    if tense == "past" and mode == "asserted" and inherited is not None:
        return dates.DateResolution(inherited, precision=dates.DAY)
    return dates.UNRESOLVED


def _speaks_of_future(tense: str, mode: str, path: list[Token], reference: Reference) -> bool:
    """A future clause, or a present one that is not a report ('se réunissent jeudi' is ahead; 'affirme
    mercredi' in a later article is not)."""
    if mode == "negated" or tense not in {"future", "present"}:
        return False
    verb = next((t for t in path if t.pos_ in {"VERB", "AUX"}), None)
    return tense == "future" or verb is None or \
        attribution.reporting_lemma(verb, attribution.lexicon(reference)) is None


def _event_types(trigger: Trigger) -> list[str]:
    """The trigger's type, or one per instrument type for an attack ('bombardé avec des avions ... et des
    croiseurs' is an airstrike and a missile strike)."""
    if trigger.entry.role in {"strike", "strike_verb"} and trigger.instruments:
        return sorted(trigger.instruments)
    return [trigger.entry.event_type]


def place_groups(located: list[places.PlaceMention]) -> list[list[places.PlaceMention]]:
    """One group per governorate (or per country when nothing finer is named in it), most precise first; a sea
    only when no land is named. [[]] when there is no place."""
    if not located:
        return [[]]
    land = [p for p in located if p.feature_type != "sea"] or located
    finer_countries = {p.country_iso3 for p in land if p.admin1}
    groups: dict[tuple, list[places.PlaceMention]] = {}
    for p in land:
        if p.admin1 is None and p.country_iso3 in finer_countries:
            continue
        key = (p.admin1,) if p.admin1 else ("country", p.country_iso3, p.place_id if p.country_iso3 is None else "")
        groups.setdefault(key, []).append(p)
    return [sorted(g, key=lambda p: (p.where_precision, p.start)) for g in groups.values()]


def _evidence(tokens: list[Token], expression: dates.TimeExpression | None,
              group: list[places.PlaceMention], sentence: Span) -> tuple[int, int]:
    starts = [t.idx for t in tokens] + [p.start for p in group]
    ends = [t.idx + len(t) for t in tokens] + [p.end for p in group]
    if expression is not None and sentence.start_char <= expression.start < sentence.end_char:
        starts.append(expression.start)
        ends.append(expression.end)
    return min(starts), max(ends)


# --- participants ------------------------------------------------------------------------------------------

def _participants(trigger: Trigger, mentions: list[dict], reference: Reference) -> tuple[str | None, str | None]:
    """Initiator: the subject or agent of the trigger's verb, the 'de X' of an event noun, or its nationality
    adjective ('frappes russes', 'les pilotes russes ont visé'). Target: the object, 'contre X', or the owner of
    the target ('cibles de l'EI')."""
    token, anchor = trigger.token, trigger.anchor
    initiator_roots: list[Token] = []
    for verb in (anchor, token) if trigger.light else (token,):
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS | AGENT_DEPS:
                # 'l'allié russe qui a intensifié ses raids': a relative pronoun stands for its antecedent
                initiator_roots.append(verb.head if child.lower_ == "qui" and verb.dep_ == "acl:relcl" else child)
    if token.pos_ in {"NOUN", "PROPN"}:
        initiator_roots += [c for c in token.children if c.dep_ == "amod" or (
            c.dep_ == "nmod" and any(_has_case(c, w) for w in ("de", "du", "des", "d'")))]
    if not initiator_roots and trigger.light and _controller(anchor) is not None:
        initiator_roots.append(_controller(anchor))  # 'la coalition a annoncé avoir mené cinq frappes'

    target_roots = [c for v in (token, anchor) for c in v.children
                    if c.dep_ in {"obj", "obl:arg"} or (c.dep_ in {"obl", "obl:mod", "nmod"} and _has_case(c, "contre"))
                    or (c.dep_ in {"obl:mod", "dep"} and c.pos_ == "PROPN" and not any(g.dep_ == "case" for g in c.children))]
    initiator = _first_actor(initiator_roots, mentions) or _nationality(initiator_roots, reference)
    target = _first_actor(target_roots, mentions, exclude=initiator)
    return initiator, target


def _nationality(roots: list[Token], reference: Reference) -> str | None:
    """The state a nationality adjective names, on the root itself ('raids russes') or on a root noun that names
    no actor ('les pilotes russes'): such adjectives are not actor mentions, yet they say who acted."""
    known = actors.knowledge(reference)
    for root in roots:
        for token in [root, *(c for c in root.children if c.dep_ == "amod")]:
            iso3 = known.demonyms.get(fold(token.text))
            if token.pos_ == "ADJ" and iso3 in known.states:
                return known.states[iso3]
    return None


def _has_case(token: Token, word: str) -> bool:
    return any(c.dep_ == "case" and c.lower_ == word for c in token.children)


def _first_actor(roots: list[Token], mentions: list[dict], exclude: str | None = None) -> str | None:
    for root in roots:
        first, last = (root.doc[i] for i in tree_of(root.doc).subtree_ends(root.i))
        start, end = first.idx, last.idx + len(last)
        inside = sorted((m for m in mentions if start <= m["start"] and m["end"] <= end and m["actor_id"] != exclude),
                        key=lambda m: (not (m["start"] <= root.idx < m["end"]), m["start"]))
        if inside:
            return inside[0]["actor_id"]
    return None


def _attach_casualties(sentence: Span, reports: list[dict], figures: list[dict]) -> None:
    """Casualty figures no report's clause holds go to the sentence's conflict reports ('des combats près de
    Hader, a indiqué l'OSDH, qui fait état de plus de 20 morts'), or, in a sentence of their own, to those of the
    sentence just before ('Deux femmes et un enfant ont été tués.')."""
    targets = [r for r in reports if r["event_type"] in CONFLICT_CLASSES and r["modality"] == "asserted"]
    linked = {f for r in reports for f in r["figure_ids"]}
    for figure in figures:
        if sentence.start_char <= figure["start"] < sentence.end_char and figure.get("category") in CASUALTY_CATEGORIES \
                and figure["figure_id"] not in linked:
            for report in targets:
                report["figure_ids"] = [*report["figure_ids"], figure["figure_id"]]
