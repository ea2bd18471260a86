#!/usr/bin/env bash
# Put Reader in the desktop's launcher for this user: the .desktop file, icons and AppStream data.
# The `reader` command must be on PATH (pip install . , or a link to dist/Reader/reader).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
install -Dm644 "$here/io.github.reader.Reader.desktop" "$data/applications/io.github.reader.Reader.desktop"
install -Dm644 "$here/io.github.reader.Reader.metainfo.xml" "$data/metainfo/io.github.reader.Reader.metainfo.xml"
install -Dm644 "$here/../resources/icons/io.github.reader.Reader.svg" "$data/icons/hicolor/scalable/apps/io.github.reader.Reader.svg"
for png in "$here"/icons/hicolor/*/apps/io.github.reader.Reader.png; do
  size="$(basename "$(dirname "$(dirname "$png")")")"
  install -Dm644 "$png" "$data/icons/hicolor/$size/apps/io.github.reader.Reader.png"
done
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "Reader is in your launcher (files under $data)."
