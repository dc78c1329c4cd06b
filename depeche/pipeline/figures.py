"""Stage 5, figures: every numeric expression that counts or measures, with its qualifier, bounds, counted noun,
category and claimant.

How a figure is found, on the parse of one article:
1. Number cores: digits in French conventions and number words (`numbers`); magnitude nouns with their
   determiner ("une dizaine", "des dizaines de milliers", "plusieurs millions"; `approximate_numbers.csv`); a
   digit or word number followed by a magnitude ("1,5 million"); ranges ("entre 10 et 20 morts").
   "un/une" counts only after a qualifier ("au moins un de ses avions"), in a list with another figure
   ("deux femmes et un enfant") or before a unit of time or distance ("une semaine"); elsewhere it is an article.
2. Not figures: calendar dates ("30 septembre", "mars 2011"), years, clock times ("à 10 heures", "12h30"),
   ordinals ("11e", "troisième"), numbers that name ("la résolution 2254": `numbered_names.csv`; "les
   Vingt-Sept"), and numbers that count nothing the parse can find.
3. The counted noun comes from the parse: the noun the number modifies ("26 missiles de croisière" -> missiles),
   the complement of a magnitude or a partitive ("une dizaine de km", "un de ses avions"), the antecedent of
   "d'entre eux/elles", or, for an elided noun ("cinq frappes en Syrie et 20 autres en Irak", "quatre lieux à
   Hama, et trois à Idleb"), the noun of the figure it is coordinated with.
4. Category: the noun's own category (`figure_objects.csv`); nouns of people ("personnes", "femmes") and
   unknown nouns take it from what the sentence says happened to them (`figure_predicates.csv`: "ont été tués"
   -> killed, "poussé à la fuite" -> displaced, "des frappes sur quatre lieux" -> targets).
5. Qualifier and bounds (`figure_qualifiers.csv`): the phrase before ("plus de", "près de", "jusqu'à") or after
   ("500 morts au moins") the number, else the magnitude's own ("une dizaine" -> approximately), else exact.
   exact: low = high = value; at_least / more_than: low = value; at_most / less_than: high = value;
   approximately: value ± band (relative, from the lexicon); vague ("des dizaines", "plusieurs millions"): value
   = the magnitude's unit (10, 1e6), low = unit, high = 10 x unit (the next order of magnitude).
   "jusqu'à"/"à" before a distance that has a reference point ("jusqu'à une dizaine de km de la ville") place
   something; they are not bounds.
6. Sums: people counted in one list with a shared fate ("deux femmes et un enfant ont été tués") also give the
   total as a figure spanning the list (3, killed); its parts stay figures too, and are contained in its span.
7. Claimant: the shared `attribution.attribute` over the figure's span, within its own sentence (carry=False);
   null when the journalist states the number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from ..ids import content_id
from ..reference import Reference, lexicon_rows, per_reference
from ..text import MONTHS, fold
from .attribution import attribute
from .numbers import DIGITS, digits_value, is_number_word, word_value
from .doc_index import folded_words_of, sentence_of, text_of, words_of

VAGUE_DETERMINERS = {"des", "plusieurs", "quelques", "nombreux", "nombreuses", "maintes"}
ARTICLE_ONE = {"un", "une"}
CLOCK_PREPOSITIONS = {"a", "vers", "des"}  # folded: "à 10 heures", "vers 3 heures", "dès 6 heures"
ELLIPSIS_WORDS = {"autre", "autres"}  # "20 autres"
PEOPLE_CATEGORIES = {"killed", "injured", "displaced"}
SPATIAL_QUALIFIERS = {"at_most"}  # "jusqu'à N km de X" places, it does not bound
PERCENT_SIGN = "%"
BOUNDS_OF_ONE = {"at_least", "more_than", "less_than"}  # "au moins un de ses avions"; not "près d'un avion"
LIST_COORDINATORS = [["et"], [","]]


@dataclass(frozen=True)
class FigureLexicon:
    qualifiers_before: tuple[tuple[re.Pattern, str, float | None, str], ...]  # ..., the phrase's last word
    qualifiers_after: tuple[tuple[re.Pattern, str, float | None], ...]
    magnitudes: dict[str, tuple[float, str, float | None]]  # noun -> (unit, qualifier when singular, band)
    objects: dict[str, tuple[str, bool]]  # folded lemma -> (category, names people)
    predicates: dict[str, tuple[str, str]]  # folded lemma -> (category, 'people' | 'thing')
    numbered_names: frozenset[str]


@dataclass(frozen=True)
class Core:
    """The number itself, before its noun is known: token range [first, last] and char range [start, end)."""

    first: int
    last: int
    start: int
    end: int
    value: float
    qualifier: str = "exact"
    band: float | None = None
    magnitude: Token | None = None  # "dizaine", "millions": its "de" complement is the counted noun
    low: float | None = None  # a range's ends ("entre 10 et 20")
    high: float | None = None


@dataclass(frozen=True)
class Counted:
    """What a core counts: the noun (or None), the text it is named by, and where the expression ends."""

    noun: Token | None
    object: str | None
    end: int


def extract(article: dict, doc: Doc, mentions: list[dict], reference: Reference) -> list[dict]:
    lexicon = figure_lexicon(reference)
    rows: dict[tuple[int, int], dict] = {}
    counted_nouns: dict[int, dict] = {}
    cores = [c for c in number_cores(doc, lexicon) if not is_excluded(doc, c, lexicon)]
    for core in cores + one_cores(doc, cores, lexicon):
        row = figure_row(article, doc, core, lexicon, rows, counted_nouns, mentions, reference)
        if row is not None:
            rows.setdefault((row["start"], row["end"]), row)
    for total in list_totals(article, doc, counted_nouns, mentions, reference):
        rows.setdefault((total["start"], total["end"]), total)
    return sorted(rows.values(), key=lambda r: (r["start"], r["end"]))


# --- lexicon ----------------------------------------------------------------------------------------------------

@per_reference
def figure_lexicon(reference: Reference) -> FigureLexicon:
    return _lexicon(*(lexicon_rows(reference, name, columns) for name, columns in LEXICON_TABLES.items()))


LEXICON_TABLES = {
    "figure_qualifiers": ("phrase", "position", "qualifier", "band"),
    "approximate_numbers": ("noun", "value", "singular_qualifier", "band"),
    "figure_objects": ("lemma", "category", "people"),
    "figure_predicates": ("lemma", "category", "applies_to"),
    "numbered_names": ("noun",),
}


def _lexicon(qualifiers, magnitudes, objects, predicates, names) -> FigureLexicon:
    before, after = [], []
    for phrase, position, qualifier, band in sorted(qualifiers, key=lambda r: -len(r[0])):
        words = re.escape(fold(phrase)).replace(r"\ ", r"\s+")
        if position == "before":
            tail = "" if phrase.endswith("'") else r"\s+"
            before.append((re.compile(rf"(?<!\w)({words}){tail}$"), qualifier, _float(band),  # "d'au moins"
                           fold(phrase).split()[-1]))
        else:
            after.append((re.compile(rf"^\s*,?\s*({words})(?!\w)"), qualifier, _float(band)))
    return FigureLexicon(
        tuple(before), tuple(after),
        {fold(noun): (float(value), qualifier, _float(band)) for noun, value, qualifier, band in magnitudes},
        {fold(lemma): (category, people == "yes") for lemma, category, people in objects},
        {fold(lemma): (category, applies_to) for lemma, category, applies_to in predicates},
        frozenset(fold(noun) for (noun,) in names),
    )


def _float(text: str | None) -> float | None:
    return float(text) if text else None


# --- number cores -----------------------------------------------------------------------------------------------

def number_cores(doc: Doc, lexicon: FigureLexicon) -> list[Core]:
    """Digits, magnitudes and number words, each token used once, ranges merged."""
    cores: list[Core] = []
    used: set[int] = set()
    for core in [*digit_cores(doc), *magnitude_cores(doc, lexicon)]:
        if not used & set(range(core.first, core.last + 1)):
            cores.append(core)
            used |= set(range(core.first, core.last + 1))
    cores += word_cores(doc, used)
    cores = [with_multiplier(doc, c, used, lexicon) for c in sorted(cores, key=lambda c: c.first)]
    return merge_ranges(doc, cores)


def digit_cores(doc: Doc) -> list[Core]:
    cores = []
    for match in DIGITS.finditer(text_of(doc)):
        tokens = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if tokens is not None and len(tokens):
            cores.append(Core(tokens.start, tokens.end - 1, match.start(), match.end(), digits_value(match.group())))
    return cores


def magnitude_cores(doc: Doc, lexicon: FigureLexicon) -> list[Core]:
    """ "une dizaine", "des dizaines (de milliers)", "plusieurs millions": a determiner and a magnitude noun."""
    cores = []
    folded = folded_words_of(doc)
    for i in range(1, len(doc)):
        entry = lexicon.magnitudes.get(folded.lemma[i]) or lexicon.magnitudes.get(folded.text[i])
        if entry is None:
            continue
        token = doc[i]
        unit, singular, band = entry
        det = token.nbor(-1)
        first = det.i
        if det.lower_ in ARTICLE_ONE:
            qualifier, value = singular, unit
        elif det.lower_ in VAGUE_DETERMINERS or _de_nombreux(det):
            qualifier, value, band = "vague", unit, None
            first = det.i - 1 if _de_nombreux(det) else det.i
        else:
            continue
        magnitude, last = token, token.i
        for nxt in _chained_magnitudes(token, lexicon):  # "des dizaines de milliers"
            value *= lexicon.magnitudes[fold(nxt.lemma_)][0]
            magnitude, last = nxt, nxt.i
        cores.append(Core(first, last, doc[first].idx, _end(doc[last]), value, qualifier, band, magnitude))
    return cores


def _de_nombreux(det: Token) -> bool:
    return det.lower_ in {"nombreux", "nombreuses"} and det.i > 0 and det.nbor(-1).lower_ == "de"


def _chained_magnitudes(token: Token, lexicon: FigureLexicon):
    i = token.i
    while i + 2 < len(token.doc) and token.doc[i + 1].lower_ in {"de", "d'", "d’"} \
            and fold(token.doc[i + 2].lemma_) in lexicon.magnitudes:
        i += 2
        yield token.doc[i]


def word_cores(doc: Doc, used: set[int]) -> list[Core]:
    """Runs of number words ("vingt-six", "deux cents", "vingt et un"), not "un/une" alone."""
    cores, i = [], 0
    words = words_of(doc)
    while i < len(doc):
        if i in used or not is_number_word(words.text[i]) or words.lower[i] in ARTICLE_ONE or not _number_word(doc[i]):
            i += 1
            continue
        last = i
        while True:
            nxt = last + 1
            if nxt < len(doc) and nxt not in used and _number_word(doc[nxt], continuing=True):
                last = nxt
            elif nxt + 1 < len(doc) and _joins_number_words(doc[nxt]) \
                    and _number_word(doc[nxt + 1], continuing=True) and nxt + 1 not in used:
                last = nxt + 1
            else:
                break
        value = word_value(doc[i:last + 1].text)
        if value is None:  # not one number after all: keep the first word alone
            last, value = i, word_value(doc[i].text)
        cores.append(Core(i, last, doc[i].idx, _end(doc[last]), float(value)))
        i = last + 1
    return cores


def _joins_number_words(token: Token) -> bool:
    """ "et" in "vingt et un", or a hyphen the tokenizer split off ("quarante" "-" "deux")."""
    return token.lower_ == "et" or (token.text == "-" and not token.whitespace_ and not token.nbor(-1).whitespace_)


def _number_word(token: Token, continuing: bool = False) -> bool:
    """A cardinal number word, not an adjective after its noun ("un bâtiment neuf") nor part of a name ("les
    Vingt-Sept"); after another number word the tag does not matter ("quarante-neuf")."""
    if not is_number_word(token.text):
        return False
    if not continuing and token.pos_ == "ADJ" and token.i > 0 and token.nbor(-1).pos_ in {"NOUN", "PROPN"}:
        return False
    return not (token.text[0].isupper() and not token.is_sent_start)


def with_multiplier(doc: Doc, core: Core, used: set[int], lexicon: FigureLexicon) -> Core:
    """ "1,5 million", "240 mille": digits followed by a magnitude noun or "mille"."""
    nxt = core.last + 1
    if core.magnitude is not None or nxt >= len(doc) or nxt in used:
        return core
    token = doc[nxt]
    entry = lexicon.magnitudes.get(fold(token.lemma_))
    factor = entry[0] if entry and entry[1] == "exact" else word_value(token.text) if token.lower_ == "mille" else None
    if factor is None:
        return core
    used.add(nxt)
    return replace(core, last=nxt, end=_end(token), value=core.value * factor, magnitude=token if entry else None)


def merge_ranges(doc: Doc, cores: list[Core]) -> list[Core]:
    """ "entre 10 et 20 morts", "de 10 à 20 morts": one approximate figure with both ends."""
    merged, skip = [], set()
    for a, b in zip(cores, cores[1:]):
        if b.first != a.last + 2:
            continue  # one word between them, "et" or "à"
        between = doc[a.last + 1].text.lower()
        opener = doc[a.first - 1].lower_ if a.first > 0 else ""
        if (opener, between) in {("entre", "et"), ("de", "à")} and a.value < b.value and b.magnitude is None:
            merged.append(_range(doc, a, b))
            skip |= {id(a), id(b)}
    return sorted([c for c in cores if id(c) not in skip] + merged, key=lambda c: c.first)


def _range(doc: Doc, low: Core, high: Core) -> Core:
    opener = doc[low.first - 1]
    return Core(opener.i, high.last, opener.idx, high.end, (low.value + high.value) / 2, "approximately",
                low=low.value, high=high.value)


def _end(token: Token) -> int:
    return token.idx + len(token.text)


# --- what is not a figure ---------------------------------------------------------------------------------------

def is_excluded(doc: Doc, core: Core, lexicon: FigureLexicon) -> bool:
    """Dates, years, clock times and numbers that name something."""
    before = doc[core.first - 1] if core.first > 0 else None
    after = doc[core.last + 1] if core.last + 1 < len(doc) else None
    after_text = fold(after.text) if after is not None else ""
    if after_text in MONTHS or (before is not None and fold(before.text) in MONTHS):
        return True  # "30 septembre", "mars 2011"
    if _is_year(doc, core, after):
        return True
    if after_text in {"h", "h."} or (
            before is not None and fold(before.text) in CLOCK_PREPOSITIONS and after is not None
            and fold(after.lemma_) == "heure" and core.value <= 24 and not _followed_by_de(after)):
        return True  # "12 h 30", "à 10 heures"
    return before is not None and fold(before.text) in lexicon.numbered_names and core.magnitude is None


def _is_year(doc: Doc, core: Core, after: Token | None) -> bool:
    written = text_of(doc)[core.start:core.end]
    if not (written.isdigit() and len(written) == 4 and 1800 <= core.value <= 2100):
        return False
    return after is None or after.pos_ != "NOUN"  # "2000 morts" counts, "en 2014, ..." is a year


def _followed_by_de(token: Token) -> bool:
    return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ in {"de", "d'", "d’"}


# --- "un/une" as a count ----------------------------------------------------------------------------------------

def one_cores(doc: Doc, cores: list[Core], lexicon: FigureLexicon) -> list[Core]:
    """ "un/une" counts after a qualifier, in a list with another figure, or before a unit of time or distance."""
    used = {i for c in cores for i in range(c.first, c.last + 1)}
    listed = {counted_noun(doc, c, lexicon).noun for c in cores}
    listed.discard(None)
    found = []
    for i, lower in enumerate(words_of(doc).lower):
        if lower not in ARTICLE_ONE or i in used:
            continue
        token = doc[i]
        if _elided_article(token):
            continue
        core = Core(token.i, token.i, token.idx, _end(token), 1.0)
        noun = counted_noun(doc, core, lexicon).noun
        bound = qualifier_before(doc, core, lexicon)
        if (bound is not None and bound[0] in BOUNDS_OF_ONE) or (noun is not None and (
                _listed_with(token, noun, listed) or _category_of_noun(noun, lexicon)[0] in {"duration", "distance"})):
            found.append(core)
    return found


def _elided_article(token: Token) -> bool:
    """ "l'un des groupes": a pronoun, not a count."""
    return token.i > 0 and token.nbor(-1).lower_ in {"l'", "l’"}


def _listed_with(article: Token, noun: Token, counted: set[Token]) -> bool:
    """The noun is the next item of a list whose previous item another figure counts: "deux femmes et un enfant",
    "deux postes de commandement et un dépôt" (only a coordinator between the two items)."""
    for other in counted:
        if other == noun or _first_conjunct(other) != _first_conjunct(noun):
            continue
        item_end = max(t.i for t in other.subtree if not _in_conjunct(t, other))
        if [t.lower_ for t in article.doc[item_end + 1:article.i]] in LIST_COORDINATORS:
            return True
    return False


def _in_conjunct(token: Token, item: Token) -> bool:
    """The token belongs to a later item of the list `item` heads, or to a relative clause on it, not to the item's
    own words ("deux postes de commandement")."""
    while token != item and token.head != token:
        if token.dep_ in {"conj", "cc", "acl:relcl", "punct"} and token.head == item:
            return True
        token = token.head
    return False


def _first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token


# --- the figure row ---------------------------------------------------------------------------------------------

def figure_row(article: dict, doc: Doc, core: Core, lexicon: FigureLexicon, rows: dict, counted_nouns: dict,
               mentions: list[dict], reference: Reference) -> dict | None:
    counted = counted_noun(doc, core, lexicon)
    category = None
    if counted.object is None:
        inherited = elided_noun(doc, core, rows)
        if inherited is None:
            return None
        counted = Counted(None, inherited["object"], _ellipsis_end(doc, core))
        category = inherited["category"]
    if category is None:
        category = figure_category(counted, lexicon)
    qualifier, band, start = core.qualifier, core.band, core.start
    found = qualifier_before(doc, core, lexicon)
    if found is not None and not (found[0] in SPATIAL_QUALIFIERS and _places(counted, category)):
        qualifier, band, start = found
    end = counted.end
    after = qualifier_after(doc, end, lexicon)
    if after is not None and found is None:
        qualifier, band, end = after
    low, high = bounds(core, qualifier, band)
    surface = text_of(doc)[start:end]
    row = {
        "figure_id": content_id("fig", article["article_id"], start, end),
        "article_id": article["article_id"], "start": start, "end": end, "surface": surface,
        "value": core.value, "value_low": low, "value_high": high, "qualifier": qualifier,
        "object": counted.object, "category": category,
        **claimant(doc, start, end, mentions, reference),
        "event_id": None,
    }
    if counted.noun is not None:
        counted_nouns[counted.noun.i] = row
    return row


def counted_noun(doc: Doc, core: Core, lexicon: FigureLexicon) -> Counted:
    """The noun the core counts, found on the parse; Counted(None, ...) when there is none."""
    if core.magnitude is not None and not _has_noun_after(doc, core):
        complement = _de_complement(doc, core.last, lexicon)
        return _counted(complement if complement is not None else core.magnitude)  # "7,6 millions sont déplacés"
    anchor = doc[core.last]
    if core.last + 2 < len(doc) and doc[core.last + 1].lower_ == "pour" and doc[core.last + 2].lower_ == "cent":
        return Counted(None, "pour cent", _end(doc[core.last + 2]))
    head = anchor.head
    if anchor.dep_ in {"nummod", "det"} and _nominal(head, lexicon) and 0 < head.i - core.last <= 3:
        return _counted(head)
    nxt = doc[core.last + 1] if core.last + 1 < len(doc) else None
    if nxt is not None and (_nominal(nxt, lexicon) or nxt.text == PERCENT_SIGN) and fold(nxt.lemma_) not in MONTHS:
        return _counted(nxt)
    antecedent = _entre_eux(doc, core)
    if antecedent is not None:
        return antecedent
    complement = _de_complement(doc, core.last, lexicon)
    if complement is not None and anchor.pos_ in {"PRON", "NUM"}:
        return _counted(complement)  # "un de ses avions", "deux des croiseurs"
    return Counted(None, None, core.end)


def _nominal(token: Token, lexicon: FigureLexicon) -> bool:
    """A noun, or a participle used as one that the lexicon knows ("six tués", "1,5 million de déplacés")."""
    return token.pos_ in {"NOUN", "PROPN"} or (token.pos_ in {"ADJ", "VERB"} and
                                                _category_of_noun(token, lexicon)[0] is not None)


def _has_noun_after(doc: Doc, core: Core) -> bool:
    nxt = core.last + 1
    return nxt < len(doc) and doc[nxt].pos_ == "NOUN" and doc[core.last].head.i == nxt


def _counted(noun: Token) -> Counted:
    return Counted(noun, noun.text, _end(noun))


def _de_complement(doc: Doc, index: int, lexicon: FigureLexicon) -> Token | None:
    """The noun of "de/d'/des + (det/adj) + NOUN" right after token `index`."""
    i = index + 1
    if i >= len(doc) or doc[i].lower_ not in {"de", "d'", "d’", "des", "du"}:
        return None
    for token in doc[i + 1:i + 4]:
        if _nominal(token, lexicon):
            return token
        if token.pos_ not in {"DET", "ADJ"}:
            return None
    return None


def _entre_eux(doc: Doc, core: Core) -> Counted | None:
    """ "Quatre d'entre eux": the nearest plural noun before, of the pronoun's gender."""
    words = [t.lower_ for t in doc[core.last + 1:core.last + 4]]
    if len(words) < 3 or words[0] not in {"d'", "d’"} or words[1] != "entre" or words[2] not in {"eux", "elles"}:
        return None
    pronoun = doc[core.last + 3]
    gender = "Fem" if pronoun.lower_ == "elles" else "Masc"
    start = sentence_of(doc[core.first]).start
    previous = sentence_of(doc[core.first]).start - 1
    if previous >= 0:
        start = sentence_of(doc[previous]).start  # the antecedent may be in the previous sentence
    for token in reversed(doc[start:core.first]):
        if token.pos_ == "NOUN" and "Plur" in token.morph.get("Number") and gender in token.morph.get("Gender"):
            return Counted(token, token.text, _end(pronoun))
    return Counted(None, None, _end(pronoun))


def elided_noun(doc: Doc, core: Core, rows: dict) -> dict | None:
    """ "20 autres", "et trois dans celle d'Idleb": the row of the nearest earlier figure of the sentence, when the
    number is coordinated with it or followed by "autres"."""
    token = doc[core.last]
    nxt = doc[core.last + 1] if core.last + 1 < len(doc) else None
    coordinated = token.dep_ == "conj" or (core.first > 0 and doc[core.first - 1].lower_ in {"et", ",", "puis"})
    if not (coordinated or (nxt is not None and nxt.lower_ in ELLIPSIS_WORDS)):
        return None
    sentence = sentence_of(token)
    earlier = [r for r in rows.values()
               if sentence.start_char <= r["start"] < core.start and r["object"] is not None]
    return max(earlier, key=lambda r: r["start"]) if earlier else None


def _ellipsis_end(doc: Doc, core: Core) -> int:
    nxt = core.last + 1
    return _end(doc[nxt]) if nxt < len(doc) and doc[nxt].lower_ in ELLIPSIS_WORDS else core.end


# --- category ---------------------------------------------------------------------------------------------------

def figure_category(counted: Counted, lexicon: FigureLexicon) -> str:
    if counted.noun is None:
        return "other"
    category, people = _category_of_noun(counted.noun, lexicon)
    if category is not None and not people:
        return category
    fate = predicate_category(counted.noun, lexicon, "people" if people else None)
    return fate or category or "other"


def _category_of_noun(noun: Token, lexicon: FigureLexicon) -> tuple[str | None, bool]:
    for key in (fold(noun.lemma_), fold(noun.text), fold(noun.text).rstrip("sx")):
        if key in lexicon.objects:
            return lexicon.objects[key]
    return None, False


def predicate_category(noun: Token, lexicon: FigureLexicon, applies_to: str | None) -> str | None:
    """What the sentence says happened to the counted things: the first lexicon predicate among the lemmas that
    govern the noun (its verb, the verb's objects, a participle on the noun)."""
    for lemma in _context_lemmas(noun, lexicon):
        entry = lexicon.predicates.get(lemma)
        if entry is not None and (applies_to is None or entry[1] == applies_to):
            return entry[0]
    return None


def _context_lemmas(noun: Token, lexicon: FigureLexicon) -> list[str]:
    noun = _first_conjunct(noun)
    lemmas = [fold(c.lemma_) for c in noun.children if c.dep_ in {"amod", "acl", "acl:relcl"}]
    head = noun.head
    if noun.dep_ == "nmod" and fold(head.lemma_) in lexicon.magnitudes:
        noun, head = head, head.head  # "des dizaines de morts": the magnitude stands for the noun
    if head != noun:
        lemmas.append(fold(head.lemma_))
        lemmas += [fold(c.lemma_) for c in head.children if c.dep_ in {"obj", "obl:arg"} and c != noun]
        if head.pos_ == "NOUN" and head.head != head:
            lemmas.append(fold(head.head.lemma_))
    return lemmas


def _places(counted: Counted, category: str) -> bool:
    """A distance with a reference point after it ("10 km de la ville") locates; it is not a bound."""
    return category == "distance" and counted.noun is not None and _followed_by_de(counted.noun)


# --- qualifier and bounds ---------------------------------------------------------------------------------------

def qualifier_before(doc: Doc, core: Core, lexicon: FigureLexicon) -> tuple[str, float | None, int] | None:
    """(qualifier, band, start of the phrase) for a lexicon phrase right before the number, within its sentence."""
    sentence_start = sentence_of(doc[core.first]).start_char
    before = fold(text_of(doc)[sentence_start:core.start])
    trimmed = before.rstrip()
    for pattern, qualifier, band, ending in lexicon.qualifiers_before:
        # A phrase ends where `before` does, so its last word ends `before` but for the spaces; testing that first
        # spares a search of the whole sentence for each phrase of the lexicon.
        match = pattern.search(before) if trimmed.endswith(ending) else None
        if match:
            return qualifier, band, sentence_start + match.start(1)
    return None


def qualifier_after(doc: Doc, end: int, lexicon: FigureLexicon) -> tuple[str, float | None, int] | None:
    after = fold(text_of(doc)[end:end + 30])
    for pattern, qualifier, band in lexicon.qualifiers_after:
        match = pattern.search(after)
        if match:
            return qualifier, band, end + match.end(1)
    return None


def bounds(core: Core, qualifier: str, band: float | None) -> tuple[float | None, float | None]:
    value = core.value
    if core.high is not None:  # a range: its own ends
        return core.low, core.high
    if qualifier == "exact":
        return value, value
    if qualifier in {"at_least", "more_than"}:
        return value, None
    if qualifier in {"at_most", "less_than"}:
        return None, value
    if qualifier == "approximately":
        return (round(value * (1 - band), 9), round(value * (1 + band), 9)) if band else (None, None)
    return value, value * 10  # vague: the order of magnitude


# --- lists and claimant -----------------------------------------------------------------------------------------

def list_totals(article: dict, doc: Doc, counted_nouns: dict[int, dict], mentions: list[dict],
                reference: Reference) -> list[dict]:
    """One total per list of people figures sharing a casualty predicate ("deux femmes et un enfant ont été tués")."""
    lists: dict[int, list[dict]] = {}
    for index, row in counted_nouns.items():
        if row["category"] in PEOPLE_CATEGORIES:
            lists.setdefault(_first_conjunct(doc[index]).i, []).append(row)
    totals = []
    for parts in lists.values():
        categories = {p["category"] for p in parts}
        if len(parts) < 2 or len(categories) != 1:
            continue
        parts.sort(key=lambda p: p["start"])
        start, end = parts[0]["start"], parts[-1]["end"]
        qualifiers = {p["qualifier"] for p in parts}
        qualifier = qualifiers.pop() if len(qualifiers) == 1 else "at_least"
        value = sum(p["value"] for p in parts)
        low = sum(p["value_low"] for p in parts) if all(p["value_low"] is not None for p in parts) else None
        high = sum(p["value_high"] for p in parts) if all(p["value_high"] is not None for p in parts) else None
        totals.append({
            "figure_id": content_id("fig", article["article_id"], start, end),
            "article_id": article["article_id"], "start": start, "end": end, "surface": text_of(doc)[start:end],
            "value": value, "value_low": low, "value_high": high, "qualifier": qualifier,
            "object": " et ".join(p["object"] for p in parts), "category": categories.pop(),
            **claimant(doc, start, end, mentions, reference), "event_id": None,
        })
    return totals


def claimant(doc: Doc, start: int, end: int, mentions: list[dict], reference: Reference) -> dict:
    """Who the article says asserts the number, in the figure's own sentence; null when the journalist does."""
    found = attribute(doc, start, end, mentions, reference, carry=False)
    if found is None:
        return {"claimant_actor_id": None, "claimant_cue": None}
    return {"claimant_actor_id": found.actor_id, "claimant_cue": found.cue}
