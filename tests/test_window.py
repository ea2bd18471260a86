"""The window end to end, with real playback of a generated clip (offscreen Qt, real QMediaPlayer)."""

import shutil

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication

from media import CLIP_VTT, make_clip
from reader.ui.app import make_app
from reader.ui.main_window import MainWindow


def open_clip(window, qtbot, clip_dir):
    window.reading.open_paths(clip_dir / "talk.mp4")
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)
    return window.transcript_pane.view


def stamp_point(view, index):
    """Viewport point over the time stamp of paragraph `index`."""
    start, end, _ms = view._stamps[index]
    cursor = QTextCursor(view.document())
    cursor.setPosition(start + 1)
    return view.cursorRect(cursor).center()


def test_demo_opens_by_default_with_speakers_and_chapters(window, qtbot):
    window.reading.open_demo()
    view = window.transcript_pane.view
    assert len(view.timeline.cues) >= 15
    assert {c.speaker for c in view.timeline.cues} == {"Maya", "Sam"}
    assert [c.title for c in view.timeline.chapters] == ["Why read along", "Moving around", "Your notes, your disk"]
    qtbot.waitUntil(lambda: window.player.duration() > 50_000, timeout=10_000)
    qtbot.waitUntil(lambda: "Reader demo" in window.windowTitle(), timeout=5_000)
    assert not window.banner.isVisible()


def test_playback_lights_the_cue_being_spoken(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    assert window.session.transcript_path.name == "talk.en.vtt"  # found beside the video
    seen = []
    window.player.position_changed.connect(lambda ms: seen.append((ms, view.current_cue())))
    window.player.play()
    qtbot.waitUntil(lambda: window.player.position() > 3_800, timeout=15_000)
    window.player.pause()
    assert view.current_cue() == 2
    # every reported moment lit the right cue (the view reacts synchronously to each position)
    starts = [c.start_ms for c in view.timeline.cues]
    for ms, cue in seen:
        expected = max((i for i, s in enumerate(starts) if s <= ms), default=-1)
        assert cue == expected, (ms, cue)
    assert len({cue for _ms, cue in seen}) >= 3
    lit = [s for s in view.extraSelections() if s.cursor.selectionStart() == view.cue_range(2)[0]]
    assert lit and lit[0].cursor.selectionEnd() == view.cue_range(2)[1]


def test_clicking_a_paragraph_time_seeks_there(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    point = stamp_point(view, 1)  # Ben's paragraph, 0:03
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: abs(window.player.position() - 3_500) < 100, timeout=5_000)
    assert view.current_cue() == 2


def test_double_clicking_a_line_seeks_to_it(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.cue_range(3)[0] + 4)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: abs(window.player.position() - 5_000) < 100, timeout=5_000)
    assert view.current_cue() == 3
    assert not view.textCursor().hasSelection()


def test_scrolling_pauses_follow_and_the_button_resumes_it(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    window.player.seek(2_100)  # a current line to come back to
    assert view.following and not view.back_button.isVisible()
    wheel = QWheelEvent(QPointF(50, 50), QPointF(view.mapToGlobal(QPoint(50, 50))), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert not view.following and view.back_button.isVisible()
    # in a strip of its own under the text: in sight, and never over the last line's words
    assert view.rect().contains(view.back_button.geometry())
    assert not view.viewport().geometry().intersects(view.back_button.geometry())
    window.player.seek(5_200)  # position moves, but the view must not jump back while paused
    assert not view.following
    qtbot.mouseClick(view.back_button, Qt.MouseButton.LeftButton)
    assert view.following and not view.back_button.isVisible()
    assert view.viewport().geometry().bottom() == view.rect().bottom()  # the strip closes with it
    assert view.current_cue() == 3


def test_selecting_text_pauses_follow_and_a_seek_resumes_it(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    start, end = view.cue_range(1)
    a, b = QTextCursor(view.document()), QTextCursor(view.document())
    a.setPosition(start)
    b.setPosition(end)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(a).center())
    qtbot.mouseMove(view.viewport(), pos=view.cursorRect(b).center())
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(b).center())
    assert view.textCursor().hasSelection()
    assert not view.following
    window.seek(1_000)
    assert view.following


def test_keys_and_the_scroll_bar_pause_follow_and_the_button_stays_in_sight(window, qtbot, tmp_path):
    long_srt = "".join(f"{i + 1}\n00:{i // 60:02d}:{i % 60:02d},000 --> 00:{i // 60:02d}:{i % 60:02d},900\nLine {i} of a long talk.\n\n" for i in range(600))
    (tmp_path / "long.srt").write_text(long_srt, encoding="utf-8")
    window.reading.open_paths(None, tmp_path / "long.srt")
    view = window.transcript_pane.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert not view.following
    view.resume_follow()
    bar = view.verticalScrollBar()
    bar.triggerAction(bar.SliderAction.SliderPageStepAdd)
    bar.triggerAction(bar.SliderAction.SliderPageStepAdd)
    assert not view.following and bar.value() > 0
    assert not view.back_button.isVisible() or (view.rect().contains(view.back_button.geometry())
                                                and not view.viewport().geometry().intersects(view.back_button.geometry()))
    window.seek(300_000)  # a seek resumes following and brings line 300 into view
    assert view.following
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.cue_range(300)[0])
    qtbot.waitUntil(lambda: 0 <= view.cursorRect(cursor).top() < view.viewport().height(), timeout=2_000)  # a short glide


