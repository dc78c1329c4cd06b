"""`depeche build`: a folder of articles -> a published, validated dataset folder."""
from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import accumulate
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .pipeline.ingest import RawFile, Rejection, ingest
from .reference import Reference, load_reference

if TYPE_CHECKING:
    from .pipeline.rows import ArticleRows
    from .validate import Failure

REJECTED_FILE = "rejected.csv"
# One process alone parses a batch of 32 articles faster per article than one of 8. Two workers on two cores ran
# slower with batches of 32 (CPU time 69.0 s against 61.4 s for 400 articles), so workers take chunks of 8.
LARGEST_CHUNK = 32


class BuildError(RuntimeError):
    """The build cannot proceed; nothing was written."""


@dataclass
class BuildResult:
    tables: dict[str, pl.DataFrame]
    rejected: list[Rejection] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


MANIFEST = "manifest.csv"


def list_inputs(directory: Path) -> tuple[list[Path], list[Rejection]]:
    """The folder's .txt files are articles; any other file is a rejection, never skipped silently.

    Hidden files and the folder's own manifest.csv are not inputs.
    """
    if not directory.is_dir():
        raise BuildError(f"{directory}: not a folder")
    paths, rejected = [], []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.name == MANIFEST or path.is_dir():
            continue
        if path.suffix.lower() != ".txt":
            rejected.append(Rejection(path.name, f"not a .txt file ({path.suffix or 'no extension'})"))
            continue
        paths.append(path)
    if not paths and not rejected:
        raise BuildError(f"{directory}: no .txt articles")
    return paths, rejected


def read_files(paths: list[Path], unread: list[Rejection]) -> Iterator[RawFile]:
    """Each file's bytes, read when ingest asks for them: once ingested, no one holds them (tens of MB at 10 000
    articles) while the build goes on. A file that cannot be read is added to `unread`."""
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            unread.append(Rejection(path.name, f"unreadable: {err.strerror}"))
            continue
        yield RawFile(path.name, data)


def changed_since_published(paths: list[Path], output_dir: Path) -> int | None:
    """How many input files are new or changed since `output_dir` was last published, by name and modification
    time (a stat each), or None when it holds no published dataset. A cache that also holds other corpora's rows
    says nothing of what this corpus lacks; this does, and it is known before ingest."""
    published = output_dir / "articles.parquet"
    try:
        published_at = published.stat().st_mtime
        names = set(pl.read_parquet(published, columns=["source_file"])["source_file"])
        rejected = output_dir / REJECTED_FILE
        if rejected.exists():
            names |= set(pl.read_csv(rejected, columns=["source_file"])["source_file"])
    except (OSError, pl.exceptions.PolarsError):
        return None
    return sum(1 for path in paths if path.name not in names or _modified_after(path, published_at))


