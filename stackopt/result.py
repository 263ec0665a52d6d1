"""Result objects shared by every game kind.

Every solve returns a frozen :class:`Result` whose JSON form (``to_dict``) has the same keys for
every kind: ``kind``, ``game``, ``status``, ``method``, ``leader`` (``name``, ``commitment``,
``value``), ``follower`` (``name``, ``response``, ``value``), ``certificate``, ``stats``,
``options`` and ``message``.

``commitment`` maps the leader's labels (actions, or variable names) to numbers; ``response``
is a label (finite games), a mapping type -> label (Bayesian games) or variable -> value
(bilevel problems).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stackopt.certificate import Certificate, jsonable
from stackopt.status import Status
from stackopt.vocabulary import upgrade_stats


@dataclass(frozen=True)
class LeaderOutcome:
    """The leader's side of a result: who, what it commits to, what it gets."""

    name: str
    commitment: Mapping[str, float]
    value: float | None
    #: incentive games only (emitted only when set): the incentives paid per follower action
    #: (or per leader action, then follower action) and the expected payment
    incentives: Mapping[str, Any] | None = None
    payment: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "commitment": jsonable(dict(self.commitment)),
            "value": jsonable(self.value),
        }
        if self.incentives is not None:
            out["incentives"] = jsonable(dict(self.incentives))
        if self.payment is not None:
            out["payment"] = jsonable(self.payment)
        return out


@dataclass(frozen=True)
class FollowerOutcome:
    """The follower's side of a result: who, how it responds, what it gets."""

    name: str
    response: Any
    value: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "response": jsonable(self.response),
            "value": jsonable(self.value),
        }


