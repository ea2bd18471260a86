"""The library: every imported video with its thumbnail and progress, sorting, filtering, and search
across all transcripts."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRect, QSize, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QKeySequence, QPainter, QPixmap, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QLabel, QLineEdit, QListView, QMenu, QPushButton, QSplitter,
    QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from reader.base.counts import highlights_and_notes
from reader.base.links import looks_like_url
from reader.library.db.downloads import download_words, lacks_video
from reader.library.opened import display_title
from reader.transcript.writers import short_clock
from reader.ui.widgets.page_header import page_header

ROW_HEIGHT = 84
THUMB = QSize(128, 72)
SOURCE_NAMES = {"creator": "subtitles", "automatic": "auto-captions", "file": "transcript file", "none": "no transcript"}
SORTS = (
    ("Recently added", "added_at", True),
    ("Recently opened", "opened_at", True),
    ("Title", "title", False),
    ("Channel", "channel", False),
    ("Duration", "duration_ms", True),
)


def source_name(source: str | None) -> str:
    """Where an entry's transcript came from, in a word or two ("transcribed, base.en, …" is "transcribed")."""
    source = source or "none"
    return "transcribed" if source.startswith("transcribed") else SOURCE_NAMES.get(source, "")


def detail_line(row: dict) -> str:
    """An entry's second line: length, transcript source, lines, highlights and notes, how far it was watched, its video's download."""
    duration = row.get("duration_ms") or 0
    details = [short_clock(duration) if duration else "", source_name(row.get("transcript_source"))]
    if row.get("cue_count"):
        details.append(f"{row['cue_count']} line{'s' if row['cue_count'] != 1 else ''}")
    if row.get("note_count"):  # as the Notes pane counts them: highlights, and how many have a note
        details.append(highlights_and_notes(row["note_count"], row.get("noted_count") or 0))
    if duration > 0 and row.get("last_position_ms"):
        details.append(f"watched to {short_clock(row['last_position_ms'])}")
    details.append(download_words(row))  # "video not downloaded", "video partly downloaded (40%)"
    if row.get("tags_text"):
        details.append("tags: " + row["tags_text"])
    return " · ".join(d for d in details if d)


class LibraryModel(QAbstractListModel):
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_title(row["title"])
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{display_title(row['title'], 500)}\n{display_title(row['source_url'], 500)}"
        return None


class LibraryFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.key, self.descending = "added_at", True

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.casefold().strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_sort(self, key: str, descending: bool) -> None:
        """Sort the rows themselves (a key sort in C), not through Qt's pairwise lessThan in Python."""
        self.key, self.descending = key, descending
        model = self.sourceModel()

        def sort_key(row):
            value = row.get(key)
            return (value or "").casefold() if key in ("title", "channel", "added_at", "opened_at") else (value or 0)

        model.set_rows(sorted(model.rows, key=sort_key, reverse=descending))

    def filterAcceptsRow(self, source_row: int, parent) -> bool:
        if not self.text:
            return True
        row = self.sourceModel().rows[source_row]
        hay = f"{row['title']} {row['channel'] or ''} {row.get('tags_text') or ''}".casefold()
        return all(word in hay for word in self.text.split())


