"""Stage 3, actors: every actor mention in an article, linked to the registry or to a provisional actor.

Sources of mentions, all driven by reference data (`actors.csv`, `actor_titles.csv`, `demonyms.csv`,
`actor_anaphors.csv`, `actor_contexts.csv`, `gazetteer.csv`):
- registry aliases and titles matched by the `depeche_actor_ruler` (names nested in a longer alias included); a
  title resolves to whoever held it on the article's date;
- titles and institutions written without their nationality ("son ministre de la Défense", "A Moscou, le
  ministère de la Défense") or with it shared or agreed differently ("l'aviation et la marine russes"): the
  nationality of the possessor, of the coordinated noun or of the state named nearby is put back in each of
  its forms and the registry consulted again;
- descriptive anaphors ("le général", "l'ONG", "le ministère", "cette coalition"): the last actor named with
  that word or of that type ("une ONG" before any: the next one); "l'entourage du président" is his office;
- nationality adjectives on a person speaking for a state ("une source de sécurité syrienne", "des experts
  russes et américains"): that state. Elsewhere a bare "russe(s)" ("les frappes russes", "l'espace aérien
  syrien") is not counted, even where the registry lists the plural noun ("les Russes"): it describes, it does
  not name an actor;
- persons and organisations found only by the statistical NER: linked to an earlier person by surname ("M.
  Dupont" after "Jean Dupont"), else provisional actors `x-<slug>`, so nothing is silently dropped. Entities that
  are places (in the gazetteer, or used as places: "à Mansoura") or makes of equipment ("des chasseurs Sukhoi")
  are not actors, and an entity starting with a lowercase word must carry a nationality ("le ministère turc de
  la Défense" is an actor, "ministre de la Défense" alone is noise).
A state or a capital used as a place ("en Syrie", "à Moscou", "survolant l'Iran", "le nord de la Syrie") is not
a mention of the state as an actor.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from spacy.tokens import Doc, Span, Token

from ..ids import content_id
from ..reference import Reference, per_reference, reference_table
from ..text import LEADING_ARTICLE, fold, phrase_starts, slug
from .nlp import ACTOR_LABEL, REGISTRY_SPANS, TITLE_PREFIX, registry_surfaces
from .doc_index import folded_text_of, folded_words_of, sentence_of, text_of, tree_of, words_of
from .rows import ProvisionalActor

NER_TYPES = {"PER": "person", "ORG": "other"}
POSSESSIVES = {"son", "sa", "ses", "leur", "leurs"}
DEFINITE = {"le", "la", "les", "l'", "l’", "ce", "cet", "cette", "ces"}
INDEFINITE = {"un", "une"}
CONTRACTED_ARTICLES = {"du", "des", "au", "aux"}
CIVILITIES = {"m.", "mme", "mlle", "m", "monsieur", "madame"}
ORGANISATION_OF = "organisation_of"


@dataclass(frozen=True)
class Knowledge:
    """What the reference data says, indexed for mention finding."""

    types: dict[str, str]
    countries: dict[str, str | None]
    parents: dict[str, str | None]
    states: dict[str, str]  # iso3 -> the state's actor_id
    demonyms: dict[str, str]  # folded adjective -> iso3
    country_forms: dict[str, list[str]]  # iso3 -> its adjectives
    surfaces: dict[str, str]  # folded alias or title -> actor_id or "title:<key>"
    titles: dict[str, list[tuple[str, date | None, date | None]]]  # title key -> (holder, from, to)
    places: frozenset[str]  # folded gazetteer names and aliases
    contexts: dict[str, frozenset[str]]  # kind -> folded words
    anaphors: dict[str, str]  # folded noun phrase -> "actor_type:<t>" | "word" | "organisation_of"
    agent_nouns: frozenset[str]  # nouns for people speaking for an organisation (source_nouns.csv)
    national_heads: frozenset[str]  # first words of registry forms with a nationality ("ministere", "aviation")
    description_heads: frozenset[str]  # the folded nouns a description can start with (see `_description_heads`)


@per_reference
def knowledge(reference: Reference) -> Knowledge:
    actors = reference.actors
    states = {row["country_iso3"]: row["actor_id"] for row in actors.iter_rows(named=True)
              if row["actor_type"] == "state" and row["country_iso3"]}
    demonyms, forms = {}, {}
    for row in reference_table(reference, "demonyms").iter_rows(named=True):
        words = [w.strip() for w in row["forms"].split("|") if w.strip()]
        forms[row["country_iso3"]] = words
        demonyms.update({fold(w): row["country_iso3"] for w in words})
    titles: dict[str, list] = {}
    for row in reference.actor_titles.iter_rows(named=True):
        key = fold(LEADING_ARTICLE.sub("", row["title"].strip()))
        titles.setdefault(key, []).append((row["actor_id"], row["valid_from"], row["valid_to"]))
    places = set()
    if "gazetteer" in reference.tables:
        for row in reference.gazetteer.iter_rows(named=True):
            for name in [row["name"], row["name_fr"], *(row["aliases"] or "").split("|")]:
                if name:
                    places.add(fold(LEADING_ARTICLE.sub("", name.strip())))
    contexts: dict[str, set[str]] = {}
    for row in reference_table(reference, "actor_contexts").iter_rows(named=True):
        contexts.setdefault(row["kind"], set()).add(fold(row["word"]))
    anaphors = {fold(r["noun"]): r["antecedent"]
                for r in reference_table(reference, "actor_anaphors").iter_rows(named=True)}
    sources = reference_table(reference, "source_nouns")
    agents = frozenset(fold(n) for n in sources.filter(pl.col("kind") == "person")["noun"])
    surfaces = registry_surfaces(reference)
    national_heads = frozenset(s.split()[0] for s in surfaces if any(w in demonyms for w in s.split()[1:]))
    return Knowledge(
        dict(zip(actors["actor_id"], actors["actor_type"])), dict(zip(actors["actor_id"], actors["country_iso3"])),
        dict(zip(actors["actor_id"], actors["parent_actor_id"])), states, demonyms, forms,
        surfaces, titles, frozenset(places),
        {k: frozenset(v) for k, v in contexts.items()}, anaphors, agents, national_heads,
        _description_heads(national_heads, anaphors),
    )


def _description_heads(national_heads: frozenset[str], anaphors: dict[str, str]) -> frozenset[str]:
    """The nouns a description can start with: the heads of registry forms with a nationality, and each anaphor
    up to a space or a hyphen ("groupe" for "groupe jihadiste", "porte" for "porte-parole", as a tokenizer may
    split it). `MentionFinder._described` finds nothing for any other noun, so `descriptions` skips them."""
    return national_heads | frozenset(anaphors) | phrase_starts(anaphors, " -")


def title_holder(title_key: str, on: date | None, reference: Reference) -> str | None:
    """The actor who held a title on a date; None when unknown or ambiguous. An empty start date means the
    curator is sure of the tenure around the corpus dates but not of its first day."""
    return _holder(knowledge(reference), title_key, on)


def _holder(known: Knowledge, title_key: str, on: date | None) -> str | None:
    if on is None:
        return None
    holders = {actor for actor, start, end in known.titles.get(title_key, [])
               if (start is None or start <= on) and (end is None or end >= on)}
    return holders.pop() if len(holders) == 1 else None


def _resolve_key(known: Knowledge, key: str, on: date | None) -> str | None:
    return _holder(known, key[len(TITLE_PREFIX):], on) if key.startswith(TITLE_PREFIX) else key


def _mention(article_id: str, actor_id: str, start: int, end: int, text: str, method: str) -> dict:
    return {
        "mention_id": content_id("men", article_id, start, end, actor_id),
        "article_id": article_id, "actor_id": actor_id, "start": start, "end": end,
        "surface": text[start:end], "method": method,
    }


# --- the stage ---------------------------------------------------------------------------------------------------

def find_mentions(article: dict, doc: Doc, reference: Reference) -> tuple[list[dict], list[ProvisionalActor]]:
    known = knowledge(reference)
    finder = MentionFinder(article, doc, known)
    mentions = finder.registry() + finder.demonyms()
    ner, provisional = finder.ner(mentions)
    mentions = finder.descriptions(sorted(mentions + ner, key=lambda m: (m["start"], m["end"])))
    unique = {(m["start"], m["end"], m["actor_id"]): m for m in mentions}
    return sorted(unique.values(), key=lambda m: (m["start"], m["end"], m["actor_id"])), \
        sorted(provisional.values(), key=lambda a: a.actor_id)


class MentionFinder:
    """The mentions of one parsed article; each method adds one kind (see the module docstring)."""

    def __init__(self, article: dict, doc: Doc, known: Knowledge) -> None:
        self.article_id = article["article_id"]
        self.on = article["published_date"]
        self.doc = doc
        self.text = text_of(doc)
        self.folded = folded_text_of(doc)
        self.known = known
        self.matches = list(doc.spans[REGISTRY_SPANS]) if REGISTRY_SPANS in doc.spans else \
            [e for e in doc.ents if e.label_ == ACTOR_LABEL]
        self.taken = {t.i for span in self.matches for t in span}

    def _new(self, actor_id: str, start: int, end: int, method: str = "registry") -> dict:
        return _mention(self.article_id, actor_id, start, end, self.text, method)

    def registry(self) -> list[dict]:
        mentions = []
        for span in self.matches:
            actor_id = _resolve_key(self.known, span.id_, self.on)
            if actor_id is None or (self._is_state(actor_id) and used_as_place(span, self.known)) \
                    or _adjective_alias(span):
                continue
            mentions.append(self._new(actor_id, span.start_char, span.end_char))
        return mentions

    def _is_state(self, actor_id: str) -> bool:
        return self.known.types.get(actor_id) == "state"

    def demonyms(self) -> list[dict]:
        """"une source de sécurité syrienne", "des experts russes et américains": the state they speak for."""
        mentions = []
        words = words_of(self.doc)
        for i, folded in enumerate(folded_words_of(self.doc).text):
            iso3 = self.known.demonyms.get(folded)
            if iso3 is None or i in self.taken or words.pos[i] != "ADJ" or iso3 not in self.known.states:
                continue
            token = self.doc[i]
            if self._speaks_for_state(_noun_described(token)):
                mentions.append(self._new(self.known.states[iso3], token.idx, token.idx + len(token.text)))
        return mentions

    def _speaks_for_state(self, noun: Token | None) -> bool:
        """The adjective qualifies a person speaking for the state, maybe through a complement ("une source de
        sécurité syrienne")."""
        while noun is not None and fold(noun.lemma_) not in self.known.agent_nouns:
            noun = noun.head if noun.dep_ == "nmod" and noun.head.pos_ == "NOUN" else None
        return noun is not None

    def ner(self, mentions: list[dict]) -> tuple[list[dict], dict[str, ProvisionalActor]]:
        """Persons and organisations the registry lacks, minus places, makes of equipment and lowercase noise."""
        found, provisional = [], {}
        persons = [m for m in mentions if self.known.types.get(m["actor_id"]) == "person"]
        for ent in self.doc.ents:
            label = self._label(ent)
            if label not in NER_TYPES or any(t.i in self.taken for t in ent):
                continue
            span = _strip_determiner(ent)
            civility = span[0].lower_ in CIVILITIES
            name = span[1:] if civility and len(span) > 1 else span
            if not self._actor_like(name):
                continue
            earlier = _same_person(name.text, persons + [m for m in found if m["actor_id"].startswith("x-")])
            if earlier is not None:
                found.append(self._new(earlier, span.start_char, span.end_char, "ner"))
                continue
            actor_id = f"x-{slug(name.text)}"
            kind = "person" if civility else NER_TYPES[label]
            provisional.setdefault(actor_id, ProvisionalActor(actor_id, name.text, kind))
            found.append(self._new(actor_id, span.start_char, span.end_char, "ner"))
        return found, provisional

    def _label(self, entity: Span) -> str:
        """The NER label, corrected by context: a name after an organisation noun is an organisation; a "place"
        in apposition to a common noun is a person ("un habitant de Saraqeb, Abou Omar")."""
        if self._named_organisation(entity):
            return "ORG"
        root = entity.root
        if entity.label_ == "LOC" and root.dep_ == "appos" and root.head.pos_ == "NOUN" and \
                fold(root.head.lemma_) not in self.known.contexts.get("place_noun", frozenset()):
            return "PER"
        return entity.label_

    def _named_organisation(self, entity: Span) -> bool:
        """"l'association Syria Relief": a name right after an organisation noun names an organisation."""
        before = self.doc[entity.start - 1] if entity.start else None
        return before is not None and fold(before.lemma_) in self.known.contexts.get("organisation_noun", frozenset())

    def _actor_like(self, name: Span) -> bool:
        """Not noise: capitalised (or carrying a nationality), not a place, not a make of equipment."""
        text = name.text
        national = any(fold(t.text) in self.known.demonyms for t in name)  # "ministère turc de la Défense"
        if len(text) < 3 or not (text[:1].isupper() or national) or not slug(text):
            return False
        if fold(LEADING_ARTICLE.sub("", text)) in self.known.places or used_as_place(name, self.known):
            return False
        head = name.root.head if name.root.head.i not in {t.i for t in name} else None
        return head is None or fold(head.lemma_) not in self.known.contexts.get("equipment_noun", frozenset())

    def descriptions(self, mentions: list[dict]) -> list[dict]:
        """Mentions by description, in text order, each able to point back to the ones before it."""
        result = list(mentions)
        covered = set(self.taken) | {t.i for m in mentions for t in self._tokens(m)}
        folded = folded_words_of(self.doc).text
        for i, pos in enumerate(words_of(self.doc).pos):
            if i in covered or pos not in {"NOUN", "PROPN"} or folded[i] not in self.known.description_heads:
                continue
            found = self._described(self.doc[i], result)
            if found is not None:
                result.append(found)
                covered |= {t.i for t in self._tokens(found)}
        return sorted(result, key=lambda m: (m["start"], m["end"]))

    def _tokens(self, mention: dict) -> list[Token]:
        span = self.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        return list(span) if span is not None else []

    def _described(self, noun: Token, before: list[dict]) -> dict | None:
        determiner = next((c for c in noun.children if c.dep_ == "det"), None)
        if determiner is None and noun.i > 0 and self.doc[noun.i - 1].lower_ in CONTRACTED_ARTICLES:
            determiner = self.doc[noun.i - 1]  # "le porte-parole du ministère"
        if determiner is None or noun.i - determiner.i > 2:
            return None
        det = "le" if determiner.lower_ in CONTRACTED_ARTICLES else determiner.lower_
        phrase = _phrase(noun)
        nationality = self._nationality_restored(noun, phrase, det, before)
        if nationality is not None:
            return nationality
        if det not in DEFINITE | POSSESSIVES | INDEFINITE:
            return None
        spec, words = self._anaphor(noun, phrase)
        if spec is None:
            return None
        start, end = noun.idx, phrase[-1].idx + len(phrase[-1].text)
        if spec == ORGANISATION_OF:
            person = next((m for m in before if start < m["start"] and m["end"] <= self._np_end(noun)
                           and self.known.types.get(m["actor_id"]) == "person"), None)
            parent = self.known.parents.get(person["actor_id"]) if person else None
            return self._new(parent, start, self._np_end(noun)) if parent else None
        antecedent = self._antecedent(spec, words, noun, before,
                                      forward=det in INDEFINITE and spec.startswith("actor_type:"))
        return self._new(antecedent, start, end) if antecedent else None

    def _np_end(self, noun: Token) -> int:
        last = max(t.i for t in noun.subtree if t.dep_ not in {"acl:relcl", "punct"})
        return self.doc[last].idx + len(self.doc[last].text)

    def _anaphor(self, noun: Token, phrase: list[Token]) -> tuple[str | None, str]:
        """The longest anaphor lexicon entry the phrase starts with ("groupe jihadiste" before "groupe")."""
        words = [fold(t.text) for t in phrase]
        for n in range(len(words), 0, -1):
            key = " ".join(words[:n]).replace(" - ", "-")
            if key in self.known.anaphors:
                if n < len(words) and any(t.pos_ == "PROPN" for t in phrase[n:]):
                    return None, key  # "l'ONG Oxfam": a name follows, the registry or the NER has it
                return self.known.anaphors[key], key
        return None, ""

    def _antecedent(self, spec: str, word: str, noun: Token, mentions: list[dict], forward: bool) -> str | None:
        def fits(m: dict) -> bool:
            if spec.startswith("actor_type:"):
                return self.known.types.get(m["actor_id"]) == spec.split(":", 1)[1]
            window = self.folded[max(0, m["start"] - 40):m["end"]]
            return word in window and self.known.types.get(m["actor_id"], "person") != "state"
        earlier = [m for m in mentions if m["end"] <= noun.idx and fits(m)]  # never inside its own phrase
        if earlier:
            return earlier[-1]["actor_id"]
        later = [m for m in mentions if m["start"] > noun.idx and fits(m)]
        return later[0]["actor_id"] if forward and later else None

    def _nationality_restored(self, noun: Token, phrase: list[Token], det: str, before: list[dict]) -> dict | None:
        """"son ministre de la Défense" (after Poutine), "A Moscou, le ministère de la Défense": the registry
        form with the nationality of the possessor, or of the state named nearby, put back."""
        if fold(noun.text) not in self.known.national_heads:
            return None
        written = next((self.known.demonyms[fold(t.text)] for t in phrase if fold(t.text) in self.known.demonyms), None)
        shared = self._shared_nationality(noun)
        iso3 = written or shared or \
            (self._possessor_country(noun, before) if det in POSSESSIVES else self._nearby_country(noun, before))
        if iso3 is None or (len(phrase) == 1 and shared is None):
            return None
        words = [fold(t.text) for t in phrase if fold(t.text) not in self.known.demonyms]
        head, rest = words[0], " ".join(words[1:]).replace(" - ", "-").replace("' ", "'")
        for form in self.known.country_forms.get(iso3, []):  # "marine russes" is listed as "marine russe"
            for candidate in (f"{head} {fold(form)} {rest}", f"{head} {rest} {fold(form)}"):
                key = self.known.surfaces.get(" ".join(candidate.split()))
                actor_id = _resolve_key(self.known, key, self.on) if key else None
                if actor_id is not None:
                    end = phrase[-1].idx + len(phrase[-1].text)
                    return self._new(actor_id, noun.idx, end)
        return None

    def _shared_nationality(self, noun: Token) -> str | None:
        """"l'aviation et la marine russe(s)": coordinated nouns share the nationality adjective."""
        conjuncts = [c for c in noun.children if c.dep_ == "conj"]
        if noun.dep_ == "conj":
            conjuncts.append(noun.head)
        for conjunct in conjuncts:
            for child in conjunct.children:
                if child.dep_ == "amod" and fold(child.text) in self.known.demonyms:
                    return self.known.demonyms[fold(child.text)]
        return None

    def _possessor_country(self, noun: Token, before: list[dict]) -> str | None:
        earlier = [m for m in before if m["end"] <= noun.idx and self.known.countries.get(m["actor_id"])
                   and m["start"] >= sentence_of(noun).start_char]
        return self.known.countries[earlier[-1]["actor_id"]] if earlier else None

    def _nearby_country(self, noun: Token, mentions: list[dict]) -> str | None:
        """The country of the sentence: a state or capital named in it (as an actor or as a place), else the
        country of its subject, else of the closest actor named before ("les forces gouvernementales syriennes …
        a annoncé la télévision d'Etat")."""
        sentence = sentence_of(noun)
        states = [s for s in self.matches if sentence.start <= s.start < sentence.end and not _adjective_alias(s)
                  and self._is_state(_resolve_key(self.known, s.id_, self.on) or "")]
        if states:
            nearest = min(states, key=lambda s: abs(s.start - noun.i))
            return self.known.countries.get(nearest.id_)
        earlier = [m for m in mentions if sentence.start_char <= m["start"] and m["end"] <= noun.idx
                   and self.known.countries.get(m["actor_id"])]
        subjects = [m for m in earlier if self._root(m).dep_ in {"nsubj", "nsubj:pass"}]
        chosen = (subjects or earlier)[-1:]
        return self.known.countries[chosen[0]["actor_id"]] if chosen else None

    def _root(self, mention: dict) -> Token:
        span = self.doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
        return span.root


def used_as_place(span: Span, known: Knowledge) -> bool:
    """A name used as a place: after a locative preposition ("en Syrie", "à Moscou", "au-dessus de la Syrie"),
    object of a verb of movement ("survolant l'Iran"), or complement of a place noun ("le nord de la Syrie")."""
    root = span.root
    if root.dep_ == "conj" and root.head.i < root.i:
        first = root.head  # "survolant l'Iran et l'Irak": conjuncts share their use
        return used_as_place(span.doc[first.left_edge.i:first.i + 1], known)
    prepositions = known.contexts.get("locative_preposition", frozenset())
    before = [t for t in span.doc[max(0, span.start - 3):span.start] if t.pos_ != "DET"]
    words = [fold(t.text) for t in before]
    if words and (words[-1] in prepositions or (words[-1] in {"de", "d'"} and len(words) > 1 and
                                                 words[-2] in prepositions)):
        return True
    if any(fold(c.text) in prepositions for c in root.children if c.dep_ == "case"):
        return True
    if root.dep_ == "obj" and fold(root.head.lemma_) in known.contexts.get("place_verb", frozenset()):
        return True
    return root.dep_ == "nmod" and fold(root.head.lemma_) in known.contexts.get("place_noun", frozenset()) \
        and any(c.lower_ in {"de", "d'", "du"} for c in root.children)


def _adjective_alias(span: Span) -> bool:
    """"les frappes russes": a plural demonym listed as an alias ("les Russes") but written as an adjective."""
    return len(span) == 1 and span[0].is_lower and span[0].pos_ == "ADJ"


def _noun_described(adjective: Token) -> Token | None:
    """The noun an adjective qualifies, through coordinated adjectives ("experts russes et américains")."""
    token = adjective
    while token.dep_ == "conj" and token.head.pos_ == "ADJ" and token.head.i != token.i:
        token = token.head
    return token.head if token.dep_ == "amod" and token.head.pos_ == "NOUN" else None


def _phrase(noun: Token) -> list[Token]:
    """The noun and the contiguous words after it that belong to its phrase (complements, adjectives), up to
    punctuation, a relative clause or a verb."""
    doc = noun.doc
    tree, words = tree_of(doc), words_of(doc)
    tokens = [noun]
    i = noun.i + 1
    while i < len(doc) and tree.descends_from(i, noun.i) and tree.dep[i] not in {"acl:relcl", "acl", "appos"} \
            and words.pos[i] not in {"VERB", "AUX", "PRON", "SCONJ", "CCONJ"} and words.text[i] not in {"(", '"'} \
            and not doc[i].is_punct:
        tokens.append(doc[i])
        i += 1
    return tokens


def _strip_determiner(span: Span) -> Span:
    while len(span) > 1 and span[0].pos_ in {"DET", "ADP"}:
        span = span[1:]
    return span


def _same_person(name: str, persons: list[dict]) -> str | None:
    """An earlier person whose name ends with this one ("Carter" after "Ashton Carter")."""
    key = fold(name).split()
    for mention in reversed(persons):
        words = fold(mention["surface"]).split()
        if key and words[-len(key):] == key:
            return mention["actor_id"]
    return None
