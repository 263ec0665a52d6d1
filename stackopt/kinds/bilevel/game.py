"""Bilevel problems: a leader's optimisation problem constrained by a follower's.

A :class:`BilevelProblem` (``kind = "bilevel"``) is stored in matrix form and validated on
construction; it knows nothing of files, solvers or Pyomo.

.. math::

    \\min_{x, y}\\; c_x^\\top x + c_y^\\top y
    \\quad\\text{s.t.}\\quad g^{lo} \\le G_x x + G_y y \\le g^{hi},\\;
    x^{lo} \\le x \\le x^{hi},\\; x_j \\in \\mathbb Z\\ (j \\in J),\\;
    y \\in \\arg\\min_{y'} \\{ d_y^\\top y' + x^\\top D^\\top y' + \\tfrac12 y'^\\top Q y' :
    a^{lo} \\le A_x x + A_y y' \\le a^{hi},\\; y^{lo} \\le y' \\le y^{hi} \\}

Semantics (optimistic / strong bilevel solution, Dempe 2002): the leader chooses ``x`` and,
among the follower's optimal responses, the one best for the leader. *Leader constraints*
(``G``) may involve the follower's variables ("coupling constraints"); the follower does not
see them: a leader decision is feasible when at least one of the follower's optimal responses
satisfies them (the response chosen is then the leader's best such response). Follower terms
in ``x`` alone (``d_x``) do not change the follower's choice; they only enter its reported value.

Objectives may be given to maximise; they are stored as given (``*_sense``) and the ``min_*``
properties return the minimisation form used by every formulation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from stackopt.checks.inputs import as_float, player_names
from stackopt.errors import InputError, UnsupportedError

VAR_TYPES = ("continuous", "integer", "binary")
SENSES = ("minimize", "maximize")


@dataclass(frozen=True, eq=False)
class BilevelProblem:
    """A linear (or follower-convex-quadratic) bilevel problem in matrix form.

    Parameters
    ----------
    leader_variables, follower_variables
        Unique variable names (``x`` and ``y``).
    leader_types
        ``continuous``, ``integer`` or ``binary`` per leader variable (default continuous).
    leader_lower, leader_upper, follower_lower, follower_upper
        Bounds (``-inf``/``inf`` when absent). Binary variables get ``[0, 1]``.
    leader_cost_x, leader_cost_y, leader_constant
        Leader objective ``c_x x + c_y y + c_0``; ``leader_sense`` minimize/maximize.
    leader_rows_x, leader_rows_y, leader_rows_lower, leader_rows_upper
        Leader constraints ``g_lo <= G_x x + G_y y <= g_hi`` (rows may be empty).
    follower_cost_x, follower_cost_y, follower_quadratic, follower_constant
        Follower objective ``d_x x + d_y y + 1/2 y'Qy + d_0`` (``Q`` symmetric, ``None``
        when linear); ``follower_sense`` minimize/maximize. ``follower_cross``: optional
        ``ny x nx`` matrix ``D`` adding ``y' D x`` (products of leader and follower variables,
        e.g. from ``(y - x)^2``). ``leader_cross``: optional ``ny x nx`` matrix ``H`` adding
        ``y' H x`` to the leader's objective (a rate times a follower quantity: tolls,
        subsidies, fines; solved by :mod:`stackopt.formulations.bilinear_leader`). The
        minimisation form must be
        convex (``Q`` positive semidefinite), otherwise :class:`UnsupportedError`.
    follower_rows_x, follower_rows_y, follower_rows_lower, follower_rows_upper
        Follower constraints ``a_lo <= A_x x + A_y y <= a_hi``.
    leader_row_names, follower_row_names
        Optional labels for the constraint rows (used in messages and certificates).
    """

    leader_variables: tuple[str, ...]
    follower_variables: tuple[str, ...]
    leader_cost_x: np.ndarray
    leader_cost_y: np.ndarray
    follower_cost_y: np.ndarray
    follower_rows_x: np.ndarray
    follower_rows_y: np.ndarray
    follower_rows_lower: np.ndarray
    follower_rows_upper: np.ndarray
    leader_types: tuple[str, ...] = ()
    # The fields below marked "normalised" accept None (= the documented default) but
    # __post_init__ always stores a read-only array in them, so they are typed as arrays.
    leader_lower: np.ndarray = None  # type: ignore[assignment]  # normalised
    leader_upper: np.ndarray = None  # type: ignore[assignment]  # normalised
    follower_lower: np.ndarray = None  # type: ignore[assignment]  # normalised
    follower_upper: np.ndarray = None  # type: ignore[assignment]  # normalised
    leader_constant: float = 0.0
    leader_sense: str = "minimize"
    leader_rows_x: np.ndarray = None  # type: ignore[assignment]  # normalised
    leader_rows_y: np.ndarray = None  # type: ignore[assignment]  # normalised
    leader_rows_lower: np.ndarray = None  # type: ignore[assignment]  # normalised
    leader_rows_upper: np.ndarray = None  # type: ignore[assignment]  # normalised
    follower_cost_x: np.ndarray = None  # type: ignore[assignment]  # normalised
    follower_cross: np.ndarray | None = None
    leader_cross: np.ndarray | None = None
    follower_quadratic: np.ndarray | None = None
    follower_constant: float = 0.0
    follower_sense: str = "minimize"
    leader_row_names: tuple[str, ...] = ()
    follower_row_names: tuple[str, ...] = ()
    leader_name: str = "leader"
    follower_name: str = "follower"
    name: str | None = None

    kind: ClassVar[str] = "bilevel"

    def __post_init__(self) -> None:
        lv = _names(self.leader_variables, "leader.variables")
        fv = _names(self.follower_variables, "follower.variables")
        both = set(lv) & set(fv)
        if both:
            raise InputError(
                f"variable {sorted(both)[0]!r} is declared by both players",
                field="follower.variables",
                fix="give each variable one owner",
            )
        nx, ny = len(lv), len(fv)
        if ny == 0:
            raise InputError(
                "the follower has no variables",
                field="follower.variables",
                fix="declare at least one follower variable",
            )
        types = tuple(self.leader_types) or ("continuous",) * nx
        if len(types) != nx:
            raise InputError(
                f"{len(types)} types for {nx} leader variables",
                field="leader.variables",
                fix="give one type per variable",
            )
        for k, t in enumerate(types):
            if t not in VAR_TYPES:
                raise InputError(
                    f"unknown type {t!r}",
                    field=f"leader.variables.{lv[k]}.type",
                    fix="use continuous, integer or binary",
                )
        xl = _vec(self.leader_lower, nx, "leader.variables (lower)", -np.inf)
        xu = _vec(self.leader_upper, nx, "leader.variables (upper)", np.inf)
        for k, t in enumerate(types):
            if t == "binary":
                xl[k], xu[k] = max(xl[k], 0.0), min(xu[k], 1.0)
            if t != "continuous":
                xl[k], xu[k] = np.ceil(xl[k] - 1e-9), np.floor(xu[k] + 1e-9)
        yl = _vec(self.follower_lower, ny, "follower.variables (lower)", -np.inf)
        yu = _vec(self.follower_upper, ny, "follower.variables (upper)", np.inf)
        for who, names, lo, hi in (("leader", lv, xl, xu), ("follower", fv, yl, yu)):
            bad = np.flatnonzero(lo > hi)
            if bad.size:
                k = int(bad[0])
                raise InputError(
                    f"lower bound {lo[k]:g} exceeds upper bound {hi[k]:g}",
                    field=f"{who}.variables.{names[k]}",
                    fix="swap or correct the bounds",
                )
            if np.any(lo == np.inf) or np.any(hi == -np.inf):
                raise InputError(
                    "a lower bound of +inf or upper bound of -inf",
                    field=f"{who}.variables",
                    fix="use finite bounds",
                )
        for s, f in (
            (self.leader_sense, "leader.objective"),
            (self.follower_sense, "follower.objective"),
        ):
            if s not in SENSES:
                raise InputError(f"unknown sense {s!r}", field=f, fix="use minimize or maximize")
        set_ = object.__setattr__
        set_(self, "leader_variables", lv)
        set_(self, "follower_variables", fv)
        set_(self, "leader_types", types)
        set_(self, "leader_lower", _ro(xl))
        set_(self, "leader_upper", _ro(xu))
        set_(self, "follower_lower", _ro(yl))
        set_(self, "follower_upper", _ro(yu))
        set_(self, "leader_cost_x", _ro(_vec(self.leader_cost_x, nx, "leader.objective", 0.0)))
        set_(self, "leader_cost_y", _ro(_vec(self.leader_cost_y, ny, "leader.objective", 0.0)))
        set_(
            self, "follower_cost_x", _ro(_vec(self.follower_cost_x, nx, "follower.objective", 0.0))
        )
        set_(
            self, "follower_cost_y", _ro(_vec(self.follower_cost_y, ny, "follower.objective", 0.0))
        )
        set_(self, "leader_constant", _finite(self.leader_constant, "leader.objective"))
        set_(self, "follower_constant", _finite(self.follower_constant, "follower.objective"))
        # rows
        fx, fy, flo, fhi = _rows(
            self.follower_rows_x,
            self.follower_rows_y,
            self.follower_rows_lower,
            self.follower_rows_upper,
            nx,
            ny,
            "follower.constraints",
        )
        gx, gy, glo, ghi = _rows(
            self.leader_rows_x,
            self.leader_rows_y,
            self.leader_rows_lower,
            self.leader_rows_upper,
            nx,
            ny,
            "leader.constraints",
        )
        for nm, arr in (
            ("follower_rows_x", fx),
            ("follower_rows_y", fy),
            ("follower_rows_lower", flo),
            ("follower_rows_upper", fhi),
            ("leader_rows_x", gx),
            ("leader_rows_y", gy),
            ("leader_rows_lower", glo),
            ("leader_rows_upper", ghi),
        ):
            set_(self, nm, _ro(arr))
        set_(self, "follower_row_names", _row_names(self.follower_row_names, fy.shape[0], "f"))
        set_(self, "leader_row_names", _row_names(self.leader_row_names, gy.shape[0], "g"))
        Q = self.follower_quadratic
        if Q is not None:
            Q = np.array(Q, dtype=float)
            if Q.shape != (ny, ny) or not np.all(np.isfinite(Q)):
                raise InputError(
                    f"quadratic term must be a finite {ny}x{ny} matrix",
                    field="follower.objective",
                    fix="check the quadratic terms",
                )
            Q = (Q + Q.T) / 2.0
            if not np.any(Q):
                Q = None
        if Q is not None:
            Qmin = Q if self.follower_sense == "minimize" else -Q
            ev = np.linalg.eigvalsh(Qmin)
            if ev.min() < -1e-9 * max(1.0, abs(ev).max()):
                raise UnsupportedError(
                    f"the follower's objective is not convex (smallest eigenvalue of its "
                    f"quadratic part {ev.min():.3g})",
                    field="follower.objective",
                    fix="only linear or convex quadratic follower objectives can be solved "
                    "exactly (KKT conditions are then sufficient)",
                )
            Q = _ro(Q)
        set_(self, "follower_quadratic", Q)
        set_(self, "follower_cross", _cross(self.follower_cross, ny, nx, "", "follower.objective"))
        set_(self, "leader_cross", _cross(self.leader_cross, ny, nx, "leader ", "leader.objective"))
        player_names(("leader.name", self.leader_name), ("follower.name", self.follower_name))

    # -- sizes and minimisation forms ----------------------------------------
    @property
    def n_leader(self) -> int:
        return len(self.leader_variables)

    @property
    def n_follower(self) -> int:
        return len(self.follower_variables)

    @property
    def integer_leader(self) -> np.ndarray:
        """Boolean mask of integer or binary leader variables."""
        return np.array([t != "continuous" for t in self.leader_types], dtype=bool)

    @property
    def leader_sign(self) -> float:
        return 1.0 if self.leader_sense == "minimize" else -1.0

    @property
    def follower_sign(self) -> float:
        return 1.0 if self.follower_sense == "minimize" else -1.0

    @property
    def min_leader_cost(self) -> tuple[np.ndarray, np.ndarray]:
        """``(c_x, c_y)`` of the leader objective in minimisation form."""
        s = self.leader_sign
        return s * self.leader_cost_x, s * self.leader_cost_y

    @property
    def min_follower_cost(self) -> tuple[np.ndarray, np.ndarray | None]:
        """``(d_y, Q)`` of the follower objective in minimisation form."""
        s = self.follower_sign
        Q = None if self.follower_quadratic is None else s * self.follower_quadratic
        return s * self.follower_cost_y, Q

    @property
    def min_follower_cross(self) -> np.ndarray | None:
        """``D`` of the follower's ``y' D x`` term in minimisation form (``None`` if absent)."""
        return None if self.follower_cross is None else self.follower_sign * self.follower_cross

    def follower_gradient_constant(self, x: np.ndarray) -> np.ndarray:
        """``d + D x``: the follower's linear cost in ``y`` at ``x`` (minimisation form)."""
        d, _ = self.min_follower_cost
        D = self.min_follower_cross
        return d if D is None else d + D @ x

    @property
    def is_linear(self) -> bool:
        """True when the follower's objective has no quadratic and no cross terms."""
        return self.follower_quadratic is None and self.follower_cross is None

    @property
    def scale(self) -> float:
        """Largest absolute finite number in the problem (tolerances are relative to it)."""
        arrs = [
            self.leader_cost_x,
            self.leader_cost_y,
            self.follower_cost_y,
            *(a for a in (self.leader_cross, self.follower_cross) if a is not None),
            self.follower_rows_x,
            self.follower_rows_y,
            self.leader_rows_x,
            self.leader_rows_y,
        ]
        vals = [float(np.abs(a).max()) for a in arrs if a.size]
        for a in (
            self.follower_rows_lower,
            self.follower_rows_upper,
            self.leader_rows_lower,
            self.leader_rows_upper,
        ):
            fin = a[np.isfinite(a)]
            if fin.size:
                vals.append(float(np.abs(fin).max()))
        return max([1.0] + vals)

    # -- values ----------------------------------------------------------------
    def leader_value(self, x: np.ndarray, y: np.ndarray) -> float:
        """The leader's objective as stated (not sign-flipped), bilinear terms included."""
        v = float(self.leader_cost_x @ x + self.leader_cost_y @ y + self.leader_constant)
        if self.leader_cross is not None:
            v += float(y @ self.leader_cross @ x)
        return v

    @property
    def min_leader_cross(self) -> np.ndarray | None:
        """``H`` of the leader's ``y' H x`` term in minimisation form (``None`` if absent)."""
        return None if self.leader_cross is None else self.leader_sign * self.leader_cross

    def follower_value(self, x: np.ndarray, y: np.ndarray) -> float:
        """The follower's objective as stated (not sign-flipped)."""
        v = float(self.follower_cost_x @ x + self.follower_cost_y @ y + self.follower_constant)
        if self.follower_quadratic is not None:
            v += 0.5 * float(y @ self.follower_quadratic @ y)
        if self.follower_cross is not None:
            v += float(y @ self.follower_cross @ x)
        return v

    def vectors(
        self,
        commitment: Mapping[str, Any],
        response: Mapping[str, Any],
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` arrays from name -> value mappings (InputError on missing names)."""
        out = []
        for names, given, f in (
            (self.leader_variables, commitment, "leader.commitment"),
            (self.follower_variables, response, "follower.response"),
        ):
            if not isinstance(given, Mapping):
                raise InputError(
                    f"must map variable names to numbers, got {given!r}",
                    field=f,
                    fix="write {name: value}",
                )
            missing = [n for n in names if n not in given]
            extra = [n for n in given if n not in names]
            if missing or extra:
                what = f"missing {missing[0]!r}" if missing else f"unknown {extra[0]!r}"
                raise InputError(
                    f"{what}", field=f, fix="give one value per variable: " + ", ".join(names)
                )
            try:
                out.append(np.array([float(given[n]) for n in names]))
            except (TypeError, ValueError):
                raise InputError(
                    "values must be numbers", field=f, fix="write {name: number}"
                ) from None
        return out[0], out[1]

    def __repr__(self) -> str:
        return (
            f"BilevelProblem(name={self.name!r}, leader={self.n_leader} vars, "
            f"follower={self.n_follower} vars, {self.follower_rows_y.shape[0]} follower "
            f"rows, {self.leader_rows_y.shape[0]} leader rows)"
        )

    # -- constructors --------------------------------------------------------
    @classmethod
    def from_matrices(
        cls,
        *,
        c_x: Sequence[float],
        c_y: Sequence[float],
        A_x: Any,
        A_y: Any,
        b: Sequence[float],
        d_y: Sequence[float],
        G_x: Any = None,
        G_y: Any = None,
        h: Sequence[float] | None = None,
        x_lower: Any = None,
        x_upper: Any = None,
        y_lower: Any = 0.0,
        y_upper: Any = None,
        x_types: Sequence[str] | None = None,
        Q: Any = None,
        leader_variables: Sequence[str] | None = None,
        follower_variables: Sequence[str] | None = None,
        name: str | None = None,
    ) -> BilevelProblem:
        """Matrix form for large instances (both players minimise, rows are ``<=``).

        ``min c_x x + c_y y  s.t.  G_x x + G_y y <= h,  y in argmin {d_y y + 1/2 y'Qy :
        A_x x + A_y y <= b, y_lower <= y <= y_upper}``. Scalars broadcast; ``y_lower``
        defaults to 0 (the textbook convention). Names default to ``x[1]..``, ``y[1]..``.
        """
        A_y = np.atleast_2d(np.asarray(A_y, dtype=float))
        ny = len(np.atleast_1d(np.asarray(c_y, dtype=float)))
        nx = len(np.atleast_1d(np.asarray(c_x, dtype=float)))
        m = A_y.shape[0]
        A_x = np.zeros((m, nx)) if A_x is None else np.asarray(A_x, dtype=float).reshape(m, nx)
        b_arr = np.asarray(b, dtype=float).reshape(m)
        leader_rows: dict[str, Any] = {}  # no leader rows unless G is given
        if G_y is not None or G_x is not None:
            k = np.atleast_2d(np.asarray(G_y if G_y is not None else G_x)).shape[0]
            leader_rows = {
                "leader_rows_x": (
                    np.zeros((k, nx)) if G_x is None else np.asarray(G_x, float).reshape(k, nx)
                ),
                "leader_rows_y": (
                    np.zeros((k, ny)) if G_y is None else np.asarray(G_y, float).reshape(k, ny)
                ),
                "leader_rows_lower": np.full(k, -np.inf),
                "leader_rows_upper": np.asarray(h, dtype=float).reshape(k),
            }
        return cls(
            leader_variables=tuple(leader_variables or [f"x[{i + 1}]" for i in range(nx)]),
            follower_variables=tuple(follower_variables or [f"y[{j + 1}]" for j in range(ny)]),
            leader_types=tuple(x_types or ()),
            leader_lower=_broadcast(x_lower, nx, -np.inf),
            leader_upper=_broadcast(x_upper, nx, np.inf),
            follower_lower=_broadcast(y_lower, ny, -np.inf),
            follower_upper=_broadcast(y_upper, ny, np.inf),
            leader_cost_x=np.asarray(c_x, float),
            leader_cost_y=np.asarray(c_y, float),
            **leader_rows,
            follower_cost_y=np.asarray(d_y, float),
            follower_quadratic=Q,
            follower_rows_x=A_x,
            follower_rows_y=A_y,
            follower_rows_lower=np.full(m, -np.inf),
            follower_rows_upper=b_arr,
            name=name,
        )


# -- validation helpers ---------------------------------------------------------
def _names(names: Sequence[str], field: str) -> tuple[str, ...]:
    out = tuple(names)
    for n in out:
        if not isinstance(n, str) or not n.strip():
            raise InputError(
                f"variable name {n!r} is not a non-empty string",
                field=field,
                fix="name every variable",
            )
    if len(set(out)) != len(out):
        dup = next(n for n in out if out.count(n) > 1)
        raise InputError(f"variable {dup!r} declared twice", field=field, fix="use unique names")
    return out


def _broadcast(v: Any, n: int, default: float) -> np.ndarray:
    if v is None:
        return np.full(n, default)
    arr = np.asarray(v, dtype=float)
    return np.full(n, float(arr)) if arr.ndim == 0 else arr


def _vec(v: Any, n: int, field: str, default: float) -> np.ndarray:
    if v is None:
        return np.full(n, default, dtype=float)
    try:
        arr = np.array(v, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise InputError("must be numbers", field=field, fix="check the values") from None
    if arr.size != n:
        raise InputError(
            f"has {arr.size} entries, expected {n}", field=field, fix="give one entry per variable"
        )
    if np.any(np.isnan(arr)):
        raise InputError("contains NaN", field=field, fix="use numbers")
    return arr


def _finite(v: Any, field: str) -> float:
    try:
        x = as_float(v)
    except (TypeError, ValueError):
        raise InputError(
            f"constant term {v!r} is not a number", field=field, fix="use a finite number"
        ) from None
    if not np.isfinite(x):
        raise InputError("constant term is not finite", field=field, fix="use a finite number")
    return x


def _rows(Mx: Any, My: Any, lo: Any, hi: Any, nx: int, ny: int, field: str):
    if My is None and Mx is None:
        return np.zeros((0, nx)), np.zeros((0, ny)), np.zeros(0), np.zeros(0)
    My = np.atleast_2d(np.asarray(My, dtype=float)) if My is not None else None
    m = My.shape[0] if My is not None else np.atleast_2d(np.asarray(Mx)).shape[0]
    My = np.zeros((m, ny)) if My is None else My.reshape(m, ny)
    Mx = np.zeros((m, nx)) if Mx is None else np.asarray(Mx, dtype=float).reshape(m, nx)
    lo = np.full(m, -np.inf) if lo is None else np.asarray(lo, dtype=float).reshape(m)
    hi = np.full(m, np.inf) if hi is None else np.asarray(hi, dtype=float).reshape(m)
    if not (np.all(np.isfinite(Mx)) and np.all(np.isfinite(My))):
        raise InputError("coefficients must be finite", field=field, fix="check the rows")
    if (
        np.any(np.isnan(lo))
        or np.any(np.isnan(hi))
        or np.any(lo == np.inf)
        or np.any(hi == -np.inf)
    ):
        raise InputError("right-hand sides must be numbers", field=field, fix="check the rows")
    bad = np.flatnonzero(lo > hi)
    if bad.size:
        raise InputError(
            f"row {int(bad[0])} has lower side above upper side",
            field=f"{field}[{int(bad[0])}]",
            fix="correct the row",
        )
    return Mx, My, lo, hi


def _cross(M: Any, ny: int, nx: int, who: str, field: str) -> np.ndarray | None:
    """A finite ``ny x nx`` matrix of ``y' M x`` terms, read-only; ``None`` if absent or 0."""
    if M is None:
        return None
    M = np.array(M, dtype=float)
    if M.shape != (ny, nx) or not np.all(np.isfinite(M)):
        raise InputError(
            f"{who}cross terms must be a finite {ny}x{nx} matrix",
            field=field,
            fix="check the x*y terms",
        )
    return _ro(M) if np.any(M) else None


def _row_names(names: Sequence[str], m: int, prefix: str) -> tuple[str, ...]:
    names = tuple(names)
    if not names:
        return tuple(f"{prefix}{i}" for i in range(m))
    if len(names) != m:
        raise InputError(
            f"{len(names)} row names for {m} rows",
            field="constraints",
            fix="name every row or none",
        )
    return names


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a
