"""``solve`` and ``verify`` for any game kind, dispatching on ``game.kind``.

A new kind registers its solve and verify functions in ``_REGISTRY`` (module path and function
names, imported lazily so that ``import stackopt`` stays light).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Callable, Mapping

from .certificate import Certificate
from .errors import InputError
from .result import Result

# kind -> (module, solve function, verify function)
_REGISTRY: dict[str, tuple[str, str, str]] = {
    "normal_form": ("stackopt.sse", "solve_sse", "verify_sse"),
    "bilevel": ("stackopt.bilevel", "solve_bilevel", "verify_bilevel"),
    "interdiction": ("stackopt.interdiction", "solve_interdiction", "verify_interdiction"),
    "bayesian": ("stackopt.bayesian", "solve_bayesian", "verify_bayesian"),
    "security": ("stackopt.security", "solve_security", "verify_security"),
}


def register_kind(kind: str, module: str, solve_fn: str, verify_fn: str) -> None:
    """Register a game kind (used by the modules of later kinds)."""
    _REGISTRY[kind] = (module, solve_fn, verify_fn)


def _lookup(game: Any, which: int) -> Callable[..., Any]:
    kind = getattr(game, "kind", None)
    if kind not in _REGISTRY:
        raise InputError(f"cannot solve objects of type {type(game).__name__}",
                         fix="pass a game from stackopt.load_game or a stackopt game class")
    mod = import_module(_REGISTRY[kind][0])
    return getattr(mod, _REGISTRY[kind][which])


def solve(game: Any, **options: Any) -> Result:
    """Solve ``game`` with the default method of its kind; ``options`` go to that method.

    For normal-form games see :func:`stackopt.solve_sse`.
    """
    return _lookup(game, 1)(game, **options)


def verify(game: Any, result: Result | Mapping[str, Any], **options: Any) -> Certificate:
    """Re-check ``result`` (a :class:`Result` or its JSON dictionary) against ``game``.

    Nothing is re-solved: the certificate is recomputed from the game, the reported answer and
    the evidence the result carries. Returns the new :class:`Certificate`.
    """
    method = result.get("method") if isinstance(result, Mapping) else \
        getattr(result, "method", None)
    rkind = result.get("kind") if isinstance(result, Mapping) else getattr(result, "kind", None)
    gkind = getattr(game, "kind", None)
    if rkind is not None and gkind is not None and rkind != gkind:
        raise InputError(f"the result is of kind {rkind!r} but the game is {gkind!r}",
                         field="kind", fix="verify a result against the game it was solved "
                                           "from")
    if method == "nash_milp":  # Nash results of a normal-form game have their own checks
        from .nash import verify_nash

        return verify_nash(game, result, **options)
    return _lookup(game, 2)(game, result, **options)