def test_find_counts_highlights_and_steps_through_matches(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    pane = window.transcript_pane
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.isVisible() and pane.find_bar.edit.hasFocus()
    qtbot.keyClicks(pane.find_bar.edit, "LINE")
    assert pane.find_bar.count.text() == "1 of 4"
    assert sum(1 for s in view.extraSelections() if s.cursor.selectedText().lower() == "line") == 4
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Return)
    assert pane.find_bar.count.text() == "2 of 4"
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert pane.find_bar.count.text() == "4 of 4"
    pane.find_bar.edit.setText("zebra")
    assert pane.find_bar.count.text() == "No matches"
    qtbot.keyClick(pane.find_bar.edit, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()
    assert not any(s.cursor.selectedText().lower() == "line" for s in view.extraSelections())


def test_space_j_l_arrows_and_speed_keys(window, qtbot, clip_dir):
    open_clip(window, qtbot, clip_dir)
    window.transcript_pane.view.setFocus()
    window.player.seek(4_000)
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_J)
    assert window.player.position() == 0
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Right)
    assert window.player.position() == 5_000
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Left)
    assert window.player.position() == 0
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Greater, Qt.KeyboardModifier.ShiftModifier)
    assert window.player.rate() == pytest.approx(1.25)
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Less, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Less, Qt.KeyboardModifier.ShiftModifier)
    assert window.player.rate() == pytest.approx(0.75)
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_Space)
    qtbot.waitUntil(window.player.is_playing, timeout=5_000)
    qtbot.keyClick(window.transcript_pane.view, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: not window.player.is_playing(), timeout=5_000)


def test_subtitle_offset_shifts_the_lit_line(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    window.player.seek(2_100)
    assert view.current_cue() == 1
    window.transcript_pane.offset.setValue(1_000)  # the lines are a second late: show them later
    window.player.seek(2_200)
    assert view.current_cue() == 0
    point = stamp_point(view, 1)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: abs(window.player.position() - 4_500) < 100, timeout=5_000)


def test_the_subtitle_offset_is_kept_when_the_video_opens_again(window, qtbot, clip_dir):
    view = open_clip(window, qtbot, clip_dir)
    video_id = window.session.video_id
    window.transcript_pane.offset.setValue(1_000)
    window.reading.open_demo()
    assert window.transcript_pane.offset.value() == 0 and view.offset_ms == 0
    window.reading.open_video(video_id)
    assert window.transcript_pane.offset.value() == 1_000 and view.offset_ms == 1_000


def test_chapters_from_the_media_are_listed_followed_and_clickable(window, qtbot, clip_dir):
    open_clip(window, qtbot, clip_dir)
    box = window.transcript_pane.chapters
    assert [box.itemText(i) for i in range(box.count())] == ["0:00  Opening", "0:03  Reply"]
    window.player.seek(4_000)
    assert box.currentIndex() == 1
    box.activated.emit(0)
    qtbot.waitUntil(lambda: window.player.position() < 100, timeout=5_000)
    assert box.currentIndex() == 0


