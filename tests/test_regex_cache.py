"""Compiled regular expressions stored in the cache folder: put back in `re`'s cache, identical, never wrong."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from re import _compiler

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depeche.pipeline.regex_cache import RegexCache

ATOMS = ["a", "é", r"\d+", r"[a-zà-ÿ]+", r"\w", ".", r"\s*", "(?:ab|c)", "(?P<name>x)", "(y)", r"\b", "^", "$",
         "[-–—]", r"(?<=a)b", "(?!z)", "x{2,3}", "\\."]
TEXTS = ["", "abc 123 déjà", "xx-y a.b", "Z aab été", "yyy xxx ab c"]


def expressions():
    """Regular expressions built from pieces that exercise different parts of the compiler."""
    alternative = st.lists(st.sampled_from(ATOMS), min_size=1, max_size=6).map("".join)
    flags = st.sampled_from(["", "(?i)", "(?iu)", "(?m)"])
    return st.tuples(flags, st.lists(alternative, min_size=1, max_size=5)).map(lambda t: _named(t[0] + "|".join(t[1])))


def _named(pattern: str) -> str:
    """Each named group under its own name."""
    names = iter(range(pattern.count("(?P<name>")))
    return re.sub(r"\(\?P<name>", lambda _: f"(?P<name{next(names)}>", pattern)


def unique(pattern: str) -> str:
    """The same expression under a text `re` has never seen, so that it is really compiled."""
    return f"{pattern}|(?:{uuid.uuid4().hex})"


def record(cache: RegexCache, pattern: str, flags: int = 0) -> re.Pattern:
    with cache.recording():
        return re.compile(pattern, flags)


@settings(max_examples=60, deadline=None)
@given(expressions(), st.sampled_from([0, re.IGNORECASE, re.MULTILINE]))
def test_a_stored_expression_comes_back_equal_and_matching_the_same(tmp_path_factory, pattern, flags):
    cache = RegexCache(tmp_path_factory.mktemp("cache"), slow=0)
    pattern = unique(pattern)
    compiled = record(cache, pattern, flags)
    re.purge()
    assert cache.prime() == 1
    primed = re._cache[str, pattern, flags]
    assert primed is not compiled and primed == compiled
    assert (primed.groups, primed.groupindex, primed.flags) == (compiled.groups, compiled.groupindex, compiled.flags)
    for text in TEXTS:
        assert [m.span() for m in primed.finditer(text)] == [m.span() for m in compiled.finditer(text)]


def test_a_primed_expression_is_not_compiled_again(tmp_path, monkeypatch):
    cache = RegexCache(tmp_path, slow=0)
    pattern = unique(r"(?iu)^anti[-–][a-zà-ÿ]+$")
    record(cache, pattern)
    re.purge()
    cache.prime()

    def refuse(pattern, flags=0):
        raise AssertionError(f"compiled {pattern[:40]!r}")
    monkeypatch.setattr(_compiler, "compile", refuse)
    assert re.compile(pattern).match("Anti-aérien")
    re.purge()
    with pytest.raises(AssertionError):  # without the cache, it is compiled
        re.compile(pattern)


def test_only_slow_expressions_are_stored(tmp_path):
    cache = RegexCache(tmp_path, slow=60)
    record(cache, unique("a+b"))
    assert cache.prime() == 0 and not list(tmp_path.rglob("*.pickle"))


def test_a_program_that_does_not_rebuild_the_expression_is_refused(tmp_path):
    cache = RegexCache(tmp_path)
    one, other = unique("a+b"), unique("c+d")
    programs = []
    code = _compiler._code
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_compiler, "_code", lambda parsed, flags: programs.append(code(parsed, flags)) or programs[-1])
        compiled, _ = re.compile(one), re.compile(other)
    assert not cache.store(one, 0, compiled, programs[1])
    assert cache.store(one, 0, compiled, programs[0])
    assert len(list(tmp_path.rglob("*.pickle"))) == 1


def test_a_damaged_entry_is_skipped_and_compiled_as_usual(tmp_path):
    cache = RegexCache(tmp_path, slow=0)
    pattern = unique(r"\d+")
    record(cache, pattern)
    (entry,) = cache.folder.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])
    (cache.folder / "other.pickle").write_bytes(b"not a pickle")
    re.purge()
    assert cache.prime() == 0
    assert re.compile(pattern).match("42")


def test_a_cache_folder_it_cannot_write_to_only_means_compiling_again(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    cache = RegexCache(blocked, slow=0)
    pattern = unique(r"\w+")
    assert record(cache, pattern).match("mot")
    re.purge()
    assert cache.prime() == 0


def test_recording_leaves_the_compiler_as_it_found_it(tmp_path):
    before = (_compiler.compile, _compiler._code)
    with pytest.raises(re.error), RegexCache(tmp_path, slow=0).recording():
        re.compile(unique("(unclosed"))
    assert (_compiler.compile, _compiler._code) == before


LOAD = """
import re, sys
from pathlib import Path
from re import _compiler
from depeche.pipeline import worker
from depeche.reference import load_reference
compile_, longest = _compiler.compile, [0]
def measuring(pattern, flags=0):
    longest[0] = max(longest[0], len(pattern))
    return compile_(pattern, flags)
_compiler.compile = measuring
worker.start(load_reference(), Path(sys.argv[1]) if sys.argv[1:] else None, None)
print(longest[0])
"""


@pytest.mark.parametrize("folder_given", [True, False], ids=["cache folder", "no cache folder: the default one"])
def test_a_worker_compiles_the_french_tokenizer_exceptions_once_per_cache_folder(tmp_path, folder_given):
    """A build that keeps no documents or rows (`--no-cache`) still reads and stores compiled expressions, in the
    default cache folder ($DEPECHE_CACHE)."""
    def longest_compiled() -> int:
        run = subprocess.run([sys.executable, "-c", LOAD, *([str(tmp_path)] if folder_given else [])],
                             env={**os.environ, "DEPECHE_CACHE": str(tmp_path)}, capture_output=True, text=True,
                             check=True)
        return int(run.stdout.split()[-1])

    assert longest_compiled() > 1_000_000  # spaCy's French tokenizer exceptions: one expression of 1.4M characters
    assert len(list((tmp_path / "regex").rglob("*.pickle"))) == 1
    assert longest_compiled() < 100_000
