#!/usr/bin/env bash
# Build the one-folder app into dist/Reader and check it: it must open the demo and play it.
set -euo pipefail
cd "$(dirname "$0")/.."
uv run --group packaging pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/reader.spec
QT_QPA_PLATFORM=offscreen READER_DATA_DIR="$(mktemp -d)" READER_CONFIG_DIR="$(mktemp -d)" dist/Reader/reader --self-test
echo "built: dist/Reader ($(du -sh dist/Reader | cut -f1))"