def test_broken_media_shows_a_message_and_the_transcript_stays_usable(window, qtbot, tmp_path):
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 500)
    (tmp_path / "broken.vtt").write_text(CLIP_VTT, encoding="utf-8")
    window.reading.open_paths(bad)
    qtbot.waitUntil(lambda: "cannot be played" in window.banner.text(), timeout=10_000)
    view = window.transcript_pane.view
    assert len(view.timeline.cues) == 4
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=stamp_point(view, 1))
    assert view.current_cue() == 2  # reading still moves the highlight


def test_unreadable_transcript_shows_a_message_and_the_video_still_plays(window, qtbot, clip_dir, tmp_path):
    junk = tmp_path / "junk.srt"
    junk.write_bytes(b"\x00\xff" * 2000)
    window.reading.open_paths(clip_dir / "talk.mp4", junk)
    assert "junk.srt" in window.banner.text()
    assert window.transcript_pane.empty.isVisible() and "junk.srt" in window.transcript_pane.empty.text()
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)
    window.player.play()
    qtbot.waitUntil(lambda: window.player.position() > 300, timeout=10_000)


def test_audio_only_and_transcript_only(window, qtbot, tmp_path):
    audio = make_clip(tmp_path / "podcast.m4a", seconds=3, video=False)
    (tmp_path / "podcast.srt").write_text("1\n00:00:00,500 --> 00:00:02,000\nOnly sound here.\n", encoding="utf-8")
    window.reading.open_paths(audio)
    qtbot.waitUntil(lambda: "Audio only" in window.video_pane.card.text(), timeout=10_000)
    assert len(window.transcript_pane.view.timeline.cues) == 1
    window.reading.open_paths(None, tmp_path / "podcast.srt")
    assert "Reading only" in window.video_pane.card.text()
    assert not window.video_pane.controls.play_button.isEnabled()


def test_dropping_a_video_and_then_a_subtitle(window, qtbot, clip_dir, tmp_path):
    video = tmp_path / "lecture.mp4"
    shutil.copy(clip_dir / "talk.mp4", video)
    subs = tmp_path / "other-name.srt"
    subs.write_text("1\n00:00:01,000 --> 00:00:02,000\nDropped subtitle line.\n", encoding="utf-8")

    def drop(*paths):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        window.dropEvent(event)

    drop(video)
    assert window.session.media == video and window.transcript_pane.empty.isVisible()
    drop(subs)  # a subtitle dropped on an open video belongs to it
    assert window.session.media == video
    assert [c.text for c in window.transcript_pane.view.timeline.cues] == ["Dropped subtitle line."]
    drop(tmp_path)
    assert "neither" in window.banner.text()


def test_layout_and_player_settings_are_remembered(qtbot, clip_dir):
    make_app()
    first = MainWindow()
    qtbot.addWidget(first)
    first.resize(790, 560)  # the offscreen screen is 800 px wide
    first.show()
    first.splitter.setSizes([425, 360])
    saved = first.splitter.sizes()
    first.player.set_volume(35)
    first.player.set_rate(1.5)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.splitter.sizes() == saved
    assert second.player.volume() == 35
    assert second.player.rate() == pytest.approx(1.5)
    second.close()


def test_full_screen_toggles(window, qtbot, clip_dir):
    open_clip(window, qtbot, clip_dir)
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(window.isFullScreen, timeout=3_000)
    assert not window.menuBar().isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3_000)
    assert window.menuBar().isVisible()


def test_the_spoken_word_is_marked_where_word_timings_exist(window, qtbot, clip_dir, tmp_path):
    from conftest import ROLLING

    subs = tmp_path / "rolling.vtt"
    subs.write_text(ROLLING, encoding="utf-8")
    window.reading.open_paths(clip_dir / "talk.mp4", subs)
    qtbot.waitUntil(lambda: window.player.duration() > 0, timeout=10_000)
    view = window.transcript_pane.view
    window.player.seek(4_750)  # "that's what she said": 'she' starts at 4.700
    assert view.current_cue() == 2
    marked = sorted((s.cursor.selectionStart(), s.cursor.selectedText()) for s in view.extraSelections())
    assert [text for _start, text in marked] == ["that's what she said", "she"]
    window.player.seek(5_100)
    assert [s.cursor.selectedText() for s in view.extraSelections()][-1] == "said"


