"""make bench: dropsync's import against baselines run side by side on the same input.

(a) dropsync run: gzip'd CSV → parse → rename → account store (fresh store)
(b) reference Python importer: csv + json + sqlite3 json_patch upsert, one transaction
(c) sqlite3 .import of the same CSV into a plain table (the plain-table floor)
(d) SQLite alone doing dropsync's upsert from a staging table (the engine's ceiling)
and the DSV parser alone against Python's csv module on the same bytes; then PGP (bench/pgp.py):
the encrypted import against (a), and decrypt/encrypt of a ~200 MB and a ~1 GB file against gpg; SFTP
(bench/sftp.py) against OpenSSH and S3 (bench/s3.py) against boto3.
Each figure is the best of BENCH_REPEAT runs (default 3). Prints figures; never fails on speed."""
import csv
import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(ROOT, "bench-work")
DROPSYNC = os.path.join(ROOT, ".build", "release", "dropsync")
PARSER_BENCH = os.path.join(ROOT, ".build", "release", "dropsync-bench")
sys.path.insert(0, HERE)
import daemon  # noqa: E402
import generate  # noqa: E402
import pgp  # noqa: E402
import s3  # noqa: E402
import sftp  # noqa: E402
import reference_import  # noqa: E402

pgp.WORK, pgp.DROPSYNC = WORK, DROPSYNC
daemon.WORK, daemon.DROPSYNC = WORK, DROPSYNC
sftp.WORK, sftp.DROPSYNC = WORK, DROPSYNC
s3.WORK, s3.DROPSYNC = WORK, DROPSYNC


def peak_rss_mb(command):
    """Runs a command under /usr/bin/time -f %M; returns (seconds, peak RSS MB, stdout)."""
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    rss_kb = int(result.stderr.strip().splitlines()[-1])
    return seconds, rss_kb / 1024, result.stdout


