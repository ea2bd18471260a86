"""The bare PySide6 player the cold-start benchmark compares with: a video widget in a window, a player with its
audio output, the demo, play; FIRST_FRAME (with its CPU time) when the first frame reaches the widget."""

import sys
import time

from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
video = QVideoWidget()
video.resize(1280, 760)
video.show()
player = QMediaPlayer()
audio = QAudioOutput()
player.setAudioOutput(audio)
player.setVideoOutput(video)


def on_frame(frame):
    if frame.isValid():
        print("FIRST_FRAME", f"cpu={time.process_time():.3f}", flush=True)
        player.videoSink().videoFrameChanged.disconnect(on_frame)


player.videoSink().videoFrameChanged.connect(on_frame)
player.setSource(QUrl.fromLocalFile(sys.argv[1]))
player.play()
app.exec()
