"""Commands that only read the library never import sqlite-utils (its import and plugins cost more than the
query); the library they read is the same one that writes through sqlite-utils' table verbs after them."""

import subprocess
import sys

import pytest

from reader.library.db.connection import Connection
from reader.library.db.store import Store

from conftest import add_video

PROBE = ("import sys, runpy\nsys.argv = ['reader', *sys.argv[1:]]\ntry:\n    runpy.run_module('reader', run_name='__main__')\n"
         "except SystemExit as end:\n    code = end.code\nelse:\n    code = 0\n"
         "print('LOADED', *[m for m in ('sqlite_utils', 'pluggy', 'click', 'dateutil') if m in sys.modules], file=sys.stderr)\n"
         "sys.exit(code)\n")


@pytest.fixture
def library(data_dir):
    return add_video("A talk on spaced repetition", ("Spaced repetition beats cramming.", "Review at widening gaps."))


@pytest.mark.parametrize("args", [["search", "spaced"], ["library", "--json"], ["library"], ["search", '"spaced repetition"']])
def test_a_command_that_only_reads_loads_no_sqlite_utils(library, args):
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    loaded = [line for line in run.stderr.splitlines() if line.startswith("LOADED")]
    assert loaded == ["LOADED"], run.stderr
    assert "spaced" in run.stdout.lower()


def test_a_table_verb_after_plain_reads_writes_through_the_same_connection(library):
    store = Store()
    assert [r["title"] for r in store.db.query("select title from videos")] == ["A talk on spaced repetition"]
    with store.writing():
        store.db["videos"].update(library, {"title": "Renamed"})
    assert store.db.conn is store.db.real.conn
    store.close()
    assert Store().video(library)["title"] == "Renamed"


@pytest.mark.parametrize("sql, rows", [
    ("select 1 as id, 2 as id", [{"id": 1, "id_2": 2}]),
    ("select 1 as id, 2 as id_2, 3 as id", [{"id": 1, "id_2": 2, "id_3": 3}]),
    ("pragma user_version", [{"user_version": 0}]),
])
def test_query_names_columns_as_sqlite_utils_does(sql, rows):
    import sqlite3

    assert list(Connection(sqlite3.connect(":memory:")).query(sql)) == rows


@pytest.mark.parametrize("sql", ["create table u (x)", "insert into t values (1)", "delete from t",
                                 "insert into t values (2) returning x"])
def test_query_refuses_a_statement_that_writes_and_changes_nothing(sql):
    import sqlite3

    db = Connection(sqlite3.connect(":memory:"))
    db.execute("create table t (x)")
    db.execute("insert into t values (7)")
    with pytest.raises(ValueError):
        list(db.query(sql))
    assert db.execute("select x from t").fetchall() == [(7,)]
    assert db.execute("select name from sqlite_master").fetchall() == [("t",)]


def test_a_write_outside_a_transaction_is_committed_and_a_failed_one_leaves_none_open():
    import sqlite3

    db = Connection(sqlite3.connect(":memory:"))
    db.execute("create table t (x integer check (x > 0))")
    db.execute("insert into t values (1)")
    assert not db.conn.in_transaction
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into t values (-1)")
    assert not db.conn.in_transaction
    assert db.execute("select count(*) from t").fetchone() == (1,)


def test_opening_the_library_writes_nothing_when_no_answer_was_left_streaming(library, data_dir):
    import sqlite3

    watcher = sqlite3.connect(data_dir / "library.db")
    before = watcher.execute("pragma data_version").fetchone()[0]
    store = Store()
    assert store.mark_interrupted() == 0
    assert store.db.conn.total_changes == 0
    store.close()
    assert watcher.execute("pragma data_version").fetchone()[0] == before  # no other connection committed
    watcher.close()


def test_an_answer_left_streaming_is_still_marked_incomplete(library):
    store = Store()
    with store.writing():
        store.db.execute("insert into answers (video_id, kind, question, answer, status, created_at, updated_at, uid)"
                         " values (?, 'explain', 'q', 'half an answ', 'streaming', '2026-01-01', '2026-01-01', 'u-1')", [library])
    assert store.mark_interrupted() == 1
    assert [r[0] for r in store.db.execute("select status from answers")] == ["incomplete"]
    store.close()


def test_the_library_list_counts_notes_from_an_index_not_every_note(library):
    from reader.library.db.videos import LIST_SQL

    store = Store()
    plan = " ".join(str(r) for r in store.db.execute("explain query plan " + LIST_SQL))
    assert "highlights_noted" in plan
    store.close()


def _subcommands(parser):
    import argparse

    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_every_command_is_known_and_its_own_parser_is_the_full_parsers():
    from reader.cli.main import COMMANDS, _parser

    full = _subcommands(_parser())
    assert set(full) == set(COMMANDS)
    for name in COMMANDS:
        alone = _subcommands(_parser(name))
        assert name in alone
        assert alone[name].format_help() == full[name].format_help()


@pytest.mark.parametrize("args", [["--help"], ["serch", "x"], ["search"], ["search", "--help"], ["--version"]])
def test_help_and_mistakes_read_as_with_every_parser(args, capsys):
    from reader.cli.main import _parser, main

    def run(parse):
        try:
            code = parse()
        except SystemExit as end:
            code = end.code
        return code, capsys.readouterr()

    got = run(lambda: main(args))
    expected = run(lambda: _parser().parse_args(args))
    assert got == expected


@pytest.mark.parametrize("args, snapshots", [(["search", "spaced"], 0), (["library"], 0), (["library", "--json"], 0),
                                             (["tag", "1", "memory"], 1)])
def test_only_a_command_that_can_change_the_library_takes_the_days_snapshot(library, data_dir, capsys, args, snapshots):
    from reader.cli.main import main
    from reader.library.db.snapshots import list_snapshots

    assert main(args) == 0
    assert len(list_snapshots(data_dir / "library.db")) == snapshots
