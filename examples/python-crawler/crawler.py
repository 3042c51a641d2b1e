#!/usr/bin/env python3
"""A crawler that only writes rows: one INSERT and one COMMIT per torrent, no queue client.

Reads `info_hash<TAB>title<TAB>size` lines on stdin and inserts each into Minato's `torrents` table; the
feed (docs/feed.md) makes each searchable within seconds of its COMMIT. Rows already present are skipped.

    DATABASE_URL=postgresql://minato:minato@127.0.0.1:5432/minato python crawler.py < torrents.tsv
"""
import os
import sys

import psycopg

INSERT = """
    INSERT INTO torrents (info_hash, title, size) VALUES (%s, %s, %s)
    ON CONFLICT (info_hash) DO NOTHING
"""


def main() -> int:
    url = os.environ.get("DATABASE_URL", "postgresql://minato:minato@127.0.0.1:5432/minato")
    inserted = 0
    with psycopg.connect(url, autocommit=True) as conn:
        for number, line in enumerate(sys.stdin, start=1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3:
                print(f"line {number}: expected info_hash, title and size, got {line!r}", file=sys.stderr)
                return 1
            info_hash, title, size = fields
            # autocommit: each torrent is its own transaction, announced at its COMMIT
            inserted += conn.execute(INSERT, (info_hash.lower(), title, int(size))).rowcount
    print(f"inserted {inserted} torrents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
