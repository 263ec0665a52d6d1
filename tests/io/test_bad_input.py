"""Bad input (issue 2, item 6): every case through the API and through the CLI.

API: ``load_game`` raises :class:`InputError` whose one-line message names the file, the field
(where there is one) and a fix. CLI: ``stackopt solve FILE`` returns 2 and prints exactly one
line on stderr, without a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stackopt import InputError, load_game, load_result
from stackopt.cli import main
from stackopt.io import safe_yaml

GOOD_PAYOFFS = """\
payoffs:
  leader:   [[-1, -6], [0, -10]]
  follower: [[-1, -10], [0, 5]]
"""


def nf(
    body: str = "",
    payoffs: str = GOOD_PAYOFFS,
    players: str = "leader:   {name: inspector, actions: [inspect, skip]}\n"
    "follower: {name: inspectee, actions: [legal, violate]}\n",
) -> str:
    return "kind: normal_form\n" + players + body + payoffs


LOL = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]"
            for p, c in zip("abcdefgh", "bcdefghi")
        ]
    )
    + "\n"
)

LONG = "leader_action,follower_action,leader_payoff,follower_payoff\n"

# name -> (files {relative name: text or bytes}, file to load, field or None, words in message)
CASES: dict[str, tuple[dict, str, str | None, tuple[str, ...]]] = {
    "ragged": (
        {"g.yaml": nf(payoffs="payoffs:\n  leader: [[1, 2], [3]]\n  follower: [[1, 2], [3, 4]]\n")},
        "g.yaml",
        "payoffs.leader[1]",
        ("ragged",),
    ),
    "non_numeric": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[1, x], [3, 4]]\n  follower: [[1, 2], [3, 4]]\n"
            )
        },
        "g.yaml",
        "payoffs.leader[0][1]",
        ("not a number",),
    ),
    "quoted_number": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[1, '2'], [3, 4]]\n  follower: [[1, 2], [3, 4]]\n"
            )
        },
        "g.yaml",
        "payoffs.leader[0][1]",
        ("'2' is not a number",),
    ),
    "nan": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[1, 2], [3, 4]]\n  follower: [[.nan, 2], [3, 4]]\n"
            )
        },
        "g.yaml",
        "payoffs.follower[0][0]",
        ("not finite",),
    ),
    "inf": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[1, 2], [3, -.inf]]\n  follower: [[1, 2], [3, 4]]\n"
            )
        },
        "g.yaml",
        "payoffs.leader[1][1]",
        ("not finite",),
    ),
    "huge_integer": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[1, 2], [3, 4]]\n"
                "  follower: [[1, " + "9" * 400 + "], [3, 4]]\n"
            )
        },
        "g.yaml",
        "payoffs.follower[0][1]",
        ("too large",),
    ),
    "integer_beyond_str_limit": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[" + "9" * 5000 + "]]\n  follower: [[1]]\n",
                players="",
            )
        },
        "g.yaml",
        None,
        ("digits",),
    ),
    "empty_label": (
        {"g.yaml": nf(players="leader: {actions: [a, '']}\n")},
        "g.yaml",
        "leader.actions[1]",
        ("empty action label",),
    ),
    "duplicate_label": (
        {"g.yaml": nf(players="follower: {actions: [x, x]}\n")},
        "g.yaml",
        "follower.actions[1]",
        ("duplicate label 'x'",),
    ),
    "shape_mismatch": (
        {
            "g.yaml": nf(
                payoffs="payoffs:\n  leader: [[1, 2], [3, 4]]\n  follower: [[1, 2, 3], [3, 4, 5]]\n"
            )
        },
        "g.yaml",
        "payoffs",
        ("2x2", "2x3"),
    ),
    "label_count": (
        {"g.yaml": nf(players="follower: {actions: [x, y, z]}\n")},
        "g.yaml",
        "follower.actions",
        ("3 labels for 2 actions",),
    ),
    "unknown_top_key": (
        {"g.yaml": nf(body="payofs: 3\n")},
        "g.yaml",
        "payofs",
        ("unknown key", "allowed keys"),
    ),
    "unknown_nested_key": (
        {"g.yaml": nf(players="leader: {name: a, acts: [u, d]}\n")},
        "g.yaml",
        "leader.acts",
        ("unknown key", "name, actions"),
    ),
    "unknown_payoff_key": (
        {"g.yaml": nf(payoffs=GOOD_PAYOFFS + "  third: [[1]]\n")},
        "g.yaml",
        "payoffs.third",
        ("unknown key",),
    ),
    "unknown_kind": (
        {"g.yaml": "kind: extensive\n" + GOOD_PAYOFFS},
        "g.yaml",
        "kind",
        ("unknown kind 'extensive'", "normal_form"),
    ),
    "missing_kind": ({"g.yaml": GOOD_PAYOFFS}, "g.yaml", "kind", ("missing",)),
    "missing_payoffs": ({"g.yaml": nf(payoffs="")}, "g.yaml", "payoffs", ("missing",)),
    "missing_follower_payoffs": (
        {"g.yaml": nf(payoffs="payoffs:\n  leader: [[1]]\n")},
        "g.yaml",
        "payoffs.follower",
        ("missing",),
    ),
    "bad_player_name": (
        {"g.yaml": nf(players="leader: {name: [1, 2]}\n")},
        "g.yaml",
        "leader.name",
        ("string",),
    ),
    "anchor_alias": (
        {"g.yaml": "kind: normal_form\npayoffs:\n  leader: &m [[1, 2]]\n  follower: *m\n"},
        "g.yaml",
        None,
        ("anchor", "line 3"),
    ),
    "alias_bomb": ({"g.yaml": LOL}, "g.yaml", None, ("anchor",)),
    "python_tag": (
        {"g.yaml": "kind: !!python/object:os.system {}\n" + GOOD_PAYOFFS},
        "g.yaml",
        None,
        ("tag", "python/object"),
    ),
    "python_apply": (
        {"g.yaml": "kind: !!python/object/apply:os.system ['echo hi']\n"},
        "g.yaml",
        None,
        ("tag",),
    ),
    "local_tag": (
        {"g.yaml": "kind: !custom normal_form\n" + GOOD_PAYOFFS},
        "g.yaml",
        None,
        ("tag '!custom'",),
    ),
    "yaml_syntax": (
        {"g.yaml": "kind: normal_form\npayoffs: [[1, 2]\n"},
        "g.yaml",
        None,
        ("invalid YAML", "line"),
    ),
    "top_level_list": ({"g.yaml": "- 1\n- 2\n"}, "g.yaml", None, ("must be a mapping",)),
    "empty_yaml": ({"g.yaml": ""}, "g.yaml", None, ("must be a mapping",)),
    "binary": ({"g.yaml": b"kind: normal_form\x00\x01\x02"}, "g.yaml", None, ("binary",)),
    "not_utf8": ({"g.yaml": "kind: caf\u00e9\n".encode("latin-1")}, "g.yaml", None, ("UTF-8",)),
    "unknown_extension": ({"g.txt": "x"}, "g.txt", None, ("unknown file type '.txt'",)),
    # payoffs in a CSV named beside the YAML
    "csv_missing_beside": (
        {"g.yaml": nf(payoffs="payoffs: nothere.csv\n")},
        "g.yaml",
        "payoffs",
        ("not found", "nothere.csv"),
    ),
    "csv_parent_dir": (
        {"g.yaml": nf(payoffs="payoffs: ../up.csv\n")},
        "g.yaml",
        "payoffs",
        ("must be relative and beside",),
    ),
    "csv_absolute": (
        {"g.yaml": nf(payoffs="payoffs: /etc/passwd\n")},
        "g.yaml",
        "payoffs",
        ("must be relative",),
    ),
    "csv_labels_differ": (
        {
            "g.yaml": nf(payoffs="payoffs: p.csv\n"),
            "p.csv": LONG + "inspect,legal,1,2\ninspect,cheat,1,2\n"
            "skip,legal,1,2\nskip,cheat,1,2\n",
        },
        "g.yaml",
        "follower.actions",
        ("do not match",),
    ),
    "csv_matrix_mapping_missing": (
        {
            "g.yaml": nf(payoffs="payoffs: {leader: A.csv, follower: B.csv}\n"),
            "A.csv": ",legal,violate\ninspect,1,2\nskip,3,4\n",
        },
        "g.yaml",
        "payoffs.follower",
        ("not found",),
    ),
    # CSV files
    "csv_bad_header": (
        {"g.csv": "leader,follower,u,v\na,b,1,2\n"},
        "g.csv",
        "header",
        ("unrecognised CSV header",),
    ),
    "csv_missing_profile": (
        {"g.csv": LONG + "a,x,1,2\na,y,1,2\nb,x,1,2\n"},
        "g.csv",
        None,
        ("profile (b, y) is missing",),
    ),
    "csv_duplicate_profile": (
        {"g.csv": LONG + "a,x,1,2\na,x,3,4\n"},
        "g.csv",
        "line 3",
        ("appears twice",),
    ),
    "csv_non_numeric": (
        {"g.csv": LONG + "a,x,1,two\n"},
        "g.csv",
        "line 2 follower_payoff",
        ("'two' is not a number",),
    ),
    "csv_nan": ({"g.csv": LONG + "a,x,nan,1\n"}, "g.csv", "line 2 leader_payoff", ("not finite",)),
    "csv_ragged_long": ({"g.csv": LONG + "a,x,1\n"}, "g.csv", "line 2", ("3 fields, expected 4",)),
    "csv_ragged_matrix": (
        {"g.csv": "player,action,x,y\nleader,a,1,2\nfollower,a,1\n"},
        "g.csv",
        "line 3",
        ("3 fields",),
    ),
    "csv_matrix_rows_differ": (
        {"g.csv": "player,action,x\nleader,a,1\nfollower,b,1\n"},
        "g.csv",
        "action",
        ("differ",),
    ),
    "csv_matrix_bad_player": (
        {"g.csv": "player,action,x\nboss,a,1\n"},
        "g.csv",
        "line 2 player",
        ("must be 'leader' or 'follower'",),
    ),
    "csv_empty": ({"g.csv": "\n\n"}, "g.csv", None, ("empty CSV",)),
    "csv_header_only": ({"g.csv": LONG}, "g.csv", None, ("no payoff rows",)),
    "csv_duplicate_label_after_strip": (
        {"g.csv": LONG + "a,x,1,2\na,x ,1,2\n"},
        "g.csv",
        "line 3",
        ("appears twice",),
    ),
    # Gambit .nfg
    "nfg_not_nfg": ({"g.nfg": 'EFG 2 R "x" { "a" "b" }\n'}, "g.nfg", None, ("NFG 1",)),
    "nfg_three_players": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" "3" } { 1 1 1 }\n1 2 3\n'},
        "g.nfg",
        "players",
        ("3 players",),
    ),
    "nfg_payoff_count": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" } { 2 2 }\n1 2 3\n'},
        "g.nfg",
        "payoffs",
        ("3 payoffs", "need 8"),
    ),
    "nfg_non_numeric": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" } { 1 1 }\n1 x\n'},
        "g.nfg",
        None,
        ("'x' is not a number",),
    ),
    "nfg_truncated": ({"g.nfg": 'NFG 1 R "t" { "1" "2"'}, "g.nfg", None, ("end of file",)),
    "nfg_truncated_labels": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" }\n{ { "a" "b"'},
        "g.nfg",
        None,
        ("end of file",),
    ),
    "nfg_outcome_range": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" }\n{ { "a" } { "x" } }\n""\n{ { "" 1, 2 } }\n5\n'},
        "g.nfg",
        "profiles",
        ("out of range",),
    ),
    "nfg_huge_payoff": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" } { 1 1 }\n1' + "0" * 400 + " 2\n"},
        "g.nfg",
        None,
        ("too large",),
    ),
    "nfg_negative_count": (
        {"g.nfg": 'NFG 1 R "t" { "1" "2" } { -1 -2 }\n1 2 3 4\n'},
        "g.nfg",
        None,
        ("strategies",),
    ),
}


def _materialise(tmp_path: Path, files: dict) -> None:
    for name, text in files.items():
        p = tmp_path / name
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")


def _check_message(msg: str, path: Path, field: str | None, words) -> None:
    assert "\n" not in msg
    assert path.name in msg, msg
    if field is not None:
        assert f"field '{field}'" in msg, msg
    for w in words:
        assert w in msg, msg
    assert msg.count("(fix: ") == 1, msg  # one reason, one fix


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_api(tmp_path, name):
    files, target, field, words = CASES[name]
    _materialise(tmp_path, files)
    path = tmp_path / target
    with pytest.raises(InputError) as ei:
        load_game(path)
    _check_message(str(ei.value), path, field, words)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_cli(tmp_path, capsys, name):
    files, target, field, words = CASES[name]
    _materialise(tmp_path, files)
    path = tmp_path / target
    assert main(["solve", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("stackopt: error: ")
    _check_message(lines[0], path, field, words)


def test_alias_bomb_is_refused_fast(tmp_path):
    import time

    p = tmp_path / "lol.yaml"
    p.write_text(LOL)
    t = time.perf_counter()
    with pytest.raises(InputError, match="anchor"):
        load_game(p)
    assert time.perf_counter() - t < 1.0


def test_missing_file_and_directory(tmp_path, capsys):
    d = tmp_path / "dir.yaml"
    d.mkdir()
    for path, words in (
        (tmp_path / "absent.yaml", "file not found"),
        (tmp_path / "absent.csv", "file not found"),
        (tmp_path / "absent.nfg", "file not found"),
        (tmp_path / "absent", "file not found"),
        (d, "is a directory"),
    ):
        with pytest.raises(InputError) as ei:
            load_game(path)
        _check_message(str(ei.value), path, None, (words,))
        assert main(["solve", str(path)]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and words in err and "Traceback" not in err


def test_oversized_file(tmp_path, capsys):
    p = tmp_path / "big.yaml"
    from stackopt.io.arrays import max_file_bytes  # game files: STACKOPT_MAX_FILE_MB

    with open(p, "wb") as fh:  # sparse file one byte over the cap
        fh.truncate(max_file_bytes() + 1)
    with pytest.raises(InputError) as ei:
        load_game(p)
    _check_message(str(ei.value), p, None, ("above the", "limit"))
    assert main(["solve", str(p)]) == 2
    assert "limit" in capsys.readouterr().err
    # a small explicit cap works too
    q = tmp_path / "small.yaml"
    q.write_text("kind: normal_form\n" + GOOD_PAYOFFS)
    with pytest.raises(InputError, match="10-byte limit"):
        safe_yaml.load_yaml(q, max_bytes=10)


# -- bad result JSON for verify ---------------------------------------------------------------
BAD_RESULTS = {
    "invalid_json": ("{not json", None, ("invalid JSON", "line 1")),
    "list": ("[1, 2]", None, ("JSON object",)),
    "no_commitment": (
        json.dumps({"leader": {}, "follower": {"response": "legal"}}),
        "leader.commitment",
        ("missing",),
    ),
    "no_response": (
        json.dumps({"leader": {"commitment": {"skip": 1}}, "follower": {}}),
        "follower.response",
        ("missing",),
    ),
    "commitment_list": (
        json.dumps({"leader": {"commitment": [1, 0]}, "follower": {"response": "legal"}}),
        "leader.commitment",
        ("map labels",),
    ),
    "bad_status": (
        json.dumps(
            {
                "status": "great",
                "leader": {"commitment": {"skip": 1}},
                "follower": {"response": "legal"},
            }
        ),
        "status",
        ("unknown status",),
    ),
    "unknown_leader_label": (
        json.dumps({"leader": {"commitment": {"audit": 1}}, "follower": {"response": "legal"}}),
        "leader.actions",
        ("unknown leader action 'audit'",),
    ),
    "unknown_response": (
        json.dumps({"leader": {"commitment": {"skip": 1}}, "follower": {"response": "bribe"}}),
        "follower.actions",
        ("unknown follower action 'bribe'",),
    ),
    "probability_text": (
        json.dumps({"leader": {"commitment": {"skip": "half"}}, "follower": {"response": "legal"}}),
        "leader.commitment.skip",
        ("not a number",),
    ),
    "response_list": (
        json.dumps({"leader": {"commitment": {"skip": 1}}, "follower": {"response": ["legal"]}}),
        "follower.response",
        ("one action label",),
    ),
}
_OK = {
    "leader": {"commitment": {"skip": 1}, "value": 0},
    "follower": {"response": "legal", "value": 0},
}
BAD_RESULTS.update(
    {
        "follower_value_text": (
            json.dumps({**_OK, "follower": {"response": "legal", "value": "abc"}}),
            "follower.value",
            ("number",),
        ),
        "follower_value_mapping": (
            json.dumps({**_OK, "follower": {"response": "legal", "value": {"a": 1}}}),
            "follower.value",
            ("number",),
        ),
        "options_not_mapping": (json.dumps({**_OK, "options": "fast"}), "options", ("mapping",)),
        "stats_not_mapping": (json.dumps({**_OK, "stats": [1, 2]}), "stats", ("mapping",)),
        "options_restriction_number": (
            json.dumps({**_OK, "options": {"leader_actions": 5}}),
            "options.leader_actions",
            ("list",),
        ),
        "options_rtol_text": (
            json.dumps({**_OK, "options": {"rtol": "tight"}}),
            "options.rtol",
            ("number",),
        ),
        "certificate_checks_malformed": (
            json.dumps({**_OK, "certificate": {"checks": [1]}}),
            "certificate",
            ("certificate",),
        ),
        "certificate_tie_break_unknown": (
            json.dumps({**_OK, "certificate": {"tie_break": "coin"}}),
            "certificate",
            ("certificate",),
        ),
        "certificate_rtol_text": (
            json.dumps({**_OK, "certificate": {"rtol": "x"}}),
            "certificate",
            ("certificate",),
        ),
    }
)


@pytest.mark.parametrize("name", sorted(BAD_RESULTS))
def test_bad_result_json_cli(tmp_path, capsys, inspection_file, name):
    text, field, words = BAD_RESULTS[name]
    r = tmp_path / "result.json"
    r.write_text(text)
    assert main(["verify", str(inspection_file), str(r)]) == 2
    _out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    _check_message(lines[0], r, field, words)


def test_bad_result_json_api(tmp_path):
    r = tmp_path / "result.json"
    r.write_text("{not json")
    with pytest.raises(InputError, match="result.json.*invalid JSON"):
        load_result(r)
    with pytest.raises(InputError, match="file not found"):
        load_result(tmp_path / "none.json")


def test_verify_missing_files_cli(tmp_path, capsys, inspection_file):
    assert main(["verify", str(inspection_file), str(tmp_path / "none.json")]) == 2
    assert main(["verify", str(tmp_path / "none.yaml"), str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 2 and "Traceback" not in err
