"""What extraction yields per article, and the cache that keeps it.

Importable without spaCy: the build process reads cached rows and gathers them without ever loading the parser,
so it starts its workers at once and a fully cached rebuild never imports spaCy.

`RowCache` keeps each article's rows under a key made of everything that could change them (the article, the
extraction code, the reference data, the libraries), so a rebuild only parses and extracts the articles that are
new or changed.
"""
from __future__ import annotations

import ast
import hashlib
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from importlib.util import find_spec, resolve_name
from pathlib import Path

from ..ids import sha256
from . import MODEL

EXTRACTION = "depeche.pipeline.extract"
# Libraries whose behaviour the rows depend on: the parser and its model, the frames, the number words.
DISTRIBUTIONS = ("spacy", MODEL, "polars", "text2num")


@dataclass(frozen=True)
class ProvisionalActor:
    """An actor found in the text but not in the registry (a named person or organisation)."""
    actor_id: str
    name: str
    actor_type: str


@dataclass
class ArticleRows:
    article_id: str
    actor_mentions: list[dict] = field(default_factory=list)
    provisional_actors: list[ProvisionalActor] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    event_reports: list[dict] = field(default_factory=list)


def default_cache_dir() -> Path:
    """Where parsed documents and extracted rows are kept between builds."""
    return Path(os.environ.get("DEPECHE_CACHE", Path.home() / ".cache" / "depeche"))


def code_fingerprint(module: str = EXTRACTION) -> str:
    """sha256 of the source of `module` and of every depeche module it imports, directly or not (read
    statically from the relative imports), so that editing any code the extraction runs gives new keys."""
    sources: dict[str, bytes] = {}
    pending = [module]
    while pending:
        name = pending.pop()
        if name in sources:
            continue
        spec = find_spec(name)
        sources[name] = Path(spec.origin).read_bytes()
        pending += local_imports(name, spec.submodule_search_locations is not None, sources[name])
    return sha256(b"".join(name.encode() + b"\0" + source for name, source in sorted(sources.items())))


def local_imports(name: str, is_package: bool, source: bytes) -> list[str]:
    """Modules of the same package that `source` imports with relative imports (`from . import x` and
    `from .x import y`), wherever they are in the file."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = resolve_name("." * node.level + (node.module or ""), package)
            folder = Path(find_spec(base).origin).parent if _is_package(base) else None
            found.append(base)
            found += [f"{base}.{a.name}" for a in node.names if folder and (folder / f"{a.name}.py").is_file()]
    return found


def _is_package(name: str) -> bool:
    return find_spec(name).submodule_search_locations is not None


def rows_fingerprint(reference_fingerprint: str) -> str:
    """What, besides the article, decides its rows: the code, the reference data, the libraries and Python."""
    parts = [code_fingerprint(), reference_fingerprint, platform.python_version(),
             *(f"{name}=={version(name)}" for name in DISTRIBUTIONS)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


class RowCache:
    """Each article's rows, in a folder named by `rows_fingerprint` and a file named by the article's content
    (every column extraction can read). Entries are pickles written by depeche: the cache folder is trusted like
    the user's own files."""

    def __init__(self, root: Path, reference_fingerprint: str) -> None:
        self.folder = root / "rows" / rows_fingerprint(reference_fingerprint)

    def _path(self, article: dict) -> Path:
        return self.folder / f"{sha256(repr(sorted(article.items())))}.pickle"

    def get(self, article: dict) -> ArticleRows | None:
        try:
            rows = pickle.loads(self._path(article).read_bytes())
        except Exception:  # missing, or unreadable for any reason: a miss, extracted again
            return None
        return rows if isinstance(rows, ArticleRows) and rows.article_id == article["article_id"] else None

    def size(self) -> int:
        """Entries in the cache: what a build of as many articles can expect not to extract again."""
        try:
            return sum(1 for entry in os.scandir(self.folder) if entry.name.endswith(".pickle"))
        except OSError:
            return 0

    def put(self, article: dict, rows: ArticleRows) -> None:
        write_atomically(self._path(article), pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache entry so that a killed build never leaves a half-written one (readers see all or nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
