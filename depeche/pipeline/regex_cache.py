"""Compiled regular expressions kept between processes, for those that take seconds to compile.

spaCy's French tokenizer matches its exceptions with one regular expression of 1.4 million characters. Python
takes 2.4 s to compile it, longer than the model takes to load, in every process that loads the pipeline, and keeps
compiled expressions only in memory (`re._cache`). Compiling is deterministic, so the compiled program is stored
in the cache folder, under a folder named by the Python build, and put in `re`'s own cache before spaCy asks for
the expression: `re.compile` then returns it without compiling.

A program is stored only after checking that it rebuilds an expression equal to the one Python compiled (equality
of compiled expressions compares their programs). This leans on CPython's `re` internals (`re._compiler`,
`_sre.compile`, `re._cache`); anything unexpected, in any Python, only means compiling as usual.
"""
from __future__ import annotations

import hashlib
import pickle
import re
import sys
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import _sre

from .rows import write_atomically

SLOW = 0.5  # seconds: an expression that compiles faster is not worth a file
_PROGRAM_TYPE = {2: "H", 4: "I", 8: "Q"}.get(_sre.CODESIZE, "I")


def _python_key() -> str:
    """Programs are only valid for the engine that compiled them."""
    return hashlib.sha256(f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode()).hexdigest()[:16]


class RegexCache:
    """Compiled programs in `root/regex/<python build>/`, one file per expression."""

    def __init__(self, root: Path, slow: float = SLOW) -> None:
        self.folder = root / "regex" / _python_key()
        self.slow = slow

    def prime(self) -> int:
        """Put every stored expression in `re`'s cache; how many were put. A file that cannot be read or rebuilt
        is skipped: that expression is compiled as usual."""
        primed = 0
        for path in sorted(self.folder.glob("*.pickle")):
            try:
                pattern, flags, compiled = _rebuild(pickle.loads(path.read_bytes()))
            except Exception:  # damaged, or written by an engine that reads programs differently
                continue
            re._cache[type(pattern), pattern, flags] = compiled
            primed += 1
        return primed

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Compile as usual inside the block, storing the program of every expression that took `slow` seconds."""
        from re import _compiler

        programs: list[list[int]] = []
        compile_, code_ = _compiler.compile, _compiler._code

        def keep_program(parsed, flags):
            programs.append(program := code_(parsed, flags))
            return program

        def store_if_slow(pattern, flags=0):
            start = time.perf_counter()
            compiled = compile_(pattern, flags)
            if programs and time.perf_counter() - start >= self.slow and isinstance(pattern, str):
                self.store(pattern, flags, compiled, programs[-1])
            programs.clear()
            return compiled

        _compiler._code, _compiler.compile = keep_program, store_if_slow
        try:
            yield
        finally:
            _compiler._code, _compiler.compile = code_, compile_

    def store(self, pattern: str, flags: int, compiled: re.Pattern, program: list[int]) -> bool:
        """Store `program` as the compilation of (`pattern`, `flags`) if it rebuilds `compiled`; whether it did."""
        entry = (pattern, flags, compiled.flags, array(_PROGRAM_TYPE, program).tobytes(), compiled.groups,
                 dict(compiled.groupindex))
        try:
            if _rebuild(entry)[2] != compiled:
                return False
        except Exception:
            return False
        key = hashlib.sha256(f"{flags}|{pattern}".encode()).hexdigest()[:32]
        try:
            write_atomically(self.folder / f"{key}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # a folder it cannot write to: the expression is compiled again next time, nothing worse
            return False
        return True


def _rebuild(entry: tuple) -> tuple[str, int, re.Pattern]:
    """(pattern, flags given to re.compile, the compiled expression) from a stored entry."""
    pattern, flags, compiled_flags, program, groups, groupindex = entry
    indexgroup = [None] * (groups + 1)
    for name, index in groupindex.items():
        indexgroup[index] = name
    code = array(_PROGRAM_TYPE, program).tolist()
    return pattern, flags, _sre.compile(pattern, compiled_flags, code, groups, groupindex, tuple(indexgroup))
