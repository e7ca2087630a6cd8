"""(b) The importer a user would script: csv + json + sqlite3 json_patch upsert, one transaction.
Reads the gzip'd CSV and upserts into the accounts table of a dropsync state database (the bench
creates it with dropsync's own schema; standalone, the table is created here)."""
import csv
import gzip
import io
import json
import sqlite3
import sys
import time

SCHEMA = """CREATE TABLE IF NOT EXISTS accounts(UID TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL,
created TEXT NOT NULL, createdTimestamp INTEGER NOT NULL, lastUpdated TEXT NOT NULL,
lastUpdatedTimestamp INTEGER NOT NULL)"""
UPSERT = """INSERT INTO accounts(UID, doc, created, createdTimestamp, lastUpdated, lastUpdatedTimestamp)
VALUES (?1, json_patch('{}', ?2), ?3, ?4, ?3, ?4)
ON CONFLICT(UID) DO UPDATE SET doc = json_patch(doc, ?2), lastUpdated = ?3, lastUpdatedTimestamp = ?4
WHERE json_patch(doc, ?2) IS NOT doc"""


def main(database, source):
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(SCHEMA)
    now_ms = int(time.time() * 1000)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    dumps = json.JSONEncoder(separators=(",", ":")).encode

    def rows():
        with gzip.open(source, "rb") as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            next(reader)
            for uid, email, first, last, year, newsletter, points, tags in reader:
                doc = {"profile": {"email": email, "firstName": first, "lastName": last, "birthYear": int(year)},
                       "data": {"newsletter": newsletter == "true", "points": int(points), "tags": tags}}
                yield uid, dumps(doc), now, now_ms

    db.execute("BEGIN")
    db.executemany(UPSERT, rows())
    db.execute("COMMIT")
    print(db.execute("SELECT count(*) FROM accounts").fetchone()[0])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
