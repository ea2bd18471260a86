"""Highlights, notes and Claude's answers in the window, with the real SDK against a local server."""

import zipfile

import pytest
from PySide6.QtCore import Qt, QUrl

from reader.ui.app import make_app
from reader.ui.main_window import MainWindow

from conftest import select, wait_done
from fake_anthropic import Reply


@pytest.fixture
def window(talk_window):
    return talk_window


def test_highlight_inside_a_line_and_across_lines(window, qtbot):
    view = window.transcript_pane.view
    select(view, 0, 0, 6, 10)  # "line" of "First line from Ada."
    qtbot.keyClick(view, Qt.Key.Key_H)
    select(view, 1, 3)  # across two paragraphs
    window.highlight_selection("blue")
    rows = window.store.highlights(window.session.video_id)
    assert [(r["text"], r["color"], r["start_ms"], r["end_ms"]) for r in rows] == [
        ("line", "yellow", 500, 2000),
        ("Second line, still Ada. Ben answers with a third line. And the fourth line closes the clip.", "blue", 2000, 7500),
    ]
    assert (rows[0]["start_cue"], rows[0]["start_offset"], rows[0]["end_cue"], rows[0]["end_offset"]) == (0, 6, 0, 10)
    marks = [(s.cursor.selectedText(), s.format.background().color().blue() > 200) for s in view.extraSelections()]
    assert ("line", False) in marks
    # across the paragraph break the mark is two runs, leaving Ben's name and time unmarked
    assert ("Second line, still Ada.", True) in marks and ("Ben answers with a third line. And the fourth line closes the clip.", True) in marks
    assert window.notes_pane.list.count() == 2


def test_notes_colours_seek_and_delete_with_undo(window, qtbot):
    view, pane = window.transcript_pane.view, window.notes_pane
    select(view, 2, 2)
    window.note_on_selection()
    assert pane.note.hasFocus()
    qtbot.keyClicks(pane.note, "Ben's turn")
    qtbot.waitUntil(lambda: window.store.highlights(window.session.video_id)[0]["note"] == "Ben's turn", timeout=3_000)
    qtbot.mouseClick(pane.color_buttons["pink"], Qt.MouseButton.LeftButton)
    hid = pane.current_id
    assert window.store.highlight(hid)["color"] == "pink"
    window.player.seek(0)
    item = pane.list.item(0)
    pane.list.itemClicked.emit(item)
    qtbot.waitUntil(lambda: abs(window.player.position() - 3_500) < 100, timeout=5_000)
    assert pane.list.item(0).data(Qt.ItemDataRole.UserRole + 2)  # the highlight for this moment is marked
    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)
    assert window.store.highlights(window.session.video_id) == [] and pane.undo_bar.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    rows = window.store.highlights(window.session.video_id)
    assert [(r["id"], r["note"], r["color"]) for r in rows] == [(hid, "Ben's turn", "pink")]
    window.library_page.refresh()
    assert window.library_page.model.rows[0]["note_count"] == 1


def test_explain_streams_renders_citations_and_stores_everything(window, qtbot, claude):
    claude.replies = [Reply([("cited", "Ben **answers** Ada", (1, 2)), ". <script>alert('x')</script> [site](javascript:alert(1)) "
                             "[docs](https://example.org/x)"], delay=0.02)]
    view, pane = window.transcript_pane.view, window.notes_pane
    select(view, 2, 2)
    qtbot.keyClick(view, Qt.Key.Key_E)
    assert pane.stop_button.isVisible()
    wait_done(window, qtbot)
    html = pane.answers.toHtml()
    text = pane.answers.toPlainText()
    assert "Ben answers Ada [0:03]." in text and "<script>alert('x')</script>" in text
    assert 'href="cite:1"' in html and 'href="https://example.org/x"' in html and 'href="javascript' not in html
    row = window.store.answers(window.notes.conversation_id)[0]
    assert row["status"] == "complete" and row["citations"][0]["start_ms"] == 3500 and row["output_tokens"] == 80
    body = claude.requests[0]
    assert body["messages"][0]["content"][0]["cache_control"] == {"type": "ephemeral"}
    assert "Ben answers with a third line." in body["messages"][0]["content"][1]["text"]
    # the citation link seeks there, plays ("click one to hear that moment") and flashes the cited lines
    window.player.seek(0)
    assert not window.player.is_playing()
    flashes = []
    pane.flash_requested.connect(lambda start, end: flashes.append((start, end)))
    pane.answers.anchorClicked.emit(QUrl("cite:1"))
    qtbot.waitUntil(lambda: window.player.is_playing() and window.player.position() >= 3_500, timeout=5_000)
    assert flashes == [(3_500, 7_500)]
    (first, _last), strength = view.flashed()  # outlined, at full strength until it fades
    assert view.timeline.cues[first].text.startswith("Ben answers") and strength == 1.0
    window.player.pause()
    assert "tokens in" in pane.answers.toPlainText()


