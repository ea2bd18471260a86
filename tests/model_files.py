"""Shared by the model tests: the files a faster-whisper model folder holds, and a folder made of them."""

import json
import os
from pathlib import Path

FILES = {
    "model.bin": os.urandom(3 << 20),
    "config.json": json.dumps({"alignment_heads": [[1, 0]], "lang_ids": []}).encode(),
    "tokenizer.json": b'{"model": {}}',
    "vocabulary.txt": b"a\nb\n",
}


def _model(folder: Path, **files) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in {**FILES, **files}.items():
        if body is not None:
            (folder / name).write_bytes(body)
    return folder
