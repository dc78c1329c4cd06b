"""Stage 1, ingest: raw bytes -> decoded, checked, cleaned articles with their publication date.

Cleaning is a sequence of recorded edits over the decoded text, so every character of `articles.text` can be
traced back to the source file (`cleaning_edits`). Bad files are collected with a reason, never raised one by one.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from ..ids import sha256
from ..reference import Reference, per_reference
from ..text import MONTHS, WEEKDAYS

MAX_BYTES = 500_000  # news articles are a few KB; spaCy needs ~1 GB per 100k characters
MIN_WORDS = 20
HEADER_RE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*")
FRENCH_WORDS = frozenset(
    "le la les de des du un une et en dans pour que qui sur par avec est a ont au aux ne pas plus se son sa ses "
    "il elle ils été selon cette ce mais après contre".split()
)


@dataclass(frozen=True)
class RawFile:
    name: str
    data: bytes


@dataclass(frozen=True)
class Rejection:
    source_file: str
    reason: str


@dataclass
class IngestResult:
    articles: pl.DataFrame
    cleaning_edits: pl.DataFrame
    rejected: list[Rejection] = field(default_factory=list)


# Unicode category Cc (C0 and C1 control characters) but for the line feed and the tab.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class BadInput(ValueError):
    """A source file that cannot become an article; the message is the reason."""


# --- decoding and checks -------------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, normalising newlines and Unicode (NFC). Returns (text, encoding)."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16"), "utf-16"
    elif len(data) >= 4 and data.count(0) * 3 >= len(data):
        # UTF-16 without a byte order mark: every other byte of Latin text is NUL.
        encoding = "utf-16-le" if data[1] == 0 else "utf-16-be"
        text = _strict(data, encoding)
    elif b"\x00" in data:
        raise BadInput("binary file: contains NUL bytes")
    else:
        try:
            text, encoding = data.decode("utf-8", errors="strict"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
            if "\ufffd" in text:
                text, encoding = data.decode("latin-1"), "latin-1"
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text, encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding, errors="strict")
    except UnicodeDecodeError as err:
        raise BadInput(f"undecodable {encoding} text: {err.reason} at byte {err.start}") from None


def check(data: bytes, text: str) -> None:
    """Raise BadInput when decoded text is not a French news article."""
    if len(data) > MAX_BYTES:
        raise BadInput(f"too large: {len(data)} bytes (limit {MAX_BYTES})")
    if not text.strip():
        raise BadInput("empty or blank file")
    controls = len(CONTROL_RE.findall(text))
    if controls > len(text) / 100:
        raise BadInput(f"binary content: {controls} control characters")
    if re.match(r"\s*(?:<!doctype html|<html|<\?xml)", text, re.IGNORECASE):
        raise BadInput("HTML or XML page, not article text")
    words = re.findall(r"[a-zà-ÿœæ]+", HEADER_RE.sub("", text).lower())
    if len(words) < MIN_WORDS:
        raise BadInput(f"too short to be an article: {len(words)} words (minimum {MIN_WORDS})")
    french = sum(1 for w in words if w in FRENCH_WORDS)
    if french < 0.12 * len(words):
        raise BadInput(f"not French text: {french} of {len(words)} words are common French words")


# --- cleaning ------------------------------------------------------------------------------------------------

class _Editor:
    """Text under edit, remembering for each character its offset in the decoded source."""

    def __init__(self, source: str) -> None:
        self.text = source
        self.origin = array("l", range(len(source)))
        self.edits: list[dict] = []

    def apply(self, rule: str, pattern: re.Pattern[str], replacement: str = "") -> None:
        """Replace every match in one pass (linear in the text, however many matches)."""
        pieces, origins, last = [], [], 0
        for m in pattern.finditer(self.text):
            start, end = m.start(), m.end()
            if end == start:
                continue
            raw_start, raw_end = self.origin[start], self.origin[end - 1] + 1
            self.edits.append({"raw_start": raw_start, "raw_end": raw_end, "rule": rule,
                               "removed": self.text[start:end], "inserted": replacement})
            pieces += [self.text[last:start], replacement]
            origins += [self.origin[last:start], array("l", [raw_start] * len(replacement))]
            last = end
        if pieces:
            pieces.append(self.text[last:])
            origins.append(self.origin[last:])
            self.text = "".join(pieces)
            self.origin = array("l")
            for part in origins:
                self.origin.extend(part)


def _line_pattern(body: str) -> re.Pattern[str]:
    """A whole line made only of `body`, with the blank lines after it."""
    return re.compile(rf"(?m)^[ \t]*(?:{body})[ \t]*(?:\n[ \t]*)*(?:\n|\Z)")


APOSTROPHE_RE = re.compile(r"(?<=\b[cdjlmnst])\?(?=[a-zà-ÿœæ])|(?<=\bqu)\?(?=[a-zà-ÿœæ])", re.IGNORECASE)
PHOTO_CREDIT_RE = re.compile(r"[ \t]*\[(?:[^\[\]\n]{2,80}?\s[-–/]\s[^\[\]\n]{2,80}?|(?:photo|crédit|©)[^\[\]\n]{0,80})\]")


@per_reference
def _boilerplate(reference: Reference) -> list[tuple[str, re.Pattern[str]]]:
    return [(row["rule"], _line_pattern(row["pattern"])) for row in reference.boilerplate.iter_rows(named=True)]


def clean(source: str, reference: Reference) -> tuple[str, list[dict], str | None]:
    """Clean decoded text. Returns (text, edits, header_date)."""
    editor = _Editor(source)
    header = HEADER_RE.match(source)
    if header:
        editor.apply("header", HEADER_RE)
    for rule, pattern in _boilerplate(reference):
        editor.apply(rule, pattern)
    editor.apply("photo_credit", PHOTO_CREDIT_RE)
    editor.apply("apostrophe_repair", APOSTROPHE_RE, "'")
    editor.apply("whitespace", re.compile(r"[ \t]+(?=\n)|(?<=\n\n)\n+|\A\s+|\s+\Z"))
    edits = sorted(editor.edits, key=lambda e: (e["raw_start"], e["raw_end"]))
    return editor.text, edits, header.group(1) if header else None


# --- publication date --------------------------------------------------------------------------------------

WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
NUMBER_WORDS = {"une": 1, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}
EXPLICIT_DATE_RE = re.compile(
    r"\b(?:(?:publié|mis à jour)\s+)?le\s+(1er|\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
PUBLISHED_RE = re.compile(r"\bpublié\s+le\s+(1er|\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
INTERVENTION = r"(?:intervention|campagne|opération|offensive aérienne)"
# (pattern, days after the campaign's start it implies, given the match)
RELATIVE_TO_CAMPAIGN = [
    (re.compile(rf"\bau (\d+)e jour de (?:son|sa|leur|l'|cette) {INTERVENTION}", re.IGNORECASE),
     lambda m: int(m.group(1)) - 1),
    (re.compile(rf"\b(une|deux|trois|quatre|cinq|six|\d) semaines? après le début de (?:son |sa |leur |l'|cette ){INTERVENTION}", re.IGNORECASE),
     lambda m: 7 * _small_number(m.group(1))),
    (re.compile(rf"\bdébut de (?:son |sa |leur |l'|cette ){INTERVENTION}[^.]{{0,40}}? il y a (une|deux|trois|\d) semaines?", re.IGNORECASE),
     lambda m: 7 * _small_number(m.group(1))),
    (re.compile(r"\b(?:après|en) (une|deux|trois|\d) semaines? de (?:bombardements|frappes|raids|campagne)", re.IGNORECASE),
     lambda m: 7 * _small_number(m.group(1))),
    (re.compile(r"\bau lendemain des? (?:premiers|premières) (?:bombardements|frappes|raids)", re.IGNORECASE),
     lambda m: 1),
]


def _small_number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


SENTENCE_WINDOW = 400


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], looked for within SENTENCE_WINDOW characters on each side."""
    low, high = max(0, start - SENTENCE_WINDOW), min(len(text), end + SENTENCE_WINDOW)
    left = max(text.rfind(".", low, start), text.rfind("\n", low, start), low - 1) + 1
    right_candidates = [i for i in (text.find(".", end, high), text.find("\n", end, high)) if i != -1]
    return text[left:min(right_candidates) if right_candidates else high]