def prepare(rows):
    csv_path = os.path.join(WORK, f"accounts-{rows}.csv")
    if not os.path.exists(csv_path):
        generate.main(csv_path + ".tmp", rows)
        os.rename(csv_path + ".tmp", csv_path)
    inbound = os.path.join(WORK, "inbound")
    shutil.rmtree(inbound, ignore_errors=True)
    os.makedirs(inbound)
    gz_path = os.path.join(inbound, f"accounts-{rows}.csv.gz")
    subprocess.run(f"gzip -6 -nc '{csv_path}' > '{gz_path}'", shell=True, check=True)
    return csv_path, gz_path


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    if path.endswith(".sqlite"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def run_dropsync(rows, flow="bench-import", config=os.path.join(HERE, "conf.d")):
    state = os.path.join(WORK, "state-a")
    fresh(state)
    seconds, rss, _ = peak_rss_mb([DROPSYNC, "run", flow, "--config", config, "--state-dir", state])
    count = subprocess.run([DROPSYNC, "accounts", "count", "--config", config,
                            "--state-dir", state], capture_output=True, text=True).stdout.strip()
    assert int(count) == rows, f"dropsync imported {count} of {rows}"
    return seconds, rss


def dropsync_database(name):
    """A fresh state database with dropsync's own schema, for a baseline to write into: a dry run
    of one record creates it and commits nothing."""
    state = os.path.join(WORK, name)
    fresh(state)
    subprocess.run([DROPSYNC, "run", "bench-import", "--dry-run", "--limit", "1", "--config", os.path.join(HERE, "conf.d"),
                    "--state-dir", state], check=True, capture_output=True)
    return os.path.join(state, "dropsync.sqlite")


def run_python(rows, gz_path):
    database = dropsync_database("state-b")
    seconds, rss, out = peak_rss_mb([sys.executable, os.path.join(HERE, "reference_import.py"), database, gz_path])
    assert int(out.strip()) == rows
    return seconds, rss


def run_sqlite_import(csv_path):
    database = os.path.join(WORK, "c.sqlite")
    fresh(database)
    script = f".mode csv\n.import '{csv_path}' plain\n"
    start = time.perf_counter()
    subprocess.run(["sqlite3", database], input=script, text=True, check=True)
    return time.perf_counter() - start


# dropsync's account upsert (DropsyncStore's AccountBatchWriter), fed from a staging table instead of
# bound parameters. Like dropsync, it stores a new account's document as given (the staged documents
# have no null members, which dropsync strips before inserting).
UPSERT_FROM_STAGING = """INSERT INTO accounts(UID, doc, created, createdTimestamp, lastUpdated, lastUpdatedTimestamp)
SELECT UID, doc, :now, :ms, :now, :ms FROM staging WHERE true
ON CONFLICT(UID) DO UPDATE SET doc = json_patch(accounts.doc, excluded.doc), lastUpdated = excluded.lastUpdated,
lastUpdatedTimestamp = excluded.lastUpdatedTimestamp WHERE json_patch(accounts.doc, excluded.doc) IS NOT accounts.doc"""


def run_sqlite_upsert(rows, csv_path):
    """Stages the documents dropsync would write (untimed), then times the upsert alone."""
    database = dropsync_database("state-d")
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA cache_size = -49152")  # as dropsync's connection
    db.execute("CREATE TEMP TABLE staging(UID TEXT, doc TEXT)")
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    with open(csv_path, encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        db.execute("BEGIN")
        db.executemany("INSERT INTO staging VALUES (?, ?)", (
            (uid, dumps({"profile": {"email": email, "firstName": first, "lastName": last, "birthYear": int(year)},
                         "data": {"newsletter": newsletter == "true", "points": int(points), "tags": tags}}))
            for uid, email, first, last, year, newsletter, points, tags in reader))
        db.execute("COMMIT")
    now_ms = int(time.time() * 1000)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    start = time.perf_counter()
    db.execute("BEGIN")
    db.execute(UPSERT_FROM_STAGING, {"now": now, "ms": now_ms})
    db.execute("COMMIT")
    seconds = time.perf_counter() - start
    assert db.execute("SELECT count(*) FROM accounts").fetchone()[0] == rows
    return seconds


PARSER_MODES = ("scan-dsv", "split-dsv", "parse-dsv")


def parser_alone(csv_path):
    """MB/s of dropsync's DSV parser in each PARSER_MODES mode (see Sources/dropsync-bench), and of
    Python's csv.reader and csv.DictReader reading the same bytes from memory; each mode's record
    count is checked against Python's (the first two modes count the header row, as csv.reader does)."""
    size = os.path.getsize(csv_path)
    rates, records = {}, {}
    for mode in PARSER_MODES:
        swift = json.loads(subprocess.run([PARSER_BENCH, mode, csv_path], capture_output=True, text=True,
                                          check=True).stdout)
        rates[mode], records[mode] = size / swift["seconds"] / 1e6, swift["records"]
    with open(csv_path, "rb") as source:
        data = source.read()
    for name, make, modes in (("csv.reader", csv.reader, ("scan-dsv", "split-dsv")),
                              ("csv.DictReader", csv.DictReader, ("parse-dsv",))):
        start = time.perf_counter()
        count = sum(1 for _ in make(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")))
        rates[name] = size / (time.perf_counter() - start) / 1e6
        assert all(records[mode] == count for mode in modes), (name, count, records)
    return rates


def print_parser_rates(runs):
    """The best of the runs for each parser, and the ratios."""
    best_rate = {name: max(run[name] for run in runs) for name in runs[0]}
    reader, dict_reader = best_rate["csv.reader"], best_rate["csv.DictReader"]
    print(f"DSV parser alone, MB/s (Python csv.reader {reader:.0f}, csv.DictReader {dict_reader:.0f}):")
    print(f"  byte level (rows, fields, quotes, UTF-8 checked)  {best_rate['scan-dsv']:5.0f}"
          f"  = {best_rate['scan-dsv'] / reader:.1f}x csv.reader")
    print(f"  + a String per field (csv.reader's lists)          {best_rate['split-dsv']:5.0f}"
          f"  = {best_rate['split-dsv'] / reader:.1f}x csv.reader")
    print(f"  the parse step, named records (as DictReader)     {best_rate['parse-dsv']:5.0f}"
          f"  = {best_rate['parse-dsv'] / dict_reader:.1f}x csv.DictReader, "
          f"{best_rate['parse-dsv'] / reader:.1f}x csv.reader")


REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def best(measure):
    """The fastest of REPEAT runs (the machine is shared; the minimum is the least disturbed),
    with the largest peak RSS seen."""
    runs = [measure() for _ in range(REPEAT)]
    return min(run[0] for run in runs), max(run[1] for run in runs)


def main():
    """Arguments: row counts for the import (default 1,000,000 and 3,000,000) and sections to run
    (import, pgp, daemon, sftp, s3; default all)."""
    os.makedirs(WORK, exist_ok=True)
    sizes = [int(arg) for arg in sys.argv[1:] if arg.isdigit()] or [1_000_000, 3_000_000]
    sections = [arg for arg in sys.argv[1:] if not arg.isdigit()] or ["import", "pgp", "daemon", "sftp", "s3"]
    secret, public = pgp.prepare_keys()
    try:
        run_sections(sections, sizes, secret, public)
    finally:
        pgp.stop_agent()


def run_sections(sections, sizes, secret, public):
    if "import" in sections:
        bench_import(sizes, secret)
    if "pgp" in sections:
        bench_pgp(secret, public)
    if "daemon" in sections:
        daemon.measure()
    if "sftp" in sections:
        sftp.measure(pgp.big_gzip_file(gzip_source(), 20), best)
    if "s3" in sections:
        s3.measure(best)


def bench_import(sizes, secret):
    for rows in sizes:
        csv_path, gz_path = prepare(rows)
        print(f"\n== {rows:,} rows, {os.path.getsize(csv_path) / 1e6:.0f} MB CSV, "
              f"{os.path.getsize(gz_path) / 1e6:.0f} MB gzip")
        os.sync()  # let the generated files reach the disk before anything is timed
        a, a_rss = best(lambda: run_dropsync(rows))
        b, b_rss = best(lambda: run_python(rows, gz_path))
        c = best(lambda: (run_sqlite_import(csv_path), 0))[0]
        d = best(lambda: (run_sqlite_upsert(rows, csv_path), 0))[0]
        rate = lambda seconds: rows / seconds / 1000  # noqa: E731
        print(f"(a) dropsync run              {a:7.2f} s  {rate(a):7.0f} k rows/s  peak RSS {a_rss:6.1f} MB")
        print(f"(b) Python csv+json+sqlite3   {b:7.2f} s  {rate(b):7.0f} k rows/s  peak RSS {b_rss:6.1f} MB")
        print(f"(c) sqlite3 .import (plain)   {c:7.2f} s  {rate(c):7.0f} k rows/s")
        print(f"(d) SQLite upsert from staging{d:7.2f} s  {rate(d):7.0f} k rows/s")
        print(f"ratios (throughput): (a)/(b) = {b / a:.2f}   (a)/(c) = {c / a:.2f}   (a)/(d) = {d / a:.2f}")
        if rows == sizes[0]:
            encrypted = pgp.encrypted_import_conf(os.path.join(HERE, "conf.d"), gz_path, secret)
            e, e_rss = best(lambda: run_dropsync(rows, "bench-import-pgp", encrypted))
            print(f"(a') the same, as .csv.gz.pgp {e:7.2f} s  {rate(e):7.0f} k rows/s  peak RSS {e_rss:6.1f} MB"
                  f"   rate vs (a): {a / e:.2f}")
        print_parser_rates([parser_alone(csv_path) for _ in range(REPEAT)])


def gzip_source():
    """The 3M-row CSV gzip'd (~52 MB), the building block of the large-file benches."""
    source_gz = os.path.join(WORK, "accounts-3000000.csv.gz")
    if not os.path.exists(source_gz):
        csv_path, _ = prepare(3_000_000)
        subprocess.run(f"gzip -6 -nc '{csv_path}' > '{source_gz}.tmp' && mv '{source_gz}.tmp' '{source_gz}'",
                       shell=True, check=True)
    return source_gz


def bench_pgp(secret, public):
    source_gz = gzip_source()
    os.sync()
    timed = lambda command: peak_rss_mb(command)[:2]  # noqa: E731
    for copies, label in ((4, "~200 MB"), (20, "~1 GB")):
        pgp.measure_file_steps(pgp.big_gzip_file(source_gz, copies), secret, public, best, timed, label)


if __name__ == "__main__":
    main()