def test_follow_up_stop_and_regenerate(window, qtbot, claude):
    view, pane = window.transcript_pane.view, window.notes_pane
    claude.replies = [Reply(["First answer."])]
    select(view, 0, 0)
    window.explain_selection()
    wait_done(window, qtbot)
    claude.replies = [Reply(["word "] * 200, delay=0.02)]
    pane.followup.setText("And then?")
    qtbot.keyClick(pane.followup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "word" in pane.answers.toPlainText(), timeout=15_000)
    qtbot.mouseClick(pane.stop_button, Qt.MouseButton.LeftButton)
    rows = window.store.answers(window.notes.conversation_id)
    assert [r["question"] for r in rows] == ["Explain this passage", "And then?"]
    assert rows[1]["status"] == "incomplete" and rows[1]["answer"].startswith("word")
    assert [m["role"] for m in claude.requests[-1]["messages"]] == ["user", "assistant", "user"]
    wait_done(window, qtbot)
    assert pane.problem.text() == "You stopped this answer. What arrived is kept." and pane.problem.property("level") == "info"
    assert pane.problem.retry_button.isVisible() and not pane.regen_button.isVisible()  # Retry stands in for Regenerate
    claude.replies = [Reply(["Retried."]), Reply(["Regenerated."])]
    qtbot.mouseClick(pane.problem.retry_button, Qt.MouseButton.LeftButton)
    wait_done(window, qtbot)
    assert not pane.problem.isVisible() and pane.regen_button.isVisible()
    qtbot.mouseClick(pane.regen_button, Qt.MouseButton.LeftButton)
    wait_done(window, qtbot)
    rows = window.store.answers(window.notes.conversation_id)
    assert len(rows) == 2 and rows[1]["answer"] == "Regenerated." and rows[1]["status"] == "complete"
    pane.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "Regenerated."


def test_errors_are_shown_as_errors_where_the_answer_would_be_each_with_its_action(window, qtbot, claude, monkeypatch):
    from reader.ui.widgets.settings_dialog import SettingsDialog

    view, pane = window.transcript_pane.view, window.notes_pane
    problem = pane.problem
    claude.replies = [Reply(["Half of it. ", "The rest."], drop_after=1)]
    select(view, 3, 3)
    window.explain_selection()
    wait_done(window, qtbot)
    assert "Half of it." in pane.answers.toPlainText() and "connection dropped" not in pane.answers.toPlainText()
    assert problem.isVisible() and "connection dropped" in problem.text() and problem.property("level") == "error"
    assert problem.retry_button.isVisible() and not problem.preferences_button.isVisible() and not pane.regen_button.isVisible()
    assert problem.objectName() == window.banner.objectName()  # the window banner's style
    assert window.store.answers(window.notes.conversation_id)[0]["status"] == "incomplete"
    # Retry runs the same request again, in its place; a key the server refuses asks for Preferences
    claude.replies = [Reply(status=401, error_type="authentication_error", message="invalid x-api-key {key}")]
    qtbot.mouseClick(problem.retry_button, Qt.MouseButton.LeftButton)
    wait_done(window, qtbot)
    assert claude.requests[1]["messages"] == claude.requests[0]["messages"]
    assert "did not accept the API key" in problem.text() and problem.preferences_button.isVisible()
    assert "sk-ant-test-PLANTED" not in problem.text() + pane.answers.toPlainText()
    opened = []
    monkeypatch.setattr(SettingsDialog, "exec", lambda dialog: opened.append(dialog.windowTitle()))
    qtbot.mouseClick(problem.preferences_button, Qt.MouseButton.LeftButton)
    assert opened == ["Preferences"]
    # overloaded: Retry; a rate limit: a countdown with Cancel, then Retry
    claude.replies = [Reply(status=529, error_type="overloaded_error")]
    problem.retry_button.click()
    wait_done(window, qtbot)
    assert "overloaded" in problem.text() and problem.retry_button.isVisible()
    claude.replies = [Reply(status=429, error_type="rate_limit_error", headers={"retry-after": "40"})]
    problem.retry_button.click()
    qtbot.waitUntil(lambda: "Trying again in" in problem.text(), timeout=15_000)
    assert problem.cancel_button.isVisible() and not problem.retry_button.isVisible()
    qtbot.waitUntil(lambda: "Trying again in 39 s." in problem.text(), timeout=5_000)  # it counts down
    qtbot.mouseClick(problem.cancel_button, Qt.MouseButton.LeftButton)
    assert problem.retry_button.isVisible() and not problem.cancel_button.isVisible() and "(429)" in problem.text()
    asked = len(claude.requests)
    claude.replies = [Reply(["The whole answer."])]
    problem.retry_button.click()
    wait_done(window, qtbot)
    assert len(claude.requests) == asked + 1 and not problem.isVisible() and "The whole answer." in pane.answers.toPlainText()
    assert window.store.answer_counts(pane.current_id) == (1, 0)


