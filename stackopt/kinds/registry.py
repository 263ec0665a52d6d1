"""The kind registry: one declaration per game kind, read by every layer that needs it.

A *kind* (``normal_form``, ``bayesian``, ``bilevel``, ...) is declared once, as a
:class:`KindSpec` named ``KIND`` in its package ``stackopt.kinds.<kind>``; the package is named
once in :data:`stackopt.kinds.BUILTIN_KINDS` (third-party kinds register through the
``stackopt.kinds`` entry-point group instead). Everything else reads the declaration:

- the loaders (:func:`stackopt.load_game`) find the YAML parser and the file readers;
- :func:`stackopt.solve` / :func:`stackopt.verify` find the solve and verify functions;
- the CLI builds ``solve``'s options, ``stackopt methods`` and the help texts from
  :attr:`KindSpec.methods` and :attr:`KindSpec.options`;
- ``stackopt export`` calls :attr:`KindSpec.export`; the report reads :attr:`KindSpec.mixed`;
  ``Result.to_frame`` reads the columns declared in :attr:`KindSpec.frame`.

Options are declared once (:class:`Option`: type, default, bounds, choices, doc) and checked in
one place (:func:`check_options`) with one message style. Functions are named by
``"module:attribute"`` strings and imported on first use, so reading the registry never imports
Pyomo or HiGHS.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import Any, Protocol, TypeVar

from stackopt.errors import InputError, UnsupportedError, shown_value

#: The default relative tolerance of every certificate (absolute tolerances are ``rtol`` times
#: each player's payoff scale). Declared here once; every kind imports it.
DEFAULT_RTOL = 1e-6

_TYPES = ("float", "int", "bool", "str", "labels")


@dataclass(frozen=True)
class Option:
    """One option of a kind or a method: its type, default, bounds and documentation.

    ``type`` is one of ``float``, ``int``, ``bool``, ``str`` or ``labels`` (a list of action
    labels; the CLI takes ``A,B,C``). ``default`` is what the solve function uses when the option
    is not given (``None``: none / chosen from the game). Bounds apply to numbers:
    ``minimum``/``maximum``, with ``exclusive_minimum`` for ``> minimum``.
    """

    name: str
    type: str
    default: Any = None
    doc: str = ""
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    exclusive_minimum: bool = False
    maximum: float | None = None
    exclusive_maximum: bool = False
    metavar: str | None = None

    def __post_init__(self) -> None:
        if self.type not in _TYPES:  # pragma: no cover - a declaration error
            raise ValueError(f"option {self.name}: unknown type {self.type!r}")

    @property
    def flag(self) -> str:
        """The command-line spelling, e.g. ``--time-limit``."""
        return "--" + self.name.replace("_", "-")

    def describe(self) -> str:
        """One line: type, range or choices, default, doc (for ``stackopt methods``)."""
        what = self.type
        if self.choices:
            what = "|".join(self.choices)
        elif self.minimum is not None or self.maximum is not None:
            lo = (
                ""
                if self.minimum is None
                else f"{'>' if self.exclusive_minimum else '>='} {self.minimum:g}"
            )
            hi = (
                ""
                if self.maximum is None
                else f"{'<' if self.exclusive_maximum else '<='} {self.maximum:g}"
            )
            what += " " + ", ".join(p for p in (lo, hi) if p)
        default = "" if self.default is None else f" (default {show_value(self.default)})"
        return f"{self.flag} {what}{default}: {self.doc}"

    def check(self, value: Any, kind: str) -> Any:
        """Return ``value`` converted to the option's type, or raise one :class:`InputError`."""
        if value is None:
            return None
        where = f"{self.flag} of {kind.replace('_', '-')} games"
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise _bad(self, value, where, "true or false")
        if self.type == "str":
            if not isinstance(value, str):
                raise _bad(self, value, where, "a name")
            if self.choices is not None and value not in self.choices:
                raise InputError(
                    f"unknown {self.name} {value!r} for {kind.replace('_', '-')} games",
                    field=self.name,
                    fix="use one of: " + ", ".join(self.choices),
                )
            return value
        if self.type == "labels":
            if isinstance(value, str):
                value = split_labels(value)
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise _bad(self, value, where, "a list of action labels")
            return list(value)
        # numbers
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _bad(self, value, where, "a number" if self.type == "float" else "a whole number")
        if self.type == "int":
            if isinstance(value, float) and not value.is_integer():
                raise _bad(self, value, where, "a whole number")
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise _bad(self, value, where, "a finite number")
        if self.minimum is not None and (
            value < self.minimum or (self.exclusive_minimum and value == self.minimum)
        ):
            op = ">" if self.exclusive_minimum else ">="
            raise _bad(self, value, where, f"a number {op} {self.minimum:g}")
        if self.maximum is not None and (
            value > self.maximum or (self.exclusive_maximum and value == self.maximum)
        ):
            op = "<" if self.exclusive_maximum else "<="
            raise _bad(self, value, where, f"a number {op} {self.maximum:g}")
        return value


