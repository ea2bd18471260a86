"""The schema's checks (migration m010): triggers that refuse, on every insert and update, what a backup would refuse."""

from __future__ import annotations

import sqlite3

from reader.library.db.allowed_values import RULES, Rule

SQLITE_CONSTRAINT_TRIGGER = 1811  # RAISE(ABORT, ...) in a trigger


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _bad(column: str, rule: Rule) -> str:
    """An SQL condition that holds when NEW.column breaks the rule."""
    new = f"NEW.[{column}]"
    if rule.one_of:
        wrong = f"{new} NOT IN ({', '.join(_quote(v) for v in rule.one_of)})"
    elif rule.low is not None:
        wrong = f"typeof({new}) != 'integer' OR {new} < {int(rule.low)} OR {new} > {int(rule.high)}"
    else:
        wrong = f"typeof({new}) != 'text' OR length({new}) > {int(rule.max_length)}"
        if rule.min_length:
            wrong += f" OR length({new}) < {int(rule.min_length)}"
    missing = f"{new} IS NULL OR " if rule.required else ""
    return f"{missing}({new} IS NOT NULL AND ({wrong}))"


def trigger_sql(table: str, column: str, rule: Rule, event: str) -> str:
    """The trigger that refuses a bad value in table.column on insert or update (of that column)."""
    on = f"INSERT ON [{table}]" if event == "insert" else f"UPDATE OF [{column}] ON [{table}]"
    return (f"CREATE TRIGGER IF NOT EXISTS [check_{table}_{column}_{event}] BEFORE {on} "
            f"WHEN {_bad(column, rule)} BEGIN SELECT RAISE(ABORT, {_quote(rule.sentence())}); END")


def add_checks(conn: sqlite3.Connection) -> None:
    """Make every column's triggers (those whose table and column the library has)."""
    for table, columns in RULES.items():
        have = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
        for column, rule in columns.items():
            if column in have:
                for event in ("insert", "update"):
                    conn.execute(trigger_sql(table, column, rule, event))


def mend_statuses(conn: sqlite3.Connection) -> None:
    """Rows an older Reader left with a status no Reader knows: an answer or check becomes 'incomplete' (its words
    are kept), so the library's own backup restores."""
    for table in ("answers", "checks"):
        allowed = RULES[table]["status"].one_of
        conn.execute(f"UPDATE [{table}] SET status = 'incomplete' WHERE status IS NULL OR status NOT IN "
                     f"({', '.join(_quote(v) for v in allowed)})")


def refused_sentence(exc: sqlite3.Error) -> str:
    """The sentence of a value one of these checks refused ('' when the error is something else)."""
    if getattr(exc, "sqlite_errorcode", 0) == SQLITE_CONSTRAINT_TRIGGER:
        text = str(exc)
        if text.endswith("so that value was not saved."):
            return text
    return ""