def infer_publication_date(text: str, reference: Reference) -> tuple[date | None, str | None]:
    """The article's publication date, from the text alone, with the evidence; (None, None) when unsupported.

    Candidates come from a 'publié le' stamp, from counting days since the start of a known campaign, and from
    explicit full dates; a candidate from counting or an explicit date is kept only when the text's weekday names
    agree (the day of publication is named as such in wire copy), so a date of a past event is not mistaken for it.
    """
    weekdays = {w.lower() for w in WEEKDAY_RE.findall(text)}
    stamp = PUBLISHED_RE.search(text)
    if stamp:
        day = _explicit(stamp)
        if day:
            return day, f"{day.isoformat()}: publication stamp '{stamp.group(0)}'"
    candidates: list[tuple[date, str]] = []
    for pattern, days_after in RELATIVE_TO_CAMPAIGN:
        for m in pattern.finditer(text):
            sentence = _sentence_around(text, m.start(), m.end())
            campaigns = [c for context, c in _campaigns(reference) if context.search(sentence)]
            if len(campaigns) != 1:
                continue
            campaign = campaigns[0]
            day = campaign["start_date"] + timedelta(days=days_after(m))
            candidates.append((day, f"'{m.group(0)}' counted from {campaign['start_date']} ({campaign['name']})"))
    explicit = [(d, f"'{m.group(0)}'") for m in EXPLICIT_DATE_RE.finditer(text) if (d := _explicit(m))]
    if explicit:
        latest = max(d for d, _ in explicit)
        candidates += [(d, ev) for d, ev in explicit if d == latest]
    agreeing = [(d, ev) for d, ev in candidates if WEEKDAYS[d.weekday()] in weekdays]
    days = {d for d, _ in agreeing}
    if len(days) != 1:
        return None, None
    day = days.pop()
    evidence = "; ".join(dict.fromkeys(ev for d, ev in agreeing))
    return day, f"{day.isoformat()}: {evidence}; the text's '{WEEKDAYS[day.weekday()]}' agrees"


