"""The pickled legislation cache: read back only for the same files, ignored when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardpath.law import cached
from guardpath.law.loader import DEFAULT_ROOT, build, read_sources
from guardpath.law.model import Legislation


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "guardpath"


def test_the_second_build_of_the_same_files_reads_the_pickle(cache_home: Path) -> None:
    sources = read_sources(DEFAULT_ROOT)
    first = cached.cached_build(sources, build)
    second = cached.cached_build(sources, build)

    assert len(list(cache_home.glob("legislation-*.pickle"))) == 1
    assert second is not first  # read back, not the same object
    assert second.version == first.version
    assert set(second.rules) == set(first.rules)
    assert second.rules.keys() == build(sources).rules.keys()


def test_changed_files_never_read_an_old_pickle(cache_home: Path) -> None:
    sources = read_sources(DEFAULT_ROOT)
    cached.cached_build(sources, build)
    relative, raw = sources[0]
    changed = [(relative, raw + b"\n# a comment changes the bytes\n"), *sources[1:]]

    assert cached.cache_key(changed) != cached.cache_key(sources)
    rebuilt = cached.cached_build(changed, build)
    assert rebuilt.version != cached.cached_build(sources, build).version
    assert len(list(cache_home.glob("legislation-*.pickle"))) == 2


def test_a_broken_pickle_is_rebuilt_and_replaced(cache_home: Path) -> None:
    sources = read_sources(DEFAULT_ROOT)
    path = cache_home / f"legislation-{cached.cache_key(sources)}.pickle"
    cache_home.mkdir(parents=True)
    path.write_bytes(b"not a pickle")

    legislation = cached.cached_build(sources, build)

    assert isinstance(legislation, Legislation)
    assert path.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))

    legislation = cached.cached_build(read_sources(DEFAULT_ROOT), build)

    assert legislation.rules
