"""The shortcut table: every action in a task group, Help lists them grouped, and no two actions fight over a key."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtGui import QKeySequence

from reader.ui.shortcuts import GROUPS, SHORTCUTS, shortcuts_html

# Keys two actions may share because never both are enabled at once (Esc: back from a page, or leave full screen;
# Space and Ctrl+Return: play or show a card's answer, Ctrl+Return then checks it — test_review_session walks the
# stages and finds no key on two enabled actions).
EXCLUSIVE = {"Esc", "Space", "Ctrl+Return", "Ctrl+Enter"}


def test_every_shortcut_belongs_to_a_group():
    assert {spec.group for spec in SHORTCUTS.values()} <= set(GROUPS)


def test_help_lists_the_groups_in_order_each_followed_by_its_own_actions():
    page = shortcuts_html()
    headings = re.findall(r"<h4[^>]*>([^<]+)</h4>", page)
    used = [g for g in GROUPS if any(s.group == g and s.keys for s in SHORTCUTS.values())]
    assert headings == used
    for name, spec in SHORTCUTS.items():
        if not spec.keys:
            continue
        label = spec.label.replace("&", "").rstrip("…")
        at = page.index(f"<td>{label}</td>")
        before = [h for h in headings if page.index(f">{h}</h4>") < at]
        assert before[-1] == spec.group, name


def test_no_key_is_bound_to_two_actions():
    counts = Counter(k for spec in SHORTCUTS.values() for k in spec.keys)
    assert {k for k, n in counts.items() if n > 1} <= EXCLUSIVE


def test_the_window_binds_the_table(window):
    for name, spec in SHORTCUTS.items():
        action = window.actions_by_name[name]
        assert action.shortcuts() == [QKeySequence(k) for k in spec.keys], name


def test_the_help_box_fits_a_window_700_px_high(window):
    from reader.ui.widgets.dialogs import shortcuts_box

    box = shortcuts_box(window)
    box.show()
    assert box.sizeHint().height() <= 680, box.sizeHint()
    box.close()
