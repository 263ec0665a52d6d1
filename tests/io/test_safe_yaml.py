"""Safe YAML: plain data only, aliases/anchors/tags refused before construction."""

from __future__ import annotations

import pytest

from stackopt import InputError
from stackopt.io.safe_yaml import load_yaml_text, read_text


def test_plain_data_and_explicit_core_tags():
    assert load_yaml_text("a: [1, 2.5, x, true, null]") == {"a": [1, 2.5, "x", True, None]}
    assert load_yaml_text("a: !!str 3\nb: !!float 1") == {"a": "3", "b": 1.0}


@pytest.mark.parametrize(
    "text,word",
    [
        ("a: &x 1\nb: 2", "anchor '&x'"),
        ("a: [1]\nb: *x", "alias '*x'"),
        ("a: &x [1]\nb: *x", "anchor"),
        ("a: !!python/tuple [1, 2]", "tag"),
        ("a: !!binary aGk=", "tag"),
        ("a: !!set {x}", "tag"),
        ("a: !custom 1", "tag '!custom'"),
        ("a: [1, 2", "invalid YAML"),
        ("a: b: c", "invalid YAML"),
    ],
)
def test_refused(text, word):
    with pytest.raises(InputError) as ei:
        load_yaml_text(text, source="s.yaml")
    assert word in str(ei.value) and str(ei.value).startswith("s.yaml: ")
    assert str(ei.value).count("(fix:") == 1


def test_bom_is_accepted(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_bytes("\ufeffkind: x\n".encode("utf-8"))
    assert read_text(p) == "kind: x\n"
