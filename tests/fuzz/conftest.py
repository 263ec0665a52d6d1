"""Fuzzing settings: a bounded number of examples in CI, ``STACKOPT_FUZZ_SCALE=10`` for 10x.

Examples are derandomized (the same inputs on every run) unless ``STACKOPT_FUZZ_RANDOM=1``.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stackopt
from stackopt.cli import main
from stackopt.io.load import load_game
from stackopt.io.safe_yaml import load_yaml_text

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "data")

#: What each number of a result is turned into by the tampering tests.
MUTANTS: list[Any] = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    -1.0,
    10**30,
    "x",
    "nan",
    "inf",
    "-inf",
    None,
    True,
    [],
    {},
]


#: What each number of a game document is turned into by the hostile-document tests.
DOC_MUTANTS: list[Any] = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -1e308,
    -1,
    0,
    10**30,
    "x",
    "1e99999",
    None,
    True,
    [],
    {},
    [[1, 2], [3]],
    "../../etc/passwd",
]


def solved_json(path: str, opts: Mapping[str, Any] | None = None) -> str:
    """The JSON result of the bundled game ``data/<path>`` solved with ``opts`` (once per
    session); the solve must certify."""
    return _solved_json(path, tuple(sorted((opts or {}).items())))


@cache
def _solved_json(path: str, opts: tuple[tuple[str, Any], ...]) -> str:
    r = stackopt.solve(load_game(os.path.join(DATA, path)), **dict(opts))
    assert r.certificate is not None and r.certificate.passed, r.message
    return r.to_json()


def verify_exit(tmp_path, game: str, text: str, *, seconds: int, flags: Sequence[str] = ()) -> int:
    """Exit code of ``stackopt verify data/<game> RESULT [flags]`` run in-process on the result
    text ``text``; a run longer than ``seconds`` fails with the example shown."""
    p = tmp_path / "r.json"
    p.write_text(text)
    with alarm(seconds):
        return main(["verify", os.path.join(DATA, game), str(p), *flags])


def solve_exit(tmp_path, name: str, text: str, capsys) -> tuple[int, str]:
    """``stackopt solve`` of a hostile game file ``name`` holding ``text``, run in-process under
    a time limit: exit 0, 1 or 2 within a minute, never a traceback, one short line on exit 2.
    Returns (exit code, stderr)."""
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    t = time.perf_counter()
    with alarm(90):  # a hang is a failure with the example shown, not a stuck CI job
        code = main(["solve", str(p), "--time-limit", "20"])
    elapsed = time.perf_counter() - t
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), code
    assert elapsed < 60
    if code == 2:
        assert err.count("\n") <= 2 and len(err) < 2000, err
    return code, err


def case_verify_exit(
    tmp_path, case: tuple[str, Mapping[str, Any]], text: str, *, seconds: int
) -> int:
    """:func:`verify_exit` for a tampering case ``(game file, solve options)``: a
    pure-commitment result is verified with ``--pure`` (verify ignores a declared restriction)."""
    game, opts = case
    flags = ["--pure"] if opts.get("pure") else []
    return verify_exit(tmp_path, game, text, seconds=seconds, flags=flags)


@st.composite
def result_mutation(draw, result_json: str, ops: Sequence[str], mutants: Sequence[Any]):
    """``(path, op, mutant)``: a place of the result ``result_json`` (see :func:`places`), an
    operation drawn from ``ops`` and a value drawn from ``mutants``."""
    path = draw(places(json.loads(result_json)))
    op = draw(st.sampled_from(ops))
    mutant = draw(st.sampled_from(mutants))
    return path, op, mutant


def tampering_tests(
    cases: Mapping[str, tuple[str, Mapping[str, Any]]],
    *,
    ops: Sequence[str],
    mutants: Sequence[Any],
    examples: Callable[[str], int],
    run: Callable[[str, tuple, Any, Any], None],
    seconds: int,
    verify_with_solve_options: bool = True,
):
    """The three tests of a tampered-results suite, each parametrized by the names of ``cases``
    (name -> (bundled game, solve options)), to be bound to these names in the test module:

    * ``test_tampered_results_never_wrongly_pass``: ``examples(case)`` mutations drawn by
      :func:`result_mutation` from ``ops`` and ``mutants``, each checked by
      ``run(case, mutation, tmp_path_factory, capsys)``;
    * ``test_untampered_results_verify``: the certified result verifies (exit 0);
    * ``test_loosened_rtol_is_capped``: see :func:`assert_loosened_rtol_is_capped`, verified
      with the case's solve options unless ``verify_with_solve_options`` is false (``verify``
      takes no ``tie_break``).
    """
    names = sorted(cases)

    @pytest.mark.parametrize("case", names)
    def test_tampered_results_never_wrongly_pass(case, tmp_path_factory, capsys):
        run_examples(
            result_mutation(solved_json(*cases[case]), ops, mutants),
            examples(case),
            lambda mutation: run(case, mutation, tmp_path_factory, capsys),
        )

    @pytest.mark.parametrize("case", names)
    def test_untampered_results_verify(case, tmp_path):
        text = solved_json(*cases[case])
        assert case_verify_exit(tmp_path, cases[case], text, seconds=seconds) == 0

    @pytest.mark.parametrize("case", names)
    def test_loosened_rtol_is_capped(case):
        game, opts = cases[case]
        verify_opts = opts if verify_with_solve_options else {}
        assert_loosened_rtol_is_capped(game, solved_json(game, opts), **verify_opts)

    return (
        test_tampered_results_never_wrongly_pass,
        test_untampered_results_verify,
        test_loosened_rtol_is_capped,
    )


def assert_loosened_rtol_is_capped(game: str, result_json: str, **opts: Any) -> None:
    """A result whose ``options.rtol`` claims 0.9 is still checked at most at ``1e-6``."""
    data = json.loads(result_json)
    data.setdefault("options", {})["rtol"] = 0.9
    cert = stackopt.verify(load_game(os.path.join(DATA, game)), data, **opts)
    assert cert.rtol is None or cert.rtol <= 1e-6 + 1e-18
    assert not math.isnan(cert.atol or 0.0)


SCALE = max(1, int(os.environ.get("STACKOPT_FUZZ_SCALE", "1") or 1))


def fuzz_settings(examples: int):
    """Hypothesis settings for ``examples`` examples times ``STACKOPT_FUZZ_SCALE``."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=os.environ.get("STACKOPT_FUZZ_RANDOM") != "1",
        suppress_health_check=list(HealthCheck),
        database=None,
    )


