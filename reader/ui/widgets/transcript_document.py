"""The transcript as one text: paragraphs with their times, speakers and chapter headings, where each line sits, and its type."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from reader.transcript.model import Cue
from reader.transcript.paragraphs import Paragraph
from reader.transcript.writers import short_clock


def u16(text: str) -> int:
    """Length in UTF-16 units, which is how QTextDocument counts positions."""
    return len(text.encode("utf-16-le")) // 2


def py_index(text: str, u16_offset: int) -> int:
    """The Python index of a UTF-16 offset into text."""
    if text.isascii():
        return u16_offset
    count = 0
    for i, ch in enumerate(text):
        if count >= u16_offset:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


@dataclass
class Layout:
    """Where everything is in the document, in its positions (UTF-16 units when `astral`, else characters)."""

    text: str = ""
    cue_pos: list[int] = field(default_factory=list)  # where each cue's text starts
    cue_end: list[int] = field(default_factory=list)
    stamps: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, ms) of each paragraph's time
    headings: list[tuple[int, int]] = field(default_factory=list)  # (start, length) of chapter titles
    speakers: list[tuple[int, int]] = field(default_factory=list)
    astral: bool = False  # some character lies outside the BMP, so positions count UTF-16 units


def lay_out(paragraphs: list[Paragraph], cues: list[Cue], offset_ms: int) -> Layout:
    """One line of text per paragraph (its time first), a line for each new speaker and chapter."""
    # a line beyond the BMP has a character past U+FFFF: max() finds it in C (a character at a time in Python was
    # 20 ms for an hour's transcript, on the window's thread as an entry opens)
    layout = Layout(astral=any(not c.text.isascii() and max(c.text) > "\uffff" for c in cues))
    measure = u16 if layout.astral else len
    pieces: list[str] = []
    pos = 0
    last_speaker = None
    for para in paragraphs:
        if para.chapter is not None:
            title = para.chapter.title.replace("\n", " ")
            layout.headings.append((pos, measure(title)))
            pieces.append(title + "\n")
            pos += measure(title) + 1
        if para.speaker and para.speaker != last_speaker:
            layout.speakers.append((pos, measure(para.speaker)))
            pieces.append(para.speaker + "\n")
            pos += measure(para.speaker) + 1
        last_speaker = para.speaker
        stamp = short_clock(para.start_ms + offset_ms)
        layout.stamps.append((pos, pos + len(stamp), para.start_ms))
        line = [stamp, "\u2002 "]
        pos += len(stamp) + 2
        for i in range(para.first, para.last + 1):
            text = cues[i].text.replace("\n", " ")
            layout.cue_pos.append(pos)
            pos += measure(text)
            layout.cue_end.append(pos)
            line.append(text)
            if i < para.last:
                line.append(" ")
                pos += 1
        pieces.append("".join(line) + "\n")
        pos += 1
    layout.text = "".join(pieces).rstrip("\n")
    return layout


def apply_formats(doc: QTextDocument, layout: Layout, font: QFont, stamp_colour: QColor) -> None:
    """Spacing between paragraphs, times small and in the link colour, speakers bold, chapter titles large.
    Everything else is drawn in the plain format, whatever the text was inserted with (QTextEdit.setPlainText
    inserts with the format of the cursor's last place: a time or a speaker clicked before the rebuild)."""
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.setCharFormat(QTextCharFormat())
    block = QTextBlockFormat()
    block.setBottomMargin(max(6, round(font.pointSizeF() * 0.9)))
    block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.mergeBlockFormat(block)
    stamp_fmt = QTextCharFormat()
    stamp_fmt.setForeground(stamp_colour)
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.82)
    stamp_fmt.setFont(small, QTextCharFormat.FontPropertiesInheritanceBehavior.FontPropertiesSpecifiedOnly)
    for start, end, _ms in layout.stamps:
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(stamp_fmt)
    speaker_fmt = QTextCharFormat()
    speaker_fmt.setFontWeight(QFont.Weight.Bold)
    heading_fmt = QTextCharFormat()
    heading_fmt.setFontWeight(QFont.Weight.DemiBold)
    heading_fmt.setFontPointSize(font.pointSizeF() * 1.3)
    for spans, char_fmt, top, bottom in ((layout.speakers, speaker_fmt, 8, 2), (layout.headings, heading_fmt, 18, 6)):
        block_fmt = QTextBlockFormat()
        block_fmt.setTopMargin(top)
        block_fmt.setBottomMargin(bottom)
        for start, length in spans:
            cursor.setPosition(start)
            cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(char_fmt)
            cursor.mergeBlockFormat(block_fmt)
    cursor.endEditBlock()


def word_span(cue: Cue, word: int, astral: bool) -> tuple[int, int] | None:
    """Where the given word sits inside its cue's text, found by walking the words in order."""
    if word < 0:
        return None
    text = cue.text.replace("\n", " ")
    at = 0
    span = None
    for w in cue.words[: word + 1]:
        found = text.find(w.text, at)
        if found < 0:
            return None
        span = (found, found + len(w.text))
        at = span[1]
    if span and astral:
        span = (u16(text[: span[0]]), u16(text[: span[1]]))
    return span


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection from start to end (Python indices into text) grown to whole words at both ends, and
    without the spaces it began or ended on. A word is letters and digits, with ' and - inside it."""

    def inside(i: int) -> bool:
        if not 0 <= i < len(text):
            return False
        ch = text[i]
        if ch.isalnum():
            return True
        return ch in "'’-" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()

    if start >= end:
        return start, end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return start, start
    while start > 0 and inside(start) and inside(start - 1):
        start -= 1
    while end < len(text) and inside(end - 1) and inside(end):
        end += 1
    return start, end