@pytest.mark.parametrize("keyring", [True, False])
def test_without_a_key_explain_says_how_to_add_one_and_offers_only_what_helps(window, qtbot, monkeypatch, keyring):
    """Was wrong: Retry stood beside Open Preferences, and only failed again; with no keyring, Preferences
    cannot keep a key, so the environment variable comes first and no button is offered."""
    from reader.asking import keys
    from reader.ui.widgets.settings_dialog import SettingsDialog

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setattr(keys, "keyring_available", lambda: keyring)
    select(window.transcript_pane.view, 1, 1)
    window.explain_selection()
    problem = window.notes_pane.problem
    text = problem.text()
    assert "ANTHROPIC_API_KEY" in text and not problem.retry_button.isVisible()
    assert window.store.highlights(window.session.video_id)  # the highlight is kept all the same
    if not keyring:
        assert text.index("ANTHROPIC_API_KEY") < text.index("Preferences")  # named first: Preferences cannot keep it
        assert not problem.preferences_button.isVisible()
        return
    assert problem.preferences_button.isVisible()
    monkeypatch.setattr(SettingsDialog, "exec", lambda dialog: None)
    qtbot.mouseClick(problem.preferences_button, Qt.MouseButton.LeftButton)
    assert problem.retry_button.isVisible()  # a key may have been added: now Retry helps


def test_an_answer_cut_off_by_a_crash_is_shown_incomplete_next_time(qtbot, clip_dir):
    from reader.library.db.store import Store
    from reader.library.importing import commit, prepare_file

    store = Store()
    vid = commit(store, prepare_file(clip_dir / "talk.mp4", copy=False))
    hid = store.add_highlight(vid, 0, 0, 0, 5, 500, 2000, "First")
    aid = store.start_answer(vid, hid, None, "explain", "Explain this passage", "p", "m")
    store.save_answer(aid, "Arrived before the crash", [], "streaming")
    store.close()
    make_app()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.reading.open_video(vid)
    w.notes_pane.select(hid)
    assert "Arrived before the crash" in w.notes_pane.answers.toPlainText()
    assert "stopped before it was finished" in w.notes_pane.problem.text() and w.notes_pane.problem.retry_button.isVisible()
    w.close()


def test_hostile_text_in_transcripts_and_titles_stays_inert(qtbot, tmp_path):
    make_app()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    subs = tmp_path / "<img src=x onerror=alert(1)>.srt"
    subs.write_text("1\n00:00:01,000 --> 00:00:02,000\n<script>alert('x')</script> <a href=\"javascript:alert(1)\">click</a>\n", encoding="utf-8")
    w.reading.open_paths(None, subs)
    view = w.transcript_pane.view
    assert "<script>alert('x')</script>" in view.toPlainText()
    assert view.document().toHtml().count("<script>") == 0  # shown as text, not taken as markup
    assert w.transcript_pane.title.textFormat() == Qt.TextFormat.PlainText
    assert w.transcript_pane.title.text().startswith("<img")
    w.close()


