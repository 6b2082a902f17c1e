#!/bin/sh
# Browser test of the chat widget and the agent console against a real `firstline serve`.
# Builds nothing: build first with `swift build -c release`.
#   FIRSTLINE_BIN  the binary to start (default .build/release/firstline)
#   OUT            where the screenshots go (default .build/browser-screenshots)
set -eu
cd "$(dirname "$0")/../.."
BIN="${FIRSTLINE_BIN:-.build/release/firstline}"
exec python3 Tests/browser/browser_test.py --start "$BIN" --out "${OUT:-.build/browser-screenshots}"
