"""Game kinds: one package per kind, each declaring a :class:`~stackopt.kinds.registry.KindSpec`.

To add a kind, create ``stackopt/kinds/<kind>/`` with a ``KIND = KindSpec(...)`` in its
``__init__.py`` and add its name to :data:`BUILTIN_KINDS` (one line; see CONTRIBUTING.md).
Third-party packages register kinds through the ``stackopt.kinds`` entry-point group instead.
"""

#: The built-in kinds, in the order ``stackopt methods`` and the docs list them.
BUILTIN_KINDS: tuple[str, ...] = (
    "normal_form",
    "bayesian",
    "security",
    "bilevel",
    "interdiction",
    "incentive",
    "mdp",
)
