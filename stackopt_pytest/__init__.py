"""The stackopt pytest plugin (entry point ``pytest11``: ``stackopt = stackopt_pytest``).

Installed with stackopt, it is active in every pytest run. It lives in this small top-level
package, not inside ``stackopt``, because importing any ``stackopt.*`` module runs
``stackopt/__init__`` (NumPy, pydantic: a quarter of a second or more); this module imports
only pytest and the standard library, and stackopt only when a fixture or the exact marker is
used, so a run without stackopt tests pays a few milliseconds (``docs/testing.md`` gives the
measurement). ``stackopt.testing.plugin`` is the same plugin under the documented
``stackopt.testing`` name, for ``pytest -p stackopt.testing.plugin`` where stackopt is not
installed as a distribution (a source checkout on ``sys.path``); loading both is harmless.

Fixtures
    ``stackopt_game``: a function ``stackopt_game(path)`` loading a game file with
    :func:`stackopt.load_game`, ``path`` relative to the requesting test file's directory
    (absolute paths as they are); each file is loaded once per session, so the same game
    object comes back and solves of it are cached.
    ``stackopt_solve``: a function ``stackopt_solve(game_or_path, **options)`` returning
    :func:`stackopt.solve`'s result, computed once per session for each game and options
    (shared with the helpers' own reference solves).
Marker and option
    ``@pytest.mark.stackopt_exact`` on a test (or ``--stackopt-exact`` for the whole run) puts
    every :mod:`stackopt.testing` helper called without ``exact=`` into exact mode.
Header
    One line: ``stackopt <version>, HiGHS <version> (highspy)`` (read from the installed
    distributions' metadata; nothing is imported).

The helpers raise their own :class:`AssertionError` messages; the plugin also registers
:mod:`stackopt.testing.asserts` for pytest's assertion rewriting when it is not imported yet.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

if "stackopt.testing.asserts" not in sys.modules:  # pragma: no branch
    pytest.register_assert_rewrite("stackopt.testing.asserts")

_GAMES: dict[Path, Any] = {}


def _version(dist: str) -> str:
    """The installed version of ``dist``, read from its ``*.dist-info`` directory name next
    to the package when possible (one directory listing), else from the metadata."""
    from importlib.util import find_spec

    try:
        spec = find_spec(dist)
        if spec is not None and spec.origin:
            site = Path(spec.origin).parent.parent
            for d in site.glob(f"{dist}-*.dist-info"):
                return d.name[len(dist) + 1 : -len(".dist-info")]
            import re  # an editable install: the package's own __version__, not imported

            m = re.search(r'^__version__ = "([^"]+)"', Path(spec.origin).read_text("utf-8"), re.M)
            if m:
                return m.group(1)
    except (ImportError, ValueError, OSError):  # pragma: no cover - unusual installs
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "not installed"


_SEEN: set[int] = set()  # configs that got the header already (the plugin may be loaded twice)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("stackopt")
    if any(o.names() == ["--stackopt-exact"] for o in group.options):
        return  # loaded under both names
    group.addoption(
        "--stackopt-exact",
        action="store_true",
        default=False,
        help="stackopt.testing helpers check exactly (tolerance 1e-9 and, for "
        "normal-form games, a rational-arithmetic proof)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "stackopt_exact: stackopt.testing helpers in this test check exactly (see docs/testing.md)",
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    if id(config) in _SEEN:
        return None
    _SEEN.add(id(config))
    return f"stackopt {_version('stackopt')}, HiGHS {_version('highspy')} (highspy)"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    exact = (
        item.config.getoption("--stackopt-exact", False)
        or item.get_closest_marker("stackopt_exact") is not None
    )
    if not exact:
        yield
        return
    from stackopt.testing.asserts import exact_checks

    with exact_checks(True):
        yield


def _load(path: Path) -> Any:
    path = path.resolve()
    game = _GAMES.get(path)
    if game is None:
        from stackopt.io.load import load_game

        game = _GAMES[path] = load_game(path)
    return game


@pytest.fixture
def stackopt_game(request: pytest.FixtureRequest) -> Any:
    """``stackopt_game(path)``: the game in ``path`` (relative to this test file), loaded once
    per session."""
    base = Path(str(request.node.path)).parent

    def load(path: str | Path) -> Any:
        p = Path(path)
        return _load(p if p.is_absolute() else base / p)

    return load


@pytest.fixture
def stackopt_solve(request: pytest.FixtureRequest) -> Any:
    """``stackopt_solve(game_or_path, **options)``: ``stackopt.solve``'s result, computed once
    per session for each game and options (paths relative to this test file)."""
    base = Path(str(request.node.path)).parent

    def solve(game: Any, **options: Any) -> Any:
        from stackopt.testing.asserts import solve_cached

        if isinstance(game, (str, Path)):
            p = Path(game)
            game = _load(p if p.is_absolute() else base / p)
        return solve_cached(game, **options)

    return solve