def test_a_new_subtitle_for_the_open_video_keeps_its_place(window, qtbot, clip_dir, tmp_path):
    open_clip(window, qtbot, clip_dir)
    window.player.seek(3_000)
    subs = tmp_path / "again.srt"
    subs.write_text("1\n00:00:02,500 --> 00:00:04,000\nReplacement line.\n", encoding="utf-8")
    window.reading.open_files([subs])
    assert window.player.position() == 3_000
    assert window.transcript_pane.view.current_cue() == 0


def test_a_chapter_list_beside_the_media_is_used(window, qtbot, clip_dir, tmp_path):
    video = tmp_path / "lesson.mp4"
    shutil.copy(clip_dir / "talk.mp4", video)
    (tmp_path / "lesson.vtt").write_text(CLIP_VTT, encoding="utf-8")
    (tmp_path / "lesson.chapters.txt").write_text("0:00 Welcome\n0:05 Wrap-up\n", encoding="utf-8")
    window.reading.open_paths(video)
    box = window.transcript_pane.chapters
    assert [box.itemText(i) for i in range(box.count())] == ["0:00  Welcome", "0:05  Wrap-up"]


def _luminance(c) -> float:
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


@pytest.mark.parametrize("background", ["#efefef", "#ffffff", "#202124", "#2b2c2f"])
def test_chapter_marks_stand_out_in_light_and_dark(qapp, background):
    from PySide6.QtGui import QColor

    from reader.ui.widgets.controls import tick_colour

    bg, tick = QColor(background), tick_colour(QColor(background))
    a = tick.alphaF()
    seen = QColor(*(round(a * t + (1 - a) * b) for t, b in ((tick.red(), bg.red()), (tick.green(), bg.green()), (tick.blue(), bg.blue()))))
    lighter, darker = sorted((_luminance(seen), _luminance(bg)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 3.0  # WCAG's contrast for graphics


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_player_icons_are_drawn_in_the_text_colour_of_either_theme(qapp, theme):
    from reader.ui.appearance import set_appearance
    from reader.ui.widgets.controls import PlayerControls

    set_appearance(theme)
    try:
        controls = PlayerControls()
        text = controls.palette().buttonText().color()
        for button in (controls.play_button, controls.mute_button, controls.full_button):
            image = button.icon().pixmap(16, 16).toImage()
            inked = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
                     if image.pixelColor(x, y).alpha() > 200]
            assert inked, "the icon draws nothing"
            assert all(abs(c.lightness() - text.lightness()) < 40 for c in inked)  # the theme's text colour, not black on dark
    finally:
        set_appearance("system")


def test_preferences_and_undo_live_in_the_edit_menu(window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus)[:3] == ["File", "Edit", "Playback"]
    edit = {a.text().replace("&", ""): a for a in menus["Edit"].actions() if a.text()}
    assert edit["Preferences…"].shortcut().toString() == "Ctrl+,"
    assert edit["Undo Delete"].shortcut().toString() == "Ctrl+Z"
    assert "Preferences…" not in [a.text().replace("&", "") for a in menus["Notes"].actions()]


@pytest.mark.parametrize("page", ["library", "review"])
def test_back_from_the_library_or_review_to_the_video_by_button_and_keys(window, transcript_file, qtbot, page):
    back = window.actions_by_name["back_to_video"]
    getattr(window, f"show_{page}")()
    shown = window.library_page if page == "library" else window.review_page
    assert not shown.back_button.isVisible() and not back.isEnabled()  # nothing open to go back to
    window.reading.open_paths(None, transcript_file)
    assert window.pages.currentWidget() is window.splitter
    for go_back in (lambda: shown.back_button.click(), lambda: qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier),
                    lambda: qtbot.keyClick(window, Qt.Key.Key_Escape)):
        getattr(window, f"show_{page}")()
        assert shown.back_button.isVisible() and back.isEnabled()
        go_back()
        assert window.pages.currentWidget() is window.splitter and not back.isEnabled()
        assert window.windowTitle().endswith("— Reader") and not window.windowTitle().startswith(("Library", "Review"))


def test_the_first_run_welcomes_once(qtbot):
    from conftest import new_window

    first = new_window(qtbot)
    first.start()
    assert "Welcome to Reader" in first.banner.text()
    first.close()
    again = new_window(qtbot)
    again.start()
    assert "Welcome to Reader" not in again.banner.text()
    again.close()
