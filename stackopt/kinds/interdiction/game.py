r"""Shortest-path network interdiction games (Israeli & Wood 2002).

An :class:`InterdictionGame` is a directed graph :math:`G = (N, A)` with a *source* :math:`s`
and a *target* :math:`t`. Every arc :math:`e = (i, j)` has

* a length :math:`c_e \ge 0` (what the follower pays to traverse it),
* an interdiction cost :math:`r_e \ge 0` (what the leader pays to interdict it), and
* either a delay :math:`d_e \ge 0` (interdicting it makes its length :math:`c_e + d_e`)
  or ``removable=True`` (interdicting it deletes it from the graph).

The leader (*interdictor*) chooses a set :math:`X \subseteq A` with
:math:`\sum_{e \in X} r_e \le R` (the budget); the follower (*evader*) then takes a shortest
:math:`s`-:math:`t` path in the interdicted graph. The game is zero-sum: the leader maximises the
follower's shortest-path length, so both values are that length, and the follower's choice among
several shortest paths does not change either value (ties are irrelevant).

An undirected graph is read as two opposite arcs per edge, each with the edge's attributes and
each interdicted (and paid for) separately.

The class is validated on construction, immutable, and imports no solver. It uses networkx
(imported lazily) only to convert graphs and to compute shortest paths for certificates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from stackopt.checks.inputs import finite_input, in_file, player_names
from stackopt.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

ARC_SEPARATOR = "->"


def arc_key(tail: str, head: str) -> str:
    """The label of arc ``tail -> head`` used in results: ``"tail->head"``."""
    return f"{tail}{ARC_SEPARATOR}{head}"


def _number(value: Any, field: str, *, what: str) -> float:
    x = finite_input(
        value,
        field,
        what=what,
        fix="write a finite number >= 0",
        fix_finite="write a finite number >= 0 (use 'removable: true' to delete an arc)"
        if what == "delay"
        else None,
    )
    if x < 0:
        raise InputError(
            f"{what} {value!r} is negative",
            field=field,
            fix=f"{what}s must be >= 0 (shortest-path interdiction needs non-negative lengths)"
            if what != "budget"
            else "give a budget >= 0",
        )
    return x


def _node(value: Any, field: str) -> str:
    if isinstance(value, bool) or value is None:
        raise InputError(
            f"node label {value!r} is not a name",
            field=field,
            fix="use a string or a number as node label",
        )
    label = str(value).strip() if isinstance(value, str) else str(value)
    if not label:
        raise InputError("empty node label", field=field, fix="give every node a non-empty label")
    if ARC_SEPARATOR in label:
        raise InputError(
            f"node label {label!r} contains '{ARC_SEPARATOR}'",
            field=field,
            fix=f"'{ARC_SEPARATOR}' separates the ends of arc labels; rename the node",
        )
    return label


@dataclass(frozen=True)
class Arc:
    """One arc of an interdiction game (validated by :class:`InterdictionGame`).

    Attributes
    ----------
    tail, head
        Node labels (strings).
    length
        :math:`c_e \\ge 0`, the follower's cost of traversing the arc.
    delay
        :math:`d_e \\ge 0`, added to the length when the arc is interdicted (0 if removable).
    cost
        :math:`r_e \\ge 0`, the leader's cost of interdicting the arc.
    removable
        Interdiction deletes the arc instead of lengthening it.
    """

    tail: str
    head: str
    length: float
    delay: float = 0.0
    cost: float = 1.0
    removable: bool = False

    @property
    def key(self) -> str:
        """``"tail->head"``."""
        return arc_key(self.tail, self.head)

    @property
    def interdictable(self) -> bool:
        """Whether interdicting the arc can change anything (a positive delay, or removal)."""
        return self.removable or self.delay > 0

    def interdicted_length(self, interdicted: bool) -> float:
        """Length seen by the follower (``inf`` for a removed arc)."""
        if not interdicted:
            return self.length
        return math.inf if self.removable else self.length + self.delay


@dataclass(frozen=True, eq=False)
class InterdictionGame:
    """Shortest-path interdiction: leader removes/lengthens arcs, follower takes a shortest path.

    Parameters
    ----------
    arcs
        The arcs (:class:`Arc` or mappings with keys ``source``/``target`` (or ``tail``/``head``),
        ``length``, ``delay``, ``cost``, ``removable``). No two arcs may join the same ordered
        pair of nodes; self-loops are refused.
    source, target
        Distinct nodes: the follower travels from ``source`` to ``target``.
    budget
        :math:`R \\ge 0`: the total interdiction cost the leader may spend.
    nodes
        Extra isolated nodes (optional; nodes of the arcs are always included).
    leader_name, follower_name, name
        Labels for reports.

    Raises
    ------
    InputError
        Negative or non-finite lengths, delays, costs or budget; both a delay and
        ``removable``; unknown source/target; duplicate arcs; self-loops.
    """

    arcs: tuple[Arc, ...]
    source: str
    target: str
    budget: float
    nodes: tuple[str, ...] = ()
    leader_name: str = "interdictor"
    follower_name: str = "evader"
    name: str | None = None
    origin: str | None = None  # file the game was read from, for error messages

    kind: ClassVar[str] = "interdiction"

    def __post_init__(self) -> None:
        with in_file(self.origin):
            self._validate()

    def _validate(self) -> None:
        arcs = tuple(_arc(a, f"arcs[{k}]") for k, a in enumerate(self.arcs))
        seen: dict[tuple[str, str], int] = {}
        for k, a in enumerate(arcs):
            if a.tail == a.head:
                raise InputError(
                    f"self-loop at node {a.tail!r}",
                    field=f"arcs[{k}]",
                    fix="remove it: a self-loop never lies on a shortest path",
                )
            if (a.tail, a.head) in seen:
                raise InputError(
                    f"arc {a.key!r} is listed twice (also arcs[{seen[a.tail, a.head]}])",
                    field=f"arcs[{k}]",
                    fix="keep one arc per ordered pair of nodes",
                )
            seen[a.tail, a.head] = k
        nodes: dict[str, None] = {}
        for k, n in enumerate(self.nodes):
            nodes[_node(n, f"nodes[{k}]")] = None
        for a in arcs:
            nodes[a.tail] = None
            nodes[a.head] = None
        s = _node(self.source, "source")
        t = _node(self.target, "target")
        for field, v in (("source", s), ("target", t)):
            if v not in nodes:
                raise InputError(
                    f"unknown node {v!r}",
                    field=field,
                    fix="name a node that appears in an arc",
                )
        if s == t:
            raise InputError(
                f"source and target are both {s!r}",
                field="target",
                fix="give two different nodes",
            )
        budget = _number(self.budget, "budget", what="budget")
        player_names(
            ("leader.name", self.leader_name),
            ("follower.name", self.follower_name),
            distinct=True,
        )
        object.__setattr__(self, "arcs", arcs)
        object.__setattr__(self, "nodes", tuple(nodes))
        object.__setattr__(self, "source", s)
        object.__setattr__(self, "target", t)
        object.__setattr__(self, "budget", budget)

    # -- construction --------------------------------------------------------
    @classmethod
    def from_networkx(
        cls,
        graph: nx.Graph,
        source: Any,
        target: Any,
        budget: float,
        *,
        length: str = "length",
        delay: str = "delay",
        cost: str = "cost",
        removable: str = "removable",
        default_cost: float = 1.0,
        name: str | None = None,
        leader_name: str = "interdictor",
        follower_name: str = "evader",
    ) -> InterdictionGame:
        """Build a game from a networkx ``DiGraph`` (or ``Graph``: two opposite arcs per edge).

        Edge attributes (names configurable): ``length`` (required), ``delay`` (default 0),
        ``cost`` (default ``default_cost``), ``removable`` (default False). Node labels are
        converted with ``str``; two nodes with the same ``str`` are refused. Multigraphs are
        refused (keep one arc per ordered pair of nodes).
        """
        import networkx as nx

        if not isinstance(graph, nx.Graph):
            raise InputError(
                f"expected a networkx graph, got {type(graph).__name__}",
                field="graph",
                fix="pass a networkx DiGraph or Graph",
            )
        if graph.is_multigraph():
            raise InputError(
                "multigraphs are not supported",
                field="graph",
                fix="keep one arc per ordered pair of nodes (e.g. the shortest)",
            )
        labels: dict[Any, str] = {}
        back: dict[str, Any] = {}
        for v in graph.nodes:
            lab = _node(v, f"nodes[{v!r}]")
            if lab in back:
                raise InputError(
                    f"nodes {back[lab]!r} and {v!r} both print as {lab!r}",
                    field="graph.nodes",
                    fix="relabel the nodes uniquely",
                )
            labels[v] = lab
            back[lab] = v
        pairs: list[tuple[Any, Any, Mapping[str, Any]]] = []
        for u, v, data in graph.edges(data=True):
            pairs.append((u, v, data))
            if not graph.is_directed():
                pairs.append((v, u, data))
        arcs = []
        for u, v, data in pairs:
            field = f"graph.edges[{u!r}, {v!r}]"
            if length not in data:
                raise InputError(
                    f"edge has no '{length}' attribute",
                    field=field,
                    fix=f"set graph.edges[u, v]['{length}'] on every edge",
                )
            arcs.append(
                _arc(
                    {
                        "source": labels[u],
                        "target": labels[v],
                        "length": data[length],
                        "delay": data.get(delay, 0.0),
                        "cost": data.get(cost, default_cost),
                        "removable": data.get(removable, False),
                    },
                    field,
                )
            )
        if source not in labels:
            raise InputError(
                f"unknown node {source!r}", field="source", fix="name a node of the graph"
            )
        if target not in labels:
            raise InputError(
                f"unknown node {target!r}", field="target", fix="name a node of the graph"
            )
        return cls(
            arcs=tuple(arcs),
            source=labels[source],
            target=labels[target],
            budget=budget,
            nodes=tuple(labels.values()),
            name=name,
            leader_name=leader_name,
            follower_name=follower_name,
        )

    # -- properties ----------------------------------------------------------
    @cached_property
    def arc_index(self) -> dict[str, int]:
        """``"tail->head"`` -> position in :attr:`arcs`."""
        return {a.key: k for k, a in enumerate(self.arcs)}

    @property
    def scale(self) -> float:
        """Largest finite interdicted arc length :math:`\\max_e (c_e + d_e)` (at least 1)."""
        return max([1.0] + [a.length + a.delay for a in self.arcs])

    def path_length_bound(self, arcs: Iterable[Arc] | None = None) -> float:
        """:math:`U`: an upper bound on the length of any *simple* path after any interdiction.

        The sum of the :math:`|N| - 1` largest values of :math:`c_e + d_e` (removable arcs count
        with :math:`c_e`): a simple path has at most :math:`|N| - 1` arcs, and an interdicted
        arc that is not removed is no longer than :math:`c_e + d_e`.
        """
        arcs = self.arcs if arcs is None else tuple(arcs)
        w = sorted((a.length + a.delay for a in arcs), reverse=True)
        nodes = {a.tail for a in arcs} | {a.head for a in arcs}
        return float(sum(w[: max(len(nodes) - 1, 0)]))

    def to_networkx(self, interdicted: Mapping[str, Any] | None = None) -> nx.DiGraph:
        """The graph the follower sees: arc attribute ``weight`` is the (interdicted) length.

        ``interdicted`` maps arc labels to 0/1 (missing: 0); removed arcs are left out.
        """
        import networkx as nx

        chosen = interdicted or {}
        g = nx.DiGraph()
        g.add_nodes_from(self.nodes)
        for a in self.arcs:
            x = bool(round(float(chosen.get(a.key, 0))))
            w = a.interdicted_length(x)
            if math.isfinite(w):
                g.add_edge(a.tail, a.head, weight=w)
        return g

    def __repr__(self) -> str:
        nm = f" {self.name!r}" if self.name else ""
        return (
            f"<InterdictionGame{nm}: {len(self.nodes)} nodes, {len(self.arcs)} arcs, "
            f"{self.source!r} -> {self.target!r}, budget {self.budget:g}>"
        )


def _arc(a: Any, prefix: str) -> Arc:
    if isinstance(a, Arc):
        data: Mapping[str, Any] = {
            "source": a.tail,
            "target": a.head,
            "length": a.length,
            "delay": a.delay,
            "cost": a.cost,
            "removable": a.removable,
        }
    elif isinstance(a, Mapping):
        data = dict(a)
        if "tail" in data and "source" not in data:
            data["source"] = data.pop("tail")
        if "head" in data and "target" not in data:
            data["target"] = data.pop("head")
    else:
        raise InputError(
            f"an arc must be a mapping, got {type(a).__name__}",
            field=prefix,
            fix="write {source: a, target: b, length: 1, ...}",
        )
    allowed = {"source", "target", "length", "delay", "cost", "removable"}
    for key in data:
        if key not in allowed:
            raise InputError(
                f"unknown key {key!r}",
                field=f"{prefix}.{key}",
                fix="allowed keys: " + ", ".join(sorted(allowed)),
            )
    for key in ("source", "target", "length"):
        if key not in data or data[key] is None:
            raise InputError(
                "required key is missing",
                field=f"{prefix}.{key}",
                fix=f"give the arc's {key}",
            )
    tail = _node(data["source"], f"{prefix}.source")
    head = _node(data["target"], f"{prefix}.target")
    length = _number(data["length"], f"{prefix}.length", what="length")
    delay = data.get("delay")
    delay = 0.0 if delay is None else _number(delay, f"{prefix}.delay", what="delay")
    cost = data.get("cost")
    cost = 1.0 if cost is None else _number(cost, f"{prefix}.cost", what="cost")
    rem = data.get("removable", False)
    if rem is None:
        rem = False
    if type(rem).__module__ == "numpy" and type(rem).__name__ in ("bool", "bool_"):
        rem = bool(rem)  # numpy booleans from graph attributes
    if not isinstance(rem, bool):
        raise InputError(
            f"removable must be true or false, got {rem!r}",
            field=f"{prefix}.removable",
            fix="write true or false",
        )
    if rem and delay > 0:
        raise InputError(
            "an arc cannot have both a delay and 'removable: true'",
            field=f"{prefix}.delay",
            fix="interdiction either lengthens the arc (delay) or removes it",
        )
    return Arc(tail=tail, head=head, length=length, delay=delay, cost=cost, removable=rem)


def parse_arc(a: Any, where: Any, source: str | None, *, field_is_path: bool = False) -> Arc:
    """One validated :class:`Arc` from an ``Arc`` or a mapping (the YAML reader validates
    arcs files with it): fields are ``arcs[where].*`` (``where.*`` with ``field_is_path``)
    and every refusal names the file ``source``."""
    with in_file(source):
        return _arc(a, str(where) if field_is_path else f"arcs[{where}]")