def test_study_tab_runs_a_tool_shows_it_again_and_chats(window, qtbot, claude):
    from reader.asking.study import find_tool

    claude.replies = [Reply(["1. **Turns** — Ada, then Ben", ("cite", 1, 2), "."])]
    study = window.study_pane
    study.buttons["central-ideas"].click()
    qtbot.waitUntil(lambda: not window.streaming.busy() and study.again_button.isVisible(), timeout=15_000)  # shown as finished
    assert "Turns — Ada, then Ben [0:03]." in study.answers.toPlainText() and study.title.text().startswith("Central ideas · made ")
    assert study.buttons["central-ideas"].state.text().startswith("✓ ") and study.buttons["people"].state.text().strip() == ""
    assert "{title}" not in study.buttons["people"].toolTip() and "Everyone mentioned" in study.buttons["people"].toolTip()
    assert window.side.currentWidget() is study
    requests = len(claude.requests)
    window.studying.run_tool(find_tool("central-ideas"))  # shown from the database, not asked again
    assert len(claude.requests) == requests and "Turns" in study.answers.toPlainText()
    claude.replies = [Reply(["1. **Turn-taking**, asked for again."])]
    assert study.again_button.isVisible()
    study.again_button.click()  # Run again asks again; the first result stays until the new one is whole
    assert "Ada, then Ben" in study.answers.toPlainText() and study.stop_button.isVisible() and study.status.isVisible()
    qtbot.waitUntil(lambda: "asked for again" in study.answers.toPlainText() and not window.streaming.busy(), timeout=15_000)
    assert len(claude.requests) == requests + 1 and "Ada, then Ben" not in study.answers.toPlainText()
    requests += 1
    claude.replies = [Reply(["Two people."])]
    study.chat.setText("Who speaks?")
    qtbot.keyClick(study.chat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Two people." in study.answers.toPlainText() and not window.streaming.busy(), timeout=15_000)
    assert "Who speaks?" in study.answers.toPlainText()
    kinds = {s["kind"] for s in window.store.study_threads(window.session.video_id)}
    assert kinds == {"study:central-ideas", "chat"}


def test_review_page_finds_a_note_and_opens_the_video_there(window, qtbot):
    select(window.transcript_pane.view, 2, 2)
    window.note_on_selection()
    window.notes_pane.note.setPlainText("remember the reply")
    window.notes_pane.flush_note()
    window.show_review()
    page = window.review_page
    page.search.setText("reply")
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() > 0, timeout=3_000)
    item = page.tree.topLevelItem(0).child(0)
    assert "remember the reply" in item.data(0, Qt.ItemDataRole.UserRole + 2)
    page.tree.itemClicked.emit(item, 0)
    assert window.pages.currentWidget() is window.splitter
    qtbot.waitUntil(lambda: abs(window.player.position() - 3_500) < 100, timeout=10_000)
    page.search.setText("nothing like this")
    window.show_review()
    qtbot.waitUntil(lambda: page.empty.isVisible(), timeout=3_000)


def export_from(window, qtbot, monkeypatch, to: str, target, this_video: bool = True) -> None:
    """Export as File ▸ Export would, to `target`, and wait until the window says it is done."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_dialog(to, this_video)
    qtbot.waitUntil(lambda: "Exported 1 file" in window.banner.text(), timeout=10_000)


def test_export_from_the_window(window, qtbot, tmp_path, monkeypatch):
    select(window.transcript_pane.view, 0, 0)
    window.highlight_selection()
    target = tmp_path / "talk.md"
    export_from(window, qtbot, monkeypatch, "md", target)
    assert target.read_text().startswith("---\ntitle: \"talk\"") and "> First line from Ada." in target.read_text()


def test_an_anki_export_cuts_its_clips_off_the_window_thread_and_reports_progress(window, qtbot, tmp_path, monkeypatch):
    import threading

    from PySide6.QtWidgets import QFileDialog

    from reader.exchange import anki as export

    for line in (0, 2):
        select(window.transcript_pane.view, line, line)
        window.highlight_selection()
    threads, shown = [], []
    cut = export.audio_clip

    def spy(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return cut(*args)

    monkeypatch.setattr(export, "audio_clip", spy)
    target = tmp_path / "talk.apkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    show = window.banner.show_message
    monkeypatch.setattr(window.banner, "show_message", lambda text, *a: (shown.append(text), show(text, *a)))
    window.export_dialog("anki", True)
    assert "Exporting" in window.banner.text()
    window.export_dialog("anki", True)  # a second one while the first runs is refused, politely
    assert "already running" in window.banner.text()
    qtbot.waitUntil(lambda: "Exported 1 file" in window.banner.text(), timeout=20_000)
    assert threads == [False, False]
    assert any("of 2 cards done" in text for text in shown)
    assert zipfile.is_zipfile(target)


def test_a_failed_export_from_the_window_says_why(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "talk.apkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_dialog("anki", True)  # no highlights yet
    qtbot.waitUntil(lambda: "Export failed" in window.banner.text(), timeout=10_000)
    assert "nothing to put in a deck" in window.banner.text() and not target.exists()


def test_a_backup_is_restored_from_the_window_in_the_background(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    select(window.transcript_pane.view, 1, 1)
    window.highlight_selection()
    backup = tmp_path / "backup.json"
    export_from(window, qtbot, monkeypatch, "json", backup, this_video=False)
    video_id = window.session.video_id
    kept = [h["text"] for h in window.store.highlights(video_id)]
    window.notes.delete(window.store.highlights(video_id)[0]["id"])
    assert window.store.highlights(video_id) == []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    window.restore_dialog()
    qtbot.waitUntil(lambda: "Restored" in window.banner.text(), timeout=10_000)
    assert window.banner.text() == "Restored 1 highlight from backup.json."
    assert [h["text"] for h in window.store.highlights(video_id)] == kept and len(kept) == 1
    assert window.notes_pane.list.count() == 1  # and the open video shows it again
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "broken.json"), ""))
    window.restore_dialog()
    qtbot.waitUntil(lambda: "Restore failed" in window.banner.text(), timeout=10_000)
    assert "not a readable backup" in window.banner.text()
