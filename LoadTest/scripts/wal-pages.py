#!/usr/bin/env python3
"""Which tables and indexes a SQLite store's commits write: counts the frames of chathub.db-wal (one per page a
commit wrote) by the b-tree that owns each page (SQLite's dbstat). Frames of the log's earlier generations (before it
was checkpointed and reused) count too: each was written by some commit of the run.

Run it on the server's database folder while a load runs (docs/performance.md, "Where a commit's bytes go"); it
works on a copy, so the server's files are only read:

    python3 LoadTest/scripts/wal-pages.py DATABASE_FOLDER
"""
import collections
import shutil
import sqlite3
import struct
import sys
import tempfile
from pathlib import Path

source = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
with tempfile.TemporaryDirectory() as copy:
    folder = Path(copy)
    shutil.copy(source / "chathub.db-wal", folder / "chathub.db-wal")
    shutil.copy(source / "chathub.db", folder / "chathub.db")
    wal = (folder / "chathub.db-wal").read_bytes()
    page_size = struct.unpack(">I", wal[8:12])[0]
    frames, commits, offset = [], 0, 32
    while offset + 24 + page_size <= len(wal):
        page, size_after_commit = struct.unpack(">II", wal[offset:offset + 8])
        frames.append(page)
        commits += size_after_commit != 0
        offset += 24 + page_size

    db = sqlite3.connect(folder / "chathub.db")
    owner = {page: name for name, page in db.execute("SELECT name, pageno FROM dbstat")}
    db.close()

print(f"page size {page_size}: {len(frames)} frames of {commits} commits ({len(frames) / max(commits, 1):.0f} pages each)")
for name, count in collections.Counter(owner.get(page, "?") for page in frames).most_common(15):
    print(f"  {name:32} {count:8} {100 * count / len(frames):5.1f} %")