def split_labels(text: str) -> list[str]:
    """``"A, B,,C"`` -> ``["A", "B", "C"]``: a comma-separated list of action labels."""
    return [t.strip() for t in text.split(",") if t.strip()]


def show_value(v: Any) -> str:
    """A value as the command line writes it (``true``, ``0.5``, ``x``)."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _bad(opt: Option, value: Any, where: str, want: str) -> InputError:
    return InputError(
        f"{where} must be {want}, got {shown_value(value)}",
        field=opt.name,
        fix=f"give {opt.flag} {want}"
        + (f", e.g. {show_value(opt.default)}" if opt.default is not None else ""),
    )


# The options every kind takes, declared once.
RTOL = Option(
    "rtol",
    "float",
    DEFAULT_RTOL,
    minimum=0.0,
    exclusive_minimum=True,
    maximum=1.0,
    exclusive_maximum=True,
    doc="relative tolerance of the certificate (absolute: rtol x each player's payoff scale)",
    metavar="R",
)
TIME_LIMIT = Option(
    "time_limit",
    "float",
    None,
    minimum=0.0,
    exclusive_minimum=True,
    doc="seconds for the solver (none by default); reaching it gives status error, exit 1",
    metavar="SECONDS",
)
METHOD = Option(
    "method", "str", None, doc="the formulation (see 'stackopt methods KIND')", metavar="M"
)
TIE_BREAK = Option(
    "tie_break",
    "str",
    "leader",
    choices=("leader", "adversarial"),
    doc="follower ties: leader (strong equilibrium) or adversarial (weak)",
)
COMMON_OPTIONS: tuple[Option, ...] = (METHOD, RTOL, TIME_LIMIT, TIE_BREAK)


@dataclass(frozen=True)
class Method:
    """One way of solving a kind.

    ``optimality`` says what the certificate's optimality check rests on: ``exact`` (a bound
    recomputed from the game, e.g. LP duality), ``enumeration`` or ``solver-reported`` (a MILP
    bound from HiGHS that ``verify`` cannot re-derive from the game alone). ``verify`` names a
    verify function for results of this method when it differs from the kind's. ``solvable`` is
    false for methods whose results ``verify`` reads but ``solve`` does not produce (e.g. Nash
    equilibria, computed by ``compare``).
    """

    name: str
    doc: str
    options: tuple[Option, ...] = ()
    optimality: str = "exact"
    verify: str | None = None
    solvable: bool = True


@dataclass(frozen=True)
class Column:
    """One typed, documented column of ``Result.to_frame()``: ``dtype`` is a pandas dtype
    (``string``, ``float64``, ``boolean``)."""

    name: str
    dtype: str
    doc: str


@dataclass(frozen=True)
class Frame:
    """The columns of ``Result.to_frame()`` for a kind: one row per leader decision entry.

    ``entry`` names the entry (an action, a target, a variable, an arc), ``value`` holds the
    leader's decision for it (probability, coverage, value, interdicted or not); ``columns``
    are further per-row columns computed by ``rows`` (``"module:function"``, called with the
    result, returning ``{column: [one value per entry]}``). Every frame ends with the float
    columns ``leader_value`` and ``follower_value`` (NaN when the follower's value is a
    mapping, e.g. one per type: it is then in ``frame.attrs["follower_value"]``).
    """

    entry: Column
    value: Column
    columns: tuple[Column, ...] = ()
    rows: str | None = None

    def all_columns(self) -> tuple[Column, ...]:
        return (self.entry, self.value, *self.columns, *VALUE_COLUMNS)


VALUE_COLUMNS = (
    Column("leader_value", "float64", "the leader's value (every row)"),
    Column(
        "follower_value", "float64", "the follower's value (every row; NaN when it is per type)"
    ),
)
DEFAULT_FRAME = Frame(
    Column("entry", "string", "a label of the leader's commitment"),
    Column("value", "float64", "its value"),
)


@dataclass(frozen=True)
class KindSpec:
    """Everything stackopt needs to know about a game kind.

    Attributes
    ----------
    name
        The ``kind:`` of YAML files and results.
    summary
        One line for ``stackopt methods`` and the docs.
    game
        ``"module:Class"`` of the validated game class (it knows nothing of Pyomo); a module
        starting with ``.`` is relative to ``package`` (``".game:NormalFormGame"``).
    solve, verify
        ``"module:function"``: ``solve(game, **options) -> Result`` and
        ``verify(game, result, **options) -> Certificate``. Left out, they follow the kind
        folder's layout (below).
    methods
        The methods, in the order ``stackopt methods`` lists them.
    default_method
        The method used when none is given; ``None`` when it depends on the game
        (``default_doc`` says how).
    options
        Options every method of this kind takes, besides :data:`COMMON_OPTIONS`.
    tie_breaks
        The tie rules the kind computes (``leader`` always; ``adversarial`` where supported).
    parse_yaml
        ``"module:function"`` with ``(data, *, source, base_dir) -> game`` for ``kind:`` YAML.
    readers
        Other file types: extension (``.csv``) -> ``"module:function"`` with ``(path) -> game``.
    export
        ``"module:function"`` with ``(game, **options) -> {name: Pyomo model}``: the models the
        solve uses, for ``stackopt export``; ``None`` when the kind has none.
    mixed
        Whether the leader's commitment is a probability distribution (the report lists its
        support) rather than decision variables (the report lists every variable's value).
    verify_options
        Options ``verify`` takes besides ``rtol``.
    docs
        The docs page of the kind.
    frame
        The typed columns of ``Result.to_frame()`` (:class:`Frame`); ``None`` gives
        :data:`DEFAULT_FRAME` (``entry``, ``value`` and the two values).
    package
        The package of the kind's folder (default ``stackopt.kinds.<name>``; a third-party kind
        gives its own, ``package=__name__``).

    **The layout convention.** A spec that leaves ``solve`` out (or names it relative to its
    package, ``".solve:solve_sse"``) follows the kind folder's layout for every function it
    does not name: ``solve`` is ``<package>.solve:solve_<name>``, ``verify``
    ``<package>.solve:verify_<name>``, ``parse_yaml`` ``<package>.io_yaml:parse_<name>``,
    ``export`` ``<package>.solve:export_models``, and ``docs`` is ``<name>``
    (``parse_yaml=None`` / ``export=None`` declare that the kind has none). A spec that names
    ``solve`` absolutely (``"mypkg.solve:run"``, as every spec did before the convention) is
    taken as written: ``verify`` must be named; no YAML parser, export or docs page unless
    named. Every target is stored absolute, so reading a spec imports nothing.
    """

    name: str
    summary: str
    game: str
    solve: str = ""
    verify: str = ""
    methods: tuple[Method, ...] = ()
    default_method: str | None = None
    default_doc: str = ""
    options: tuple[Option, ...] = ()
    tie_breaks: tuple[str, ...] = ("leader",)
    parse_yaml: str | None = ""
    readers: Mapping[str, str] = field(default_factory=dict)
    export: str | None = ""
    mixed: bool = False
    verify_options: tuple[Option, ...] = ()
    docs: str = ""
    frame: Frame | None = None
    package: str = ""

    def __post_init__(self) -> None:
        package = self.package or f"stackopt.kinds.{self.name}"
        # A spec naming ``solve`` absolutely is written the way every spec was before the
        # layout convention existed: it is taken as written (no YAML parser, no export).
        layout = not self.solve or self.solve.startswith(".")
        defaults = {
            "solve": f".solve:solve_{self.name}",
            "verify": f".solve:verify_{self.name}",
            "parse_yaml": f".io_yaml:parse_{self.name}" if layout else None,
            "export": ".solve:export_models" if layout else None,
        }
        docs = self.docs or (self.name if layout else "")
        resolved: dict[str, Any] = {"package": package, "docs": docs}
        for key, default in defaults.items():
            ref = getattr(self, key)
            if ref == "":
                if not layout and key == "verify":
                    raise ValueError(f"kind {self.name}: name its verify function")
                ref = default
            resolved[key] = None if ref is None else _absolute(ref, package)
        resolved["game"] = _absolute(self.game, package)
        resolved["readers"] = {ext: _absolute(r, package) for ext, r in self.readers.items()}
        resolved["methods"] = tuple(
            replace(m, verify=_absolute(m.verify, package)) if m.verify else m for m in self.methods
        )
        for key, value in resolved.items():
            object.__setattr__(self, key, value)

    # -- lookups ----------------------------------------------------------------------------
    def method(self, name: str) -> Method:
        for m in self.methods:
            if m.name == name:
                return m
        raise InputError(
            f"unknown method {name!r} for {self.name.replace('_', '-')} games",
            field="method",
            fix="use one of: " + ", ".join(m.name for m in self.methods if m.solvable),
        )

    def all_options(self, method: str | None = None) -> tuple[Option, ...]:
        """The options ``solve`` takes: common, kind-wide, and the method's (or every
        method's, when no method is named)."""
        methods = [self.method(method)] if method else list(self.methods)
        seen: dict[str, Option] = {}
        for opt in (*COMMON_OPTIONS, *self.options, *(o for m in methods for o in m.options)):
            seen.setdefault(opt.name, opt)
        return tuple(seen.values())

    def game_class(self) -> type:
        return load_target(self.game)

    def solve_function(self) -> Callable[..., Any]:
        return load_target(self.solve)

    def verify_function(self, method: str | None = None) -> Callable[..., Any]:
        for m in self.methods:
            if m.name == method and m.verify:
                return load_target(m.verify)
        return load_target(self.verify)


