"""Parsing with a cache: an unchanged article is never parsed twice by the same pipeline.

Parsed documents are stored as spaCy DocBin files named by the sha256 of the text, in a folder named by the
pipeline's fingerprint (model and version, component code, reference data). Anything that could change a parse
changes the fingerprint, so a stale parse is never read.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..ids import sha256
from . import nlp as nlp_stage
from .doc_index import knowing_text
from .rows import write_atomically

DOC_ATTRS = ["ORTH", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_ID", "ENT_KB_ID", "LEMMA", "MORPH", "POS",
             "SENT_START", "SPACY", "NORM"]


def fingerprint(nlp: Language, reference_fingerprint: str) -> str:
    code = Path(nlp_stage.__file__).read_bytes()
    parts = [nlp.meta.get("name", ""), nlp.meta.get("version", ""), ",".join(nlp.pipe_names), reference_fingerprint]
    return hashlib.sha256("\x1f".join(parts).encode() + code).hexdigest()[:16]


class DocCache:
    def __init__(self, root: Path, nlp: Language, reference_fingerprint: str) -> None:
        self.nlp = nlp
        self.folder = root / "docs" / fingerprint(nlp, reference_fingerprint)

    def _path(self, text: str) -> Path:
        return self.folder / f"{sha256(text)}.spacy"

    def get(self, text: str) -> Doc | None:
        path = self._path(text)
        try:
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(self.nlp.vocab))
        except (OSError, ValueError):
            return None
        return docs[0] if len(docs) == 1 and docs[0].text == text else None

    def put(self, text: str, doc: Doc) -> None:
        write_atomically(self._path(text), DocBin(attrs=DOC_ATTRS, docs=[doc]).to_bytes())


def parse_cached(nlp: Language, texts: Iterable[str], cache: DocCache | None, batch_size: int = 16) -> Iterator[Doc]:
    """Docs for `texts` in order: from the cache where present, else parsed in batches (and cached)."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == batch_size:
            yield from _parse_batch(nlp, batch, cache)
            batch = []
    if batch:
        yield from _parse_batch(nlp, batch, cache)


def _parse_batch(nlp: Language, texts: list[str], cache: DocCache | None) -> list[Doc]:
    found = [cache.get(t) if cache else None for t in texts]
    parsed = iter(nlp.pipe([t for t, doc in zip(texts, found) if doc is None], batch_size=len(texts)))
    docs = []
    for text, doc in zip(texts, found):
        if doc is None:
            doc = next(parsed)
            if cache:
                cache.put(text, doc)
        docs.append(knowing_text(doc, text))
    return docs
