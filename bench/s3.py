"""make bench, S3 part: dropsync's datasource.read.amazon.s3 / datasource.write.amazon.s3 against boto3's
download_file / upload_file on the same file (BENCH_S3_MB, default 256 MB), both against moto's S3 server
started here on loopback with request signatures checked (Tests/Peers/s3_peer.py).

moto keeps objects in Python and checks every signature in Python: it is likely the bottleneck, so the
figures compare the two clients against the same slow server rather than measure S3. boto3 transfers with
up to 10 threads (its default TransferConfig); dropsync with one connection. Downloads end with the file
on disk (synced, as dropsync's local writer syncs what it writes)."""
import os
import shutil
import socket
import subprocess
import sys
import time

from flows import run_flow

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "Tests", "Peers"))
import s3_peer  # noqa: E402

WORK = None  # set by run.py
DROPSYNC = None
BUCKET = "bench"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """moto's server (signatures checked), its key, and a bucket."""

    def __init__(self, log):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, s3_peer.__file__, "serve", str(self.port)],
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while socket.socket().connect_ex(("127.0.0.1", self.port)) != 0:
            if time.time() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("moto did not start")
            time.sleep(0.05)
        keys = s3_peer.setup(self.endpoint)
        self.access_key, self.secret_key = keys["accessKey"], keys["secretKey"]
        self.s3 = s3_peer.client(self.endpoint, "s3", self.access_key, self.secret_key)
        self.s3.create_bucket(Bucket=BUCKET)

    def connection(self, prefix):
        return {"bucketName": BUCKET, "accessKey": self.access_key, "secretKey": self.secret_key,
                "endpoint": self.endpoint, "objectKeyPrefix": prefix}

    def stop(self):
        self.process.kill()
        self.process.wait()


def big_file(root):
    size = int(os.environ.get("BENCH_S3_MB", "256")) << 20
    path = os.path.join(root, "outbox", "big.bin")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        block = os.urandom(1 << 20)
        for index in range(size >> 20):
            out.write(block[index % 251:] + block[:index % 251])
    return path, size


def measure(best):
    """Times uploads and downloads of one file, best of the runs `best` makes."""
    root = os.path.join(WORK, "s3")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    source, size = big_file(root)
    with open(os.path.join(root, "moto.log"), "w") as log:
        server = Server(log)
        try:
            def dropsync_put():
                return run_flow(DROPSYNC, root, "upload", [
                    {"id": "read", "type": "datasource.read.local", "params": {"path": os.path.dirname(source)},
                     "next": ["write"]},
                    {"id": "write", "type": "datasource.write.amazon.s3", "params": server.connection("dropsync")}])

            def boto3_put():
                start = time.perf_counter()
                server.s3.upload_file(source, BUCKET, "boto3/big.bin")
                return time.perf_counter() - start, 0

            downloads = os.path.join(root, "downloads")

            def dropsync_get():
                shutil.rmtree(downloads, ignore_errors=True)
                return run_flow(DROPSYNC, root, "download", [
                    {"id": "read", "type": "datasource.read.amazon.s3", "params": server.connection("dropsync"),
                     "next": ["write"]},
                    {"id": "write", "type": "datasource.write.local", "params": {"path": downloads}}])

            def boto3_get():
                target = os.path.join(root, "boto3.bin")
                start = time.perf_counter()
                server.s3.download_file(BUCKET, "boto3/big.bin", target)
                subprocess.run(["sync", target], check=True)
                return time.perf_counter() - start, 0

            rate = lambda seconds: size / seconds / 1e6  # noqa: E731
            (put_ours, put_rss), put_theirs = best(dropsync_put), best(boto3_put)[0]
            (get_ours, get_rss), get_theirs = best(dropsync_get), best(boto3_get)[0]
            assert os.path.getsize(os.path.join(downloads, "big.bin")) == size
            print(f"S3 against moto on loopback (signatures checked), a {size / 1e6:.0f} MB file:")
            print(f"  upload:   dropsync {rate(put_ours):5.0f} MB/s (peak RSS {put_rss:.0f} MB)   boto3 {rate(put_theirs):5.0f} MB/s"
                  f"   ratio {put_theirs / put_ours:.2f}")
            print(f"  download: dropsync {rate(get_ours):5.0f} MB/s (peak RSS {get_rss:.0f} MB)   boto3 {rate(get_theirs):5.0f} MB/s"
                  f"   ratio {get_theirs / get_ours:.2f}")
        finally:
            server.stop()