@dataclass(frozen=True)
class Result:
    """A solved (or unsolvable) Stackelberg problem, with its certificate.

    Attributes
    ----------
    kind
        The game kind (``normal_form``, ``bayesian``, ``bilevel``, ...).
    status
        Solver outcome; an equilibrium is only claimed when ``status`` is ``OPTIMAL``.
    method
        The formulation used (``multiple_lps``, ``pure_commitment``, ``kkt_bigm``, ...).
    leader, follower
        Commitment, response and values. Empty mappings / ``None`` when nothing was found.
    certificate
        The checks made on the answer; ``None`` only when there is no answer to check.
    stats
        Solve statistics: wall-clock times (seconds), LP counts, node counts.
    options
        The options the method ran with (tolerances, restrictions, engine).
    game
        The game's name, when it has one.
    message
        A human-readable explanation, e.g. why a problem is infeasible.
    """

    kind: str
    status: Status
    method: str
    leader: LeaderOutcome
    follower: FollowerOutcome
    certificate: Certificate | None
    stats: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    game: str | None = None
    message: str = ""

    # -- construction ----------------------------------------------------------
    @classmethod
    def answered(
        cls,
        game: Any,
        status: Status,
        method: str,
        commitment: Mapping[str, float],
        leader_value: float | None,
        response: Any,
        follower_value: Any,
        certificate: Certificate | None,
        stats: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        message: str | None = None,
        *,
        incentives: Mapping[str, Any] | None = None,
        payment: float | None = None,
    ) -> Result:
        """The result of a solve of ``game`` that has an answer (the one constructor every
        kind's solve facade uses).

        ``kind``, ``game`` and the players' names come from ``game`` (``game.kind``,
        ``game.name``, ``game.leader_name``, ``game.follower_name``; a security game names
        its defender and attacker through these). ``stats`` and ``options`` are kept as
        given (``{}`` when omitted). ``message=None`` states the certificate's verdict:
        ``""`` when it passed, else ``"certificate failed: "`` and its summary
        (:func:`certificate_message`). ``incentives`` and ``payment`` are the incentive
        games' leader fields.
        """
        return cls(
            kind=game.kind,
            status=status,
            method=method,
            leader=LeaderOutcome(
                game.leader_name, commitment, leader_value, incentives=incentives, payment=payment
            ),
            follower=FollowerOutcome(game.follower_name, response, follower_value),
            certificate=certificate,
            stats={} if stats is None else stats,
            options={} if options is None else options,
            game=game.name,
            message=certificate_message(certificate) if message is None else message,
        )

    @classmethod
    def unanswered(
        cls,
        game: Any,
        status: Status,
        method: str,
        message: str,
        options: Mapping[str, Any] | None = None,
        stats: Mapping[str, Any] | None = None,
        *,
        response: Any = None,
    ) -> Result:
        """A result without an answer (infeasible, unbounded, stopped): empty commitment, no
        values, no certificate, the reason in ``message``. ``response`` is the follower's
        empty response (``None``; ``{}`` for kinds whose response maps variables to values).
        Works for any object as ``game``: missing names fall back to ``"leader"`` and
        ``"follower"``, a missing kind to ``"unknown"``."""
        return cls(
            kind=str(getattr(game, "kind", "unknown")),
            status=status,
            method=method,
            leader=LeaderOutcome(str(getattr(game, "leader_name", "leader")), {}, None),
            follower=FollowerOutcome(
                str(getattr(game, "follower_name", "follower")), response, None
            ),
            certificate=None,
            stats={} if stats is None else stats,
            options={} if options is None else options,
            game=getattr(game, "name", None),
            message=message,
        )

    # -- convenience ---------------------------------------------------------
    @property
    def certified(self) -> bool:
        """True when the status is optimal and every certificate check passed."""
        return (
            self.status is Status.OPTIMAL
            and self.certificate is not None
            and self.certificate.passed
        )

    @property
    def commitment(self) -> Mapping[str, float]:
        return self.leader.commitment

    @property
    def response(self) -> Any:
        return self.follower.response

    @property
    def leader_value(self) -> float | None:
        return self.leader.value

    @property
    def follower_value(self) -> Any:
        return self.follower.value

    # -- display ---------------------------------------------------------------
    def __repr__(self) -> str:
        """One line: kind, game, status, method, values and the certificate's verdict."""

        def val(v: Any) -> str:
            if isinstance(v, Mapping):
                return (
                    "{"
                    + ", ".join(f"{k}: {val(x)}" for k, x in list(v.items())[:3])
                    + (", ..." if len(v) > 3 else "")
                    + "}"
                )
            return f"{v:.6g}" if isinstance(v, float) else repr(v)

        cert = (
            "no certificate"
            if self.certificate is None
            else (
                "certified"
                if self.certified
                else ("certificate passed" if self.certificate.passed else "certificate FAILED")
            )
        )
        game = f" {self.game!r}" if self.game else ""
        return (
            f"<Result {self.kind}{game} {self.status.value} by {self.method}: leader "
            f"{val(self.leader.value)}, follower {val(self.follower.value)}; {cert}>"
        )

    def _repr_html_(self) -> str:
        """An HTML table for notebooks: both players and the certificate's checks."""
        from html import escape

        from stackopt.report import decision_text, fmt

        def strategy(x: Any) -> str:
            if isinstance(x, Mapping):
                return decision_text(x, mixed=self.kind in _mixed_kinds())
            return fmt(x)

        def value(v: Any) -> str:
            if isinstance(v, Mapping):
                return ", ".join(f"{k} {fmt(x)}" for k, x in v.items())
            return fmt(v)

        head = (
            f"<b>{escape(self.game or '(unnamed)')}</b> [{escape(self.kind)}] method "
            f"<code>{escape(self.method)}</code>, status <b>{escape(self.status.value)}"
            "</b>"
        )
        msg = f"<br><i>{escape(self.message)}</i>" if self.message else ""
        rows = "".join(
            f"<tr><td>{role}</td><td>{escape(who.name)}</td><td>{escape(value(who.value))}"
            f"</td><td>{escape(strategy(x))}</td></tr>"
            for role, who, x in (
                ("leader", self.leader, self.leader.commitment),
                ("follower", self.follower, self.follower.response),
            )
        )
        table = (
            "<table><tr><th>role</th><th>player</th><th>value</th><th>strategy</th>"
            f"</tr>{rows}</table>"
        )
        cert = "" if self.certificate is None else self.certificate._repr_html_()
        return f"<div>{head}{msg}{table}{cert}</div>"

    # -- serialisation -------------------------------------------------------
    def _header(self) -> dict[str, Any]:
        """What was solved and how: ``kind``, ``game``, ``status`` (its value) and ``method``,
        the first keys of :meth:`to_dict`, :meth:`summary` and ``to_frame().attrs``."""
        return {
            "kind": self.kind,
            "game": self.game,
            "status": self.status.value,
            "method": self.method,
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON dictionary with the keys documented in the module docstring."""
        return {
            **self._header(),
            "leader": self.leader.to_dict(),
            "follower": self.follower.to_dict(),
            "certificate": None if self.certificate is None else self.certificate.to_dict(),
            "stats": jsonable(dict(self.stats)),
            "options": jsonable(dict(self.options)),
            "message": self.message,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        """Rebuild a result from its JSON form (also accepts minimal JSON from other tools).

        Only ``leader.commitment`` and ``follower.response`` are required; values, status and
        certificate are optional and re-derived by :func:`stackopt.verify`.
        """
        from stackopt.errors import InputError

        if not isinstance(data, Mapping):
            raise InputError(
                "a result must be a JSON object", fix="pass the output of 'stackopt solve --json'"
            )
        leader = data.get("leader")
        follower = data.get("follower")
        if not isinstance(leader, Mapping) or "commitment" not in leader:
            raise InputError(
                "missing 'leader.commitment'",
                field="leader.commitment",
                fix="a result needs the leader's commitment",
            )
        if not isinstance(follower, Mapping) or "response" not in follower:
            raise InputError(
                "missing 'follower.response'",
                field="follower.response",
                fix="a result needs the follower's response",
            )
        commitment = leader["commitment"]
        if isinstance(commitment, str):
            commitment = {commitment: 1.0}
        if not isinstance(commitment, Mapping):
            raise InputError(
                "must map labels to numbers",
                field="leader.commitment",
                fix='write e.g. {"inspect": 0.5, "skip": 0.5}',
            )
        try:
            status = Status(data.get("status", "optimal"))
        except ValueError:
            raise InputError(
                f"unknown status {data.get('status')!r}",
                field="status",
                fix="use one of " + ", ".join(s.value for s in Status),
            ) from None
        cert = data.get("certificate")
        for key in ("options", "stats"):
            if data.get(key) is not None and not isinstance(data.get(key), Mapping):
                raise InputError(
                    f"must be a mapping, got {type(data.get(key)).__name__}",
                    field=key,
                    fix=f"write {key} as an object or omit it",
                )
        if isinstance(cert, Mapping):
            try:
                cert = Certificate.from_dict(cert)
            except (KeyError, TypeError, ValueError, OverflowError) as exc:
                raise InputError(
                    f"malformed certificate ({type(exc).__name__}: {exc})",
                    field="certificate",
                    fix="omit the certificate or keep the one stackopt wrote",
                ) from None
        else:
            cert = None
        value = leader.get("value")
        if value is not None and as_number(value) is None:  # optional, but a number when present
            raise InputError(
                f"must be a number, got {value!r}",
                field="leader.value",
                fix="write the leader's value as a number, or omit it",
            )
        return cls(
            kind=str(data.get("kind") or ""),  # "" when absent: verify takes the game's
            status=status,
            method=str(data.get("method", "unknown")),
            leader=LeaderOutcome(
                name=str(leader.get("name", "leader")),
                commitment=dict(commitment),
                value=as_number(leader.get("value")),
                incentives=leader.get("incentives"),
                payment=leader.get("payment"),
            ),
            follower=FollowerOutcome(
                name=str(follower.get("name", "follower")),
                response=follower["response"],
                value=follower.get("value"),
            ),
            certificate=cert,
            stats=upgrade_stats(data.get("stats") or {}),
            options=dict(data.get("options") or {}),
            game=data.get("game"),
            message=str(data.get("message", "")),
        )

    def to_frame(self, layout: str = "decision"):
        """:class:`pandas.DataFrame` of the leader's decision: one row per commitment entry.

        The columns are declared by the kind (:attr:`stackopt.kinds.registry.KindSpec.frame`,
        listed in the API docs): the entry's label (``action``, ``target``, ``variable``,
        ``arc``), the leader's decision for it (``probability``, ``coverage``, ``value``,
        ``interdicted``), kind-specific columns, then ``leader_value`` and
        ``follower_value`` (floats; NaN when missing, or when the follower's value is one per
        type). Numbers are numeric, labels are strings. ``frame.attrs`` holds ``kind``,
        ``game``, ``status``, ``method``, ``leader``, ``follower``, ``response`` and, when it
        is a mapping, ``follower_value``.

        ``layout="long"`` gives the pre-0.2 long form (``player``, ``name``, ``label``,
        ``value``; one row per commitment and response entry), with a
        :class:`DeprecationWarning`.
        """
        import pandas as pd

        if layout == "long":
            import warnings

            warnings.warn(
                "to_frame(layout='long') is deprecated; the default layout has "
                "typed columns per kind",
                DeprecationWarning,
                stacklevel=2,
            )
            return self._long_frame()
        if layout != "decision":
            raise ValueError(f"unknown layout {layout!r}; use 'decision' or 'long'")
        from stackopt.kinds.registry import DEFAULT_FRAME, kinds, load_target

        spec = kinds().get(self.kind)
        frame = (spec.frame if spec is not None else None) or DEFAULT_FRAME
        labels = [str(k) for k in self.leader.commitment]
        n = len(labels)
        data: dict[str, Any] = {
            frame.entry.name: labels,
            frame.value.name: list(self.leader.commitment.values()),
        }
        extra = load_target(frame.rows)(self) if frame.rows else {}
        for col in frame.columns:
            data[col.name] = list(extra.get(col.name, [None] * n))
        data["leader_value"] = [as_number(self.leader.value)] * n
        fv = self.follower.value
        data["follower_value"] = [None if isinstance(fv, Mapping) else as_number(fv)] * n
        df = pd.DataFrame(data, columns=[c.name for c in frame.all_columns()])
        for col in frame.all_columns():
            df[col.name] = df[col.name].astype(col.dtype)
        df.attrs.update(
            {
                **self._header(),
                "leader": self.leader.name,
                "follower": self.follower.name,
                "response": self.follower.response,
            }
        )
        if isinstance(fv, Mapping):
            df.attrs["follower_value"] = dict(fv)
        return df

    def _long_frame(self):
        import pandas as pd

        rows = [
            {"player": "leader", "name": self.leader.name, "label": k, "value": v}
            for k, v in self.leader.commitment.items()
        ]
        resp = self.follower.response
        if isinstance(resp, Mapping):
            rows += [
                {"player": "follower", "name": self.follower.name, "label": str(k), "value": v}
                for k, v in resp.items()
            ]
        elif resp is not None:
            rows.append(
                {"player": "follower", "name": self.follower.name, "label": str(resp), "value": 1.0}
            )
        return pd.DataFrame(rows, columns=["player", "name", "label", "value"])

    def summary(self) -> dict[str, Any]:
        """Flat one-row summary for batch tables (``game`` first)."""
        return {
            "game": self.game,  # keeps its first place when the header sets it again
            **self._header(),
            "leader": self.leader.name,
            "leader_value": self.leader.value,
            "follower": self.follower.name,
            "follower_value": self.follower.value
            if not isinstance(self.follower.value, Mapping)
            else None,
            "certified": self.certified,
        }


def as_number(x: Any) -> float | None:
    """A number read from a result: ``float(x)``, the strings ``"inf"``/``"-inf"`` as
    infinities, ``None`` when ``x`` is absent or not a number."""
    if x is None:
        return None
    if isinstance(x, str) and x in ("inf", "-inf"):
        return math.inf if x == "inf" else -math.inf
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _mixed_kinds() -> set[str]:
    from stackopt.kinds.registry import kinds

    return {name for name, spec in kinds().items() if spec.mixed}


def certificate_message(certificate: Certificate | None) -> str:
    """A result's message about its certificate: ``""`` when there is none or it passed,
    else ``"certificate failed: "`` and the failed checks' summary."""
    if certificate is None or certificate.passed:
        return ""
    return "certificate failed: " + certificate.summary()


def failure_result(
    game: Any,
    options: Mapping[str, Any],
    message: str,
    method: str | None,
    status: Status = Status.ERROR,
    *,
    stats: Mapping[str, Any] | None = None,
) -> Result:
    """A result without an answer (``status`` ``error`` or ``time_limit``) for a solve of
    ``game`` that stopped: empty commitment, no values, no certificate, the reason in
    ``message`` (and what the solve measured before it stopped in ``stats``). The method is
    ``options["method"]``, else ``method``, else ``"unknown"``."""
    return Result.unanswered(
        game,
        status,
        str(options.get("method") or method or "unknown"),
        message,
        dict(options),
        dict(stats or {}),
    )