class LibraryDelegate(QStyledItemDelegate):
    """One row: thumbnail, title, channel and details, a bar showing how far it was watched."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thumbs: dict[str, QPixmap] = {}

    def sizeHint(self, option, index) -> QSize:
        return QSize(400, ROW_HEIGHT)

    def _thumb(self, path: str) -> QPixmap | None:
        if not path:
            return None
        if path not in self._thumbs:
            pix = QPixmap(path)
            self._thumbs[path] = pix.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatioByExpanding, Qt.TransformationMode.SmoothTransformation) if not pix.isNull() else QPixmap()
        pix = self._thumbs[path]
        return None if pix.isNull() else pix

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        row = index.data(LibraryModel.RowRole)
        painter.save()
        style = option.widget.style() if option.widget else None
        if style:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        text_color = pal.highlightedText().color() if selected else pal.text().color()
        muted = QColor(text_color)
        muted.setAlpha(150)
        r = option.rect.adjusted(10, 6, -10, -6)
        thumb_rect = QRect(r.left(), r.top(), THUMB.width(), THUMB.height())
        pix = self._thumb(row.get("thumbnail_path") or "")
        if pix is not None:
            painter.setClipRect(thumb_rect)
            source = QRect((pix.width() - THUMB.width()) // 2, (pix.height() - THUMB.height()) // 2, THUMB.width(), THUMB.height())
            painter.drawPixmap(thumb_rect, pix, source)
            painter.setClipping(False)
        else:
            painter.fillRect(thumb_rect, QColor("#2c3a4f"))
            painter.setPen(QColor("#cfd8e3"))
            painter.drawText(thumb_rect, Qt.AlignmentFlag.AlignCenter, "♪" if not row.get("media_path") else "▶")
        duration = row.get("duration_ms") or 0
        if duration > 0 and row.get("last_position_ms"):
            done = min(1.0, row["last_position_ms"] / duration)
            bar = QRect(thumb_rect.left(), thumb_rect.bottom() - 3, int(thumb_rect.width() * done), 4)
            painter.fillRect(bar, QColor("#e8875b"))
        x = thumb_rect.right() + 14
        width = r.right() - x
        title_font = QFont(option.font)
        title_font.setPointSizeF(option.font.pointSizeF() * 1.08)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(text_color)
        fm = painter.fontMetrics()
        painter.drawText(QRect(x, r.top(), width, fm.height()), Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(display_title(row["title"]), Qt.TextElideMode.ElideRight, width))
        painter.setFont(option.font)
        fm = painter.fontMetrics()
        painter.setPen(muted)
        line2 = " · ".join(x for x in (row.get("channel") or "", row.get("upload_date") or "") if x)
        y = r.top() + title_font.pointSizeF() * 2.0
        painter.drawText(QRect(x, int(y), width, fm.height()), Qt.AlignmentFlag.AlignLeft, fm.elidedText(line2, Qt.TextElideMode.ElideRight, width))
        painter.drawText(QRect(x, int(y) + fm.height() + 4, width, fm.height()), Qt.AlignmentFlag.AlignLeft,
                         fm.elidedText(detail_line(row), Qt.TextElideMode.ElideRight, width))
        painter.restore()


class HitDelegate(QStyledItemDelegate):
    """Search results with the matching words in bold (text is escaped; only our <b> is markup)."""

    def paint(self, painter, option, index) -> None:
        html_text = index.data(Qt.ItemDataRole.UserRole + 2)
        if not html_text:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        color = option.palette.highlightedText().color() if option.state & QStyle.StateFlag.State_Selected else option.palette.text().color()
        if option.state & QStyle.StateFlag.State_Selected:  # grey on the selection colour cannot be read
            html_text = html_text.replace("color:gray", "")
        doc.setHtml(f"<span style='color:{color.name()}'>{html_text}</span>")
        doc.setTextWidth(option.rect.width())
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRect(0, 0, option.rect.width(), option.rect.height()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        html_text = index.data(Qt.ItemDataRole.UserRole + 2)
        if html_text and option.widget is not None:
            doc = QTextDocument()
            doc.setDefaultFont(option.font)
            doc.setHtml(html_text)
            doc.setTextWidth(max(200, option.widget.viewport().width() - 60))
            return QSize(size.width(), int(doc.size().height()) + 4)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))


NOTE_KINDS = {"highlight": "Highlight", "answer": "Answer", "card": "Card"}


def snippet_html(snippet: str) -> str:
    """FTS snippet with \\x02…\\x03 around matches, as safe HTML with the matches in bold."""
    out = html.escape(snippet).replace("\x02", "<b>").replace("\x03", "</b>")
    return out


class LibraryPage(QWidget):
    open_requested = Signal(int, int)  # video id, position (ms) or -1 to resume
    import_requested = Signal(str)  # a link, or "" to ask for one
    open_file_requested = Signal()
    demo_requested = Signal()
    remove_requested = Signal(int)
    download_requested = Signal(int)  # Download Video: an entry stored with its transcript and no video yet
    reveal_requested = Signal(int)
    transcribe_requested = Signal(int)  # an entry without a transcript
    tags_requested = Signal(int)  # edit an entry's tags
    ask_requested = Signal(int)  # ask the library about this entry alone

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("libraryPage")
        self.videos = lambda: []  # the library's rows, newest first (set_source)
        self._changes, self._read_at = None, None  # the library's change mark, and the one the rows were read at
        self._ask = None  # searching off the GUI thread (set_searcher)
        self.find = None  # find(text) -> reader.library.search.Results
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter titles, and search every transcript…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search_changed)
        self.sort = QComboBox(self)
        for label, key, desc in SORTS:
            self.sort.addItem(label, (key, desc))
        self.sort.setToolTip("Sort")
        self.sort.currentIndexChanged.connect(self._on_sort)
        import_button = QPushButton("Import from URL…", self)
        import_button.setObjectName("importButton")
        import_button.clicked.connect(lambda: self.import_requested.emit(""))
        open_button = QPushButton("Open File…", self)
        open_button.clicked.connect(self.open_file_requested)
        top, self.back_button = page_header(self, "Library", self.search)
        self.due_button = QPushButton("", self)  # "5 cards due": the review session (menus.show_due_count)
        self.due_button.setObjectName("dueCards")
        self.due_button.setToolTip("Review the cards due now (Ctrl+Shift+R)")
        self.due_button.hide()
        top.insertWidget(3, self.due_button)  # after the heading, as part of the page: "Library  [2 cards due]"
        self.transcribe_button = QPushButton("Transcribe…", self)
        self.transcribe_button.setToolTip("The selected video has no transcript: make one from its sound on this computer")
        self.transcribe_button.clicked.connect(lambda: (i := self.selected_id()) is not None and self.transcribe_requested.emit(i))
        self.transcribe_button.hide()
        top.addWidget(self.sort)
        top.addWidget(self.transcribe_button)
        top.addWidget(import_button)
        top.addWidget(open_button)
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)
        self.list = QListView(self)
        self.list.setObjectName("libraryList")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(LibraryDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.activated.connect(self._on_activated)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._offer_transcribe())
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_menu)
        self.hits = QTreeWidget(self)
        self.hits.setObjectName("searchHits")
        self.hits.setHeaderHidden(True)
        self.hits.setItemDelegate(HitDelegate(self.hits))
        self.hits.itemActivated.connect(self._on_hit)
        self.hits.itemClicked.connect(self._on_hit)
        self.hits.hide()
        self.hits_label = QLabel("", self)
        self.hits_label.setObjectName("hitsLabel")
        self.hits_label.hide()
        self.empty = QLabel(self)
        self.empty.setObjectName("libraryEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setText(
            "<h2>Your library is empty</h2><p>Paste a YouTube link anywhere here (Ctrl+V), or use "
            "<b>Import from URL…</b> — the video, its transcript, chapters and description are saved on this computer.</p>"
            "<p>Or open a video and subtitle file you already have, or <a href='demo'>try the demo</a>.</p>"
            "<p style='color:gray'>Importing needs a network connection; watching, reading and searching what you have never do.</p>"
        )
        self.empty.linkActivated.connect(lambda _l: self.demo_requested.emit())
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.hits_label)
        lower_layout.addWidget(self.hits)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.list)
        self.split.addWidget(lower)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.empty, 1)
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self._on_paste)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._run_search)

    def set_source(self, videos, find, changes=None) -> None:
        """Where the rows come from: videos() -> rows, find(text) -> ranked results (None: no library);
        changes() -> a mark that differs once anything in the library has changed (None: read every time)."""
        self.videos, self.find, self._changes, self._read_at = videos, find, changes, None
        self.refresh()

    def refresh(self) -> None:
        """The rows as the library has them now: read again only when it has changed since they were read."""
        mark = self._changes() if self._changes is not None else None
        current = self.selected_id()
        if mark is None or mark != self._read_at:
            rows = self.videos()
            self._read_at = mark
            self.model.set_rows(rows)
        rows = self.model.rows
        self.proxy.set_sort(*self.sort.currentData())
        self.split.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if current is not None:
            self.select(current)
        if self.search.text():
            self._run_search()
        self._offer_transcribe()

    def _offer_transcribe(self) -> None:
        """Transcribe… is offered for the selected entry when it has media (or its sound, fetched first) and no transcript."""
        idx = self.list.currentIndex()
        row = idx.data(LibraryModel.RowRole) if idx.isValid() else None
        self.transcribe_button.setVisible(bool(row) and not row.get("cue_count") and bool(row.get("media_path") or row.get("sound_path")))

    def select(self, video_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(LibraryModel.RowRole)["id"] == video_id:
                self.list.setCurrentIndex(idx)
                return

    def selected_id(self) -> int | None:
        idx = self.list.currentIndex()
        return idx.data(LibraryModel.RowRole)["id"] if idx.isValid() else None

    def visible_titles(self) -> list[str]:
        return [self.proxy.index(r, 0).data() for r in range(self.proxy.rowCount())]

    def _on_sort(self) -> None:
        self.proxy.set_sort(*self.sort.currentData())

    def _on_activated(self, index) -> None:
        self.open_requested.emit(index.data(LibraryModel.RowRole)["id"], -1)

    def _on_menu(self, pos) -> None:
        index = self.list.indexAt(pos)
        if not index.isValid():
            return
        row = index.data(LibraryModel.RowRole)
        video_id = row["id"]
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.open_requested.emit(video_id, -1))
        if not row.get("cue_count") and (row.get("media_path") or row.get("sound_path")):  # the sound may come first
            menu.addAction("Transcribe…", lambda: self.transcribe_requested.emit(video_id))
        if lacks_video(row):
            menu.addAction("Download Video", lambda: self.download_requested.emit(video_id))
        menu.addAction("Show Files", lambda: self.reveal_requested.emit(video_id))
        menu.addAction("Edit Tags…", lambda: self.tags_requested.emit(video_id))
        menu.addAction("Ask About This Video…", lambda: self.ask_requested.emit(video_id))
        menu.addSeparator()
        menu.addAction("Remove from Library…", lambda: self.remove_requested.emit(video_id))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _on_paste(self) -> None:
        text = QGuiApplication.clipboard().text().strip()
        if looks_like_url(text):
            self.import_requested.emit(text)

    def _on_search_changed(self, text: str) -> None:
        if looks_like_url(text):  # a link pasted into the search box is an import, not a search
            self.search.clear()
            self.import_requested.emit(text.strip())
            return
        self.proxy.set_text(text)
        # while searching, titles that match are shown only if there are any
        self.list.setVisible(self.proxy.rowCount() > 0 or not text.strip())
        self._search_timer.start()

    def set_searcher(self, ask) -> None:
        """ask(text): search off the GUI thread, the results coming back through show_found (None: search here)."""
        self._ask = ask

    def _run_search(self) -> None:
        text = self.search.text().strip()
        if len(text) < 2 or self.find is None:
            self.hits.clear()
            self.hits.hide()
            self.hits_label.hide()
            return
        if self._ask is not None:
            self._ask(text)  # the results as they were stay until the new ones come
        else:
            self._show_found(self.find(text))

    def show_found(self, text: str, found) -> None:
        """Results searched elsewhere, shown if they are still for what the box holds."""
        if text == self.search.text().strip() and len(text) >= 2 and self.find is not None:
            self._show_found(found)

    def search_failed(self, text: str) -> None:
        """The search elsewhere could not read the library: searched here instead."""
        if text == self.search.text().strip() and len(text) >= 2 and self.find is not None:
            self._show_found(self.find(text))

    def _show_found(self, found) -> None:
        self.hits.clear()
        for video in found.videos:
            parent = QTreeWidgetItem(self.hits, [f"{display_title(video.title)}  ·  {video.found_in()}"])
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            parent.setData(0, Qt.ItemDataRole.UserRole, (video.video_id, -1))
            parent.setExpanded(True)
            for hit in video.lines:
                item = QTreeWidgetItem(parent, [f"{short_clock(hit.start_ms)}  {hit.text}"])
                item.setData(0, Qt.ItemDataRole.UserRole, (video.video_id, hit.start_ms))
                item.setData(0, Qt.ItemDataRole.UserRole + 2, f"<span style='color:gray'>{short_clock(hit.start_ms)}</span>"
                              f"&nbsp;&nbsp;{snippet_html(hit.snippet)}")
            for note in video.notes:
                words = note.text if note.kind != "highlight" or not note.detail else f"{note.text} — {note.detail}"
                item = QTreeWidgetItem(parent, [f"{short_clock(note.start_ms)}  {NOTE_KINDS[note.kind]}: {words}"])
                item.setData(0, Qt.ItemDataRole.UserRole, (video.video_id, note.start_ms))
                item.setData(0, Qt.ItemDataRole.UserRole + 2, f"<span style='color:gray'>{short_clock(note.start_ms)}&nbsp;&nbsp;"
                              f"{NOTE_KINDS[note.kind]}:</span> {html.escape(display_title(words, 300))}")
        shown = len(found.videos)
        if not shown:
            self.hits_label.setText("  Nothing in the transcripts or your notes holds that.")
        else:
            more = f", the best {shown} shown" if found.video_count > shown else ""
            count = max(found.video_count, shown)
            self.hits_label.setText(f"  Spoken of in {count} video{'s' if count != 1 else ''}{more}, best first")
        self.hits_label.show()
        appearing = bool(shown) and self.hits.isHidden()
        self.hits.setVisible(bool(shown))
        if appearing:  # the results take the room: the titles that match keep at most a third, or what their rows need
            total = sum(self.split.sizes())
            rows = self.proxy.rowCount() if self.list.isVisible() else 0
            need = rows * max(self.list.sizeHintForRow(0), 1) + 2 * self.list.frameWidth() if rows else 0
            titles = min(need, total // 3)
            self.split.setSizes([titles, total - titles])

    def _on_hit(self, item, _column=0) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if data:
            self.open_requested.emit(data[0], data[1])

    def hit_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.hits.topLevelItemCount()):
            top = self.hits.topLevelItem(i)
            out.extend(top.child(j) for j in range(top.childCount()))
        return out
