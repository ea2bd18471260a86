"""The Study tab's tool buttons: as many columns as fit, never a cut name, and when each result was made."""

from datetime import datetime, timezone

import pytest
from PySide6.QtWidgets import QApplication

from reader.asking.study import tools
from reader.ui.app import make_app
from reader.ui.widgets.study_pane import StudyPane, made_on


@pytest.mark.parametrize("iso, shown", [
    ("2025-11-29T10:00:00+00:00", "29 Nov"),
    ("2024-03-02T10:00:00+00:00", "2 Mar 2024"),  # another year says which
    ("not a time", ""),
])
def test_when_a_result_was_made_is_a_short_date(iso, shown):
    assert made_on(iso, now=datetime(2025, 12, 1, tzinfo=timezone.utc).astimezone()) == shown


def test_tool_buttons_take_as_many_columns_as_fit_and_say_whether_and_when_made(qtbot):
    make_app()
    pane = StudyPane()
    qtbot.addWidget(pane)
    pane.set_tools(tools())
    pane.set_results({"central-ideas": "2025-11-29T10:00:00+00:00", "people": "failed", "vocabulary": "running"})
    pane.show()
    qtbot.waitExposed(pane)
    columns = []
    for width in (220, 340, 700):
        pane.resize(width, 600)
        QApplication.processEvents()
        buttons = list(pane.buttons.values())
        assert all(b.width() >= b.minimumSizeHint().width() for b in buttons)  # no name is cut
        assert all(b.geometry().right() <= pane.width() for b in buttons)
        columns.append(len({b.x() for b in buttons}))
    assert columns[0] < columns[-1] == 3 and pane.minimumSizeHint().width() <= 220  # the buttons ask for no width
    states = {key: b.state.text().strip() for key, b in pane.buttons.items()}
    assert states["central-ideas"].startswith("✓ ") and states["people"] == "failed" and states["vocabulary"] == "running…"
    assert states["preread"] == ""
    for b in pane.buttons.values():
        assert b.tool.description in b.toolTip().replace("&#x27;", "'") and "{" not in b.toolTip()
