"""``solve`` and ``verify`` for any game kind, dispatching through the kind registry.

The kind of a game is its class attribute ``kind``; :mod:`stackopt.kinds.registry` maps it to
the kind's declaration (solve and verify functions, methods, options). Options are checked there,
in one place, before the kind's solve function runs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from stackopt.certificate import Certificate
from stackopt.errors import InputError
from stackopt.kinds.registry import check_options, check_verify_options, spec_of
from stackopt.result import Result

_log = logging.getLogger("stackopt.api")


def solve(game: Any, **options: Any) -> Result:
    """Solve ``game`` with its kind's default method; ``options`` go to that kind's solve
    function after :func:`stackopt.kinds.registry.check_options` (``stackopt methods KIND``
    lists them)."""
    spec = spec_of(game)
    _log.info(
        "solving %s game %r%s",
        spec.name,
        getattr(game, "name", ""),
        f" (method {options['method']})" if options.get("method") else "",
    )
    res = spec.solve_function()(game, **check_options(spec, options))
    _log.info(
        "done: %s, certificate %s",
        getattr(res.status, "value", res.status),
        "passed" if res.certificate is not None and res.certificate.passed else "not passed",
    )
    return res


def verify(game: Any, result: Result | Mapping[str, Any], **options: Any) -> Certificate:
    """Re-check ``result`` (a :class:`Result` or its JSON dictionary) against ``game``.

    Nothing is re-solved: the certificate is recomputed from the game, the reported answer and
    the evidence the result carries. Returns the new :class:`Certificate`.
    """
    spec = spec_of(game)
    method = (
        result.get("method") if isinstance(result, Mapping) else getattr(result, "method", None)
    )
    rkind = result.get("kind") if isinstance(result, Mapping) else getattr(result, "kind", None)
    if rkind and rkind != spec.name:  # a result without a kind (another tool's) is the game's
        raise InputError(
            f"the result is of kind {rkind!r} but the game is {spec.name!r}",
            field="kind",
            fix="verify a result against the game it was solved from",
        )
    _log.info("verifying a %s result against game %r", spec.name, getattr(game, "name", ""))
    verify_fn = spec.verify_function(method if isinstance(method, str) else None)
    cert = verify_fn(game, result, **check_verify_options(spec, verify_fn, options))
    _log.info("certificate recomputed: %s", "all checks pass" if cert.passed else "a check fails")
    return cert