def _absolute(target: str, package: str) -> str:
    """``".solve:solve_x"`` -> ``"<package>.solve:solve_x"``; absolute targets unchanged."""
    return package + target if target.startswith(".") else target


def load_target(target: str) -> Any:
    """Import ``"module:attribute"``."""
    mod, _, attr = target.partition(":")
    return getattr(import_module(mod), attr)


def check_options(spec: KindSpec, options: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``options`` for ``spec`` in one place, with one message style.

    Unknown options, options of another method (unless given at their default, which changes
    nothing: scripts that loop over methods keep working), wrong types, out-of-range numbers and
    tie rules the kind does not compute are refused with an :class:`InputError` naming the
    option and the fix; an option at another method's default is dropped. Returns the given
    options converted to their declared types (defaults are not filled in: the solve
    function's signature holds the same defaults, which a test compares).
    """
    method = options.get("method")
    if method is not None:
        method = METHOD.check(method, spec.name)
        m = spec.method(method)
        if not m.solvable:
            raise InputError(
                f"method {method!r} is not a way to solve {spec.name.replace('_', '-')} games",
                field="method",
                fix="use one of: " + ", ".join(x.name for x in spec.methods if x.solvable),
            )
    allowed = {o.name: o for o in spec.all_options(method)}
    out: dict[str, Any] = {}
    for key, value in options.items():
        opt = allowed.get(key)
        if opt is None:
            other = [m.name for m in spec.methods if any(o.name == key for o in m.options)]
            default = [o.default for m in spec.methods for o in m.options if o.name == key]
            if other and value == default[0]:
                continue  # another method's option at its default changes nothing
            fix = (
                f"it belongs to method {' / '.join(other)}; drop it or add --method {other[0]}"
                if other
                else "drop it; 'stackopt methods " + spec.name + "' lists the options"
            )
            raise InputError(
                f"option --{key.replace('_', '-')} does not apply to "
                f"{spec.name.replace('_', '-')} games"
                + (f" solved by {method}" if method and other else ""),
                field=f"--{key.replace('_', '-')}",
                fix=fix,
            )
        out[key] = opt.check(value, spec.name)
    tie = out.get("tie_break")
    if tie is not None and tie not in spec.tie_breaks:
        raise UnsupportedError(
            f"tie_break {tie!r} is not available for {spec.name.replace('_', '-')} games",
            field="tie_break",
            fix="use " + " or ".join(repr(t) for t in spec.tie_breaks),
        )
    return out


@functools.lru_cache(maxsize=64)
def _keywords(fn: Callable[..., Any]) -> tuple[str, ...] | None:
    """The options ``fn(game, result, ...)`` takes; ``None`` when it takes ``**options``."""
    import inspect

    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return None
    return tuple(n for n, p in list(params.items())[2:] if p.kind is not p.VAR_POSITIONAL)


def check_verify_options(
    spec: KindSpec, verify: Callable[..., Any], options: Mapping[str, Any]
) -> dict[str, Any]:
    """Validate the keyword options of a ``verify`` call: ``rtol`` and the kind's
    ``verify_options`` are checked like solve options; any other name must be a keyword of
    ``verify`` itself (e.g. normal-form restrictions), else one :class:`InputError` lists what
    ``verify`` takes."""
    declared = {o.name: o for o in (RTOL, *spec.verify_options)}
    takes = _keywords(verify)
    if takes is None:  # pragma: no cover - a plugin's verify(game, result, **options)
        return {
            k: declared[k].check(v, spec.name) if k in declared else v for k, v in options.items()
        }
    out: dict[str, Any] = {}
    for key, value in options.items():
        if key not in takes:
            raise InputError(
                f"option {key!r} does not apply to verifying {spec.name.replace('_', '-')} results",
                field=key,
                fix="verify takes: " + ", ".join(takes),
            )
        opt = declared.get(key)
        out[key] = opt.check(value, spec.name) if opt is not None else value
    return out


F = TypeVar("F", bound=Callable[..., Any])


def validated(kind: str) -> Callable[[F], F]:
    """Decorate a kind's solve function so that its keyword options go through
    :func:`check_options` first (the function body then trusts them)."""

    def deco(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(game: Any, *args: Any, **options: Any) -> Any:
            return fn(game, *args, **check_options(get_kind(kind), options))

        return wrapper  # type: ignore[return-value]

    return deco


# -- the registry itself ----------------------------------------------------------------------
_KINDS: dict[str, KindSpec] = {}
_LOADED = False


class _Named(Protocol):
    @property
    def name(self) -> str: ...


S = TypeVar("S", bound=_Named)


def register_once(table: dict[str, S], spec: S, cls: type, what: str) -> S:
    """Put ``spec`` (a ``cls`` with a ``name``) in ``table``: the same object again is harmless,
    another one under a taken name is a ``ValueError``. Kinds and models register this way."""
    if not isinstance(spec, cls):
        raise TypeError(f"register_{what} takes a {cls.__name__}")
    name = spec.name
    old = table.get(name)
    if old is not None and old is not spec:
        raise ValueError(f"{what} {name!r} is registered already")
    table[name] = spec
    return spec


def register_kind(spec: KindSpec) -> KindSpec:
    """Add ``spec`` to the registry (third-party kinds; built-in kinds are listed in
    :data:`stackopt.kinds.BUILTIN_KINDS`). Registering a name twice is an error."""
    return register_once(_KINDS, spec, KindSpec, "kind")


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    from stackopt.kinds import BUILTIN_KINDS

    for name in BUILTIN_KINDS:
        register_kind(import_module(f"stackopt.kinds.{name}").KIND)
    _LOADED = True  # before entry points: a broken plugin must not hide the built-in kinds
    try:
        from importlib.metadata import entry_points

        eps = entry_points(group="stackopt.kinds")
    except Exception:  # pragma: no cover - broken metadata
        return
    for ep in eps:
        try:
            spec = ep.load()
            register_kind(spec() if callable(spec) and not isinstance(spec, KindSpec) else spec)
        except Exception as exc:  # pragma: no cover - a third-party plugin's fault
            import warnings

            warnings.warn(f"stackopt: kind plugin {ep.name!r} failed to load: {exc}", stacklevel=2)


def kinds() -> dict[str, KindSpec]:
    """Every registered kind, by name, built-in kinds first."""
    _load_all()
    return dict(_KINDS)


def get_kind(name: str) -> KindSpec:
    """The spec of kind ``name``; an :class:`InputError` listing the known kinds otherwise."""
    _load_all()
    spec = _KINDS.get(name) if isinstance(name, str) else None
    if spec is None:
        raise InputError(
            f"unknown kind {name!r}", field="kind", fix="use one of: " + ", ".join(_KINDS)
        )
    return spec


def spec_of(game: Any) -> KindSpec:
    """The spec of ``game``'s kind (its class attribute ``kind``)."""
    kind = getattr(game, "kind", None)
    _load_all()
    if not isinstance(kind, str) or kind not in _KINDS:
        raise InputError(
            f"cannot solve objects of type {type(game).__name__}",
            fix="pass a game from stackopt.load_game or a stackopt game class",
        )
    return _KINDS[kind]


def kind_for_extension(ext: str) -> KindSpec | None:
    """The kind that reads files ending in ``ext`` (``.csv``, ``.nfg``), if any."""
    for spec in kinds().values():
        if ext in spec.readers:
            return spec
    return None


def extensions() -> Sequence[str]:
    """Every file extension the loaders read."""
    out = [".yaml", ".yml"]
    for spec in kinds().values():
        out += [e for e in spec.readers if e not in out]
    return out