def run_examples(strategy, examples: int, check: Callable[[Any], None]) -> None:
    """``check`` on ``examples`` examples drawn from ``strategy`` (for a hypothesis property
    inside a parametrized test)."""

    @fuzz_settings(examples)
    @given(strategy)
    def inner(example):
        check(example)

    inner()


def tree_paths(node, prefix=()):
    """Every ``(path, value)`` in a YAML/JSON tree, containers included (root: ``()``)."""
    yield prefix, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from tree_paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from tree_paths(v, prefix + (i,))


def places(tree) -> st.SearchStrategy[tuple]:
    """A path to any place in a YAML/JSON tree but its root (see :func:`tree_paths`)."""
    return st.sampled_from([p for p, _ in tree_paths(tree) if p])


@st.composite
def document_places(draw, games: Sequence[str]):
    """(file, parsed document, path to a place in it) of one of the bundled ``games``."""
    game = draw(st.sampled_from(games))
    with open(os.path.join(DATA, game)) as fh:
        data = load_yaml_text(fh.read())
    return game, data, draw(places(data))


def parent_of(tree, path):
    """The container holding the place ``path`` of a YAML/JSON tree (``path`` non-empty)."""
    for k in path[:-1]:
        tree = tree[k]
    return tree


class alarm:
    """Raise ``TimeoutError`` after ``seconds`` (POSIX main thread; a no-op elsewhere)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.old = None

    def __enter__(self):
        import signal
        import threading

        if hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread():

            def fire(signum, frame):
                raise TimeoutError(f"solve took more than {self.seconds} s")

            self.old = signal.signal(signal.SIGALRM, fire)
            signal.alarm(self.seconds)
        return self

    def __exit__(self, *exc):
        import signal

        if self.old is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, self.old)
        return False