def _modified_after(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime > moment
    except OSError:
        return True


def read_inputs(directory: Path) -> tuple[list[RawFile], list[Rejection]]:
    """Every article file of the folder, read, and the rejected files."""
    paths, rejected = list_inputs(directory)
    return list(read_files(paths, rejected)), rejected


class Extractor:
    """Every article's rows: from the row cache, else parsed and extracted in this process or in `processes`
    worker processes, a chunk of articles at a time (`chunk` articles in a worker, LARGEST_CHUNK in this process).

    Workers are started as soon as it is created, as many as the articles the cache is expected to lack need, so
    they load the model while the parent ingests the inputs and reads the cache: at least `expected` articles less
    the cache's entries, and at least the `changed` ones (see `changed_since_published`). Without anything to
    extract, no model is loaded in this process.
    """

    def __init__(self, reference: Reference, *, processes: int = 1, cache_dir: Path | None = None,
                 chunk: int = 8, expected: int = 0, changed: int | None = None) -> None:
        from .pipeline.rows import RowCache

        self.reference, self.processes, self.cache_dir, self.chunk = reference, processes, cache_dir, chunk
        self.cache = RowCache(cache_dir, reference.fingerprint) if cache_dir else None
        uncached = max(expected - (self.cache.size() if self.cache else 0), changed or 0, 0)
        self._pool: Future[Pool] | None = None
        self.pool_size = 0
        self._start_pool(math.ceil(uncached / chunk))

    def _start_pool(self, n_chunks: int) -> None:
        """Workers for `n_chunks` chunks (none with one process); a smaller pool is replaced."""
        wanted = min(self.processes, n_chunks) if self.processes > 1 else 0
        if wanted <= self.pool_size:
            return
        from .pipeline import worker

        self.close()
        # Starting a worker blocks until it has read its arguments, once it has imported the program, unless they
        # fit in a pipe's buffer: the reference data (a few hundred KB) goes through a file, so workers start at once.
        handle, shared = tempfile.mkstemp(prefix="depeche-reference-", suffix=".pickle")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(self.reference, out, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared_reference = Path(shared)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(worker.PRELOAD)
        # Creating the pool returns once the forkserver has imported spaCy and forked the workers, seconds later:
        # a thread waits for it while this process ingests the inputs and reads the cache.
        starter = ThreadPoolExecutor(max_workers=1)
        self._pool = starter.submit(context.Pool, wanted, initializer=worker.start_worker,
                                    initargs=(self.shared_reference, self.cache_dir, self.cache))
        starter.shutdown(wait=False)
        self.pool_size = wanted

    @property
    def pool(self) -> Pool | None:
        """The workers, once they are started."""
        return self._pool.result() if self._pool is not None else None

    def close(self) -> None:
        starting, self._pool, self.pool_size = self._pool, None, 0
        if starting is None:
            return
        try:
            starting.result().terminate()
        finally:
            self.shared_reference.unlink(missing_ok=True)

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def extract(self, articles: pl.DataFrame) -> Iterator[tuple[int, ArticleRows]]:
        """(input position, ArticleRows) of every article, in no particular order: the cached ones first."""
        missing = []
        for position, article in enumerate(articles.iter_rows(named=True)):
            rows = self.cache.get(article) if self.cache else None
            if rows is None:
                missing.append(position)
            else:
                yield position, rows
        if not missing:
            return
        from .pipeline import worker

        n_chunks = math.ceil(len(missing) / self.chunk)
        if self._pool is not None or n_chunks > 1:  # a single chunk is not worth starting a worker for
            self._start_pool(n_chunks)
        sizes = chunk_sizes(len(missing), self.chunk, self.pool_size) if self.pool_size else \
            chunk_sizes(len(missing), LARGEST_CHUNK, 1)
        bounds = list(accumulate(sizes, initial=0))
        chunks = (_chunk(articles, missing[start:end]) for start, end in zip(bounds, bounds[1:]))
        if self._pool is None:
            worker.start(self.reference, self.cache_dir, self.cache)
            with worker.collecting_rarely():
                for c in chunks:
                    yield from worker.extract_chunk(c)
            return
        for result in self.pool.imap_unordered(worker.extract_chunk, chunks):
            yield from result


def extract_all(articles: pl.DataFrame, reference: Reference, *, processes: int = 1,
                cache_dir: Path | None = None, chunk: int = 8) -> Iterator[tuple[int, ArticleRows]]:
    """Every article's rows (see `Extractor`)."""
    with Extractor(reference, processes=processes, cache_dir=cache_dir, chunk=chunk,
                   expected=articles.height) as extractor:
        yield from extractor.extract(articles)


def chunk_sizes(n: int, size: int, workers: int) -> list[int]:
    """Chunks of `size` articles; with several workers, the last `workers * size` articles go in chunks a quarter
    as large, so that the workers finish together rather than one idling while the other parses a whole chunk."""
    if workers <= 1:
        return [size] * (n // size) + ([n % size] if n % size else [])
    tail = min(n, workers * size)
    return chunk_sizes(n - tail, size, 1) + chunk_sizes(tail, max(size // 4, 1), 1)


def _chunk(articles: pl.DataFrame, positions: list[int]) -> list[tuple[int, dict]]:
    """The articles at `positions` as dicts, made only when their chunk is sent to be extracted."""
    return list(zip(positions, articles[positions].to_dicts()))


def build_tables(files: Iterable[RawFile], reference: Reference, *, expected: int | None = None,
                 changed: int | None = None, keep_going: bool = False, unread: list[Rejection] = (),
                 processes: int = 1, cache_dir: Path | None = None) -> BuildResult:
    """Pure: raw files + reference data -> every table. `unread`: files rejected before reading (read when `files`
    is consumed, see `read_files`); `expected`: how many files there are, when `files` is an iterator; `changed`:
    how many are new since the last build, if known (only decides how many workers start at once)."""
    expected = len(files) if expected is None else expected
    with Extractor(reference, processes=processes, cache_dir=cache_dir, expected=expected,
                   changed=changed) as extractor:
        # The schema (pandera) is imported only now that the workers are loading the model.
        from .pipeline.corpus import collect
        from .pipeline.resolve import resolve

        staged = ingest(files, reference)
        rejected = sorted([*unread, *staged.rejected], key=lambda r: r.source_file)
        if rejected and not keep_going:
            lines = "\n".join(f"  {r.source_file}: {r.reason}" for r in rejected)
            raise BuildError(f"{len(rejected)} bad input file(s); nothing was written:\n{lines}")
        if staged.articles.is_empty():
            raise BuildError("no usable article among the inputs; nothing was written")
        rows = collect(extractor.extract(staged.articles))
    tables = {"articles": staged.articles, "cleaning_edits": staged.cleaning_edits,
              **resolve(staged.articles, rows, reference)}
    return BuildResult(tables, rejected)


def build(input_dir: Path, output_dir: Path, *, keep_going: bool = False, reference_dir: Path | None = None,
          processes: int = 1, cache_dir: Path | None = None) -> BuildResult:
    """Build, validate, and publish only when the tables are valid."""
    paths, unread = list_inputs(input_dir)
    changed = changed_since_published(paths, output_dir) if cache_dir else None
    result = build_tables(read_files(paths, unread), load_reference(reference_dir), expected=len(paths),
                          changed=changed, keep_going=keep_going, unread=unread, processes=processes,
                          cache_dir=cache_dir)
    from .validate import validate_tables  # pandera: imported after the workers have started
    from .write import publish

    result.failures = validate_tables(result.tables)
    if result.failures:
        raise BuildError("the built tables are invalid; nothing was written:\n"
                         + "\n".join(f"  {f}" for f in result.failures[:50]))
    extras = {}
    if result.rejected:
        rejected = pl.DataFrame([{"source_file": r.source_file, "reason": r.reason} for r in result.rejected])
        extras[REJECTED_FILE] = rejected.write_csv()
        for r in result.rejected:
            print(f"rejected {r.source_file}: {r.reason}", file=sys.stderr)
    publish(result.tables, output_dir, extras)
    return result