@per_reference
def _campaigns(reference: Reference) -> list[tuple[re.Pattern[str], dict]]:
    return [(re.compile(c["context_pattern"]), c) for c in reference.campaigns.iter_rows(named=True)]


def _explicit(m: re.Match[str]) -> date | None:
    day = 1 if m.group(1).lower() == "1er" else int(m.group(1))
    try:
        return date(int(m.group(3)), MONTHS[m.group(2).lower()], day)
    except ValueError:
        return None


def detect_outlet(text: str, reference: Reference) -> tuple[str | None, str | None]:
    for outlet, pattern in _outlets(reference):
        m = pattern.search(text)
        if m:
            return outlet, m.group(0)
    return None, None


@per_reference
def _outlets(reference: Reference) -> list[tuple[str, re.Pattern[str]]]:
    return [(row["outlet"], re.compile(row["pattern"])) for row in reference.outlets.iter_rows(named=True)]


# --- the stage -----------------------------------------------------------------------------------------------

def article_id(decoded: str) -> str:
    """Derived from the decoded source text, so it does not depend on file name, order or cleaning rules."""
    return "art_" + sha256(decoded)[:16]


def ingest(files: list[RawFile], reference: Reference) -> IngestResult:
    """Decode, check, deduplicate and clean every file; collect every bad one with its reason."""
    rows, edits, rejected, seen = [], [], [], {}
    for raw in sorted(files, key=lambda f: f.name):
        try:
            decoded, encoding = decode(raw.data)
            check(raw.data, decoded)
        except BadInput as err:
            rejected.append(Rejection(raw.name, str(err)))
            continue
        aid = article_id(decoded)
        if aid in seen:
            rejected.append(Rejection(raw.name, f"duplicate: same text as {seen[aid]}"))
            continue
        seen[aid] = raw.name
        text, article_edits, header_date = clean(decoded, reference)
        published, evidence = infer_publication_date(text, reference)
        outlet, outlet_evidence = detect_outlet(text, reference)
        rows.append({
            "article_id": aid, "source_file": raw.name, "raw_sha256": sha256(raw.data), "encoding": encoding,
            "text": text, "text_sha256": sha256(text), "n_chars": len(text),
            "published_date": published, "published_date_evidence": evidence, "header_date": header_date,
            "outlet": outlet, "outlet_evidence": outlet_evidence,
        })
        edits += [{"article_id": aid, **e} for e in article_edits]
    from ..schema import TABLES  # pandera: imported after the build has started its workers

    articles = pl.DataFrame(rows, schema=TABLES["articles"].polars_schema).sort("article_id")
    cleaning = pl.DataFrame(edits, schema=TABLES["cleaning_edits"].polars_schema).sort("article_id", "raw_start")
    return IngestResult(articles, cleaning, rejected)
