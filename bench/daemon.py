"""make bench, daemon part: how soon `dropsync serve` starts a job for a dropped file, and how long it
takes to drain a burst of files.

- latency: 100 files dropped one at a time (each written under a temporary name, then renamed into the
  drop zone — its "close"); for each, the time from the rename to the start of the job that read it
  (the job's startedAt, stored to the millisecond). Median and worst.
- drain: 2,000 small files dropped at once; the time until the ledger has every one succeeded."""
import datetime
import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

WORK = None  # set by run.py
DROPSYNC = None


def gzip_csv(uids):
    return gzip.compress(("UID,email\n" + "".join(f"{uid},{uid}@example.com\n" for uid in uids)).encode())


class Daemon:
    def __init__(self, name):
        self.root = os.path.join(WORK, name)
        shutil.rmtree(self.root, ignore_errors=True)
        self.inbound = os.path.join(self.root, "inbound")
        os.makedirs(self.inbound)
        os.makedirs(os.path.join(self.root, "conf.d"))
        with open(os.path.join(self.root, "conf.d", "bench.json"), "w") as out:
            json.dump({"name": "bench", "steps": [
                {"id": "read", "type": "datasource.read.local", "params": {"path": "../inbound"}, "next": ["gunzip"]},
                {"id": "gunzip", "type": "file.uncompress.gzip", "next": ["parse"]},
                {"id": "parse", "type": "file.parse.dsv", "next": ["write"]},
                {"id": "write", "type": "datasource.write.account"}]}, out)
        self.flags = ["--config", os.path.join(self.root, "conf.d"), "--state-dir", os.path.join(self.root, "state")]
        self.log = open(os.path.join(self.root, "serve.log"), "w")
        notify_path = os.path.join(self.root, "notify.sock")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(notify_path)
        self.notify.settimeout(60)
        self.process = subprocess.Popen([DROPSYNC, "serve", "--log-format", "text"] + self.flags,
                                        stdout=self.log, stderr=self.log, env={**os.environ, "NOTIFY_SOCKET": notify_path})
        while b"READY=1" not in self.notify.recv(4096).split(b"\n"):
            pass

    def command(self, *args):
        return json.loads(subprocess.run([DROPSYNC, *args] + self.flags, capture_output=True, text=True,
                                         check=True).stdout)

    def drop(self, name, uids):
        temporary = os.path.join(self.inbound, "." + name + ".part")
        with open(temporary, "wb") as out:
            out.write(gzip_csv(uids))
        renamed = time.time()
        os.rename(temporary, os.path.join(self.inbound, name))
        return renamed

    def ledger(self):
        return {os.path.basename(entry["path"]): entry for entry in self.command("files", "--json", "--limit", "100000")}

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()
        self.notify.close()


def wait(condition, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise TimeoutError("the daemon did not get there in time")


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def measure():
    daemon = Daemon("daemon-latency")
    try:
        latencies = []
        for index in range(100):
            name = f"l{index:03d}.csv.gz"
            dropped = daemon.drop(name, [f"l{index}"])
            entry = wait(lambda: (lambda e: e if e and e["status"] == "succeeded" else None)(daemon.ledger().get(name)))
            job = daemon.command("job", entry["jobId"], "--json")
            latencies.append(parse_time(job["startedAt"]) - dropped)
        latencies.sort()
        ordered = ", ".join(f"{value * 1000:.0f}" for value in latencies[::10])
        print(f"daemon: file renamed into the drop zone → its job starts, over 100 files: "
              f"median {statistics.median(latencies) * 1000:.1f} ms, worst {latencies[-1] * 1000:.1f} ms "
              f"(every 10th, in ms: {ordered})")
    finally:
        daemon.stop()
    daemon = Daemon("daemon-drain")
    try:
        start = time.time()
        for index in range(2000):
            daemon.drop(f"d{index:04d}.csv.gz", [f"d{index}"])
        wait(lambda: sum(1 for entry in daemon.ledger().values() if entry["status"] == "succeeded") == 2000)
        print(f"daemon: 2,000 files dropped at once drained in {time.time() - start:.1f} s")
    finally:
        daemon.stop()


if __name__ == "__main__":
    WORK, DROPSYNC = sys.argv[1], sys.argv[2]
    measure()
