"""make bench, SFTP part: dropsync's datasource.read.sftp / datasource.write.sftp against OpenSSH's `sftp`
on the same ~1 GB file, over loopback to a real sshd started here (its own config, keys and port).

Both sides end with the file on disk: `sftp get` is followed by a sync of the file, as dropsync's local
writer syncs what it writes; uploads end when the server has the whole file under its name."""
import os
import pwd
import shutil
import socket
import subprocess
import time

from flows import run_flow

WORK = None  # set by run.py
DROPSYNC = None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, root):
        self.root = root
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for name in ("host", "user"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(root, name)],
                           check=True, stdin=subprocess.DEVNULL)
        shutil.copy(os.path.join(root, "user.pub"), os.path.join(root, "authorized_keys"))
        self.port = free_port()
        with open(os.path.join(root, "sshd_config"), "w") as out:
            out.write(f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {root}/host\nPidFile {root}/sshd.pid\n"
                      f"UsePAM no\nStrictModes no\nAuthorizedKeysFile {root}/authorized_keys\n"
                      "Subsystem sftp internal-sftp\nLogLevel ERROR\n")
        with open(os.path.join(root, "host.pub")) as key:
            kind, blob = key.read().split()[:2]
        with open(os.path.join(root, "known_hosts"), "w") as out:
            out.write(f"[127.0.0.1]:{self.port} {kind} {blob}\n")
        os.makedirs("/run/sshd", exist_ok=True)
        self.process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", os.path.join(root, "sshd_config")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("sshd did not start")

    def sftp(self, command):
        subprocess.run(["sftp", "-q", "-b", "-", "-i", os.path.join(self.root, "user"), "-P", str(self.port),
                        "-o", "UserKnownHostsFile=" + os.path.join(self.root, "known_hosts"), "127.0.0.1"],
                       input=command, text=True, check=True, stdout=subprocess.DEVNULL)

    def connection(self):
        return {"host": "127.0.0.1", "port": self.port, "username": pwd.getpwuid(os.geteuid()).pw_name,
                "privateKey": {"file": os.path.join(self.root, "user")},
                "knownHosts": os.path.join(self.root, "known_hosts")}

    def stop(self):
        self.process.kill()
        self.process.wait()


def measure(source, best):
    """Times downloads and uploads of `source` (about 1 GB), best of the runs `best` makes."""
    root = os.path.join(WORK, "sftp")
    server = Server(root)
    try:
        remote, local = os.path.join(root, "remote"), os.path.join(root, "local")
        for directory in (remote, local):
            os.makedirs(directory)
        shutil.copy(source, os.path.join(remote, "big.bin"))
        size = os.path.getsize(source)
        connection = server.connection()

        def openssh_get():
            target = os.path.join(local, "openssh.bin")
            start = time.perf_counter()
            server.sftp(f"get {remote}/big.bin {target}\n")
            subprocess.run(["sync", target], check=True)
            return time.perf_counter() - start, 0

        def dropsync_get():
            shutil.rmtree(os.path.join(root, "downloads"), ignore_errors=True)
            return run_flow(DROPSYNC, root, "download", [
                {"id": "read", "type": "datasource.read.sftp", "params": {**connection, "remotePath": remote}, "next": ["write"]},
                {"id": "write", "type": "datasource.write.local", "params": {"path": os.path.join(root, "downloads")}}])[0], 0

        def openssh_put():
            start = time.perf_counter()
            server.sftp(f"put {source} {remote}/openssh-upload.bin\n")
            return time.perf_counter() - start, 0

        outbox = os.path.join(root, "outbox")
        os.makedirs(outbox)
        os.link(os.path.join(remote, "big.bin"), os.path.join(outbox, "upload.bin"))

        def dropsync_put():
            return run_flow(DROPSYNC, root, "upload", [
                {"id": "read", "type": "datasource.read.local", "params": {"path": outbox}, "next": ["write"]},
                {"id": "write", "type": "datasource.write.sftp", "params": {**connection, "remotePath": remote}}])[0], 0

        rate = lambda seconds: size / seconds / 1e6  # noqa: E731
        get_ours, get_theirs = best(dropsync_get)[0], best(openssh_get)[0]
        put_ours, put_theirs = best(dropsync_put)[0], best(openssh_put)[0]
        print(f"SFTP over loopback, a {size / 1e6:.0f} MB file:")
        print(f"  download: dropsync {rate(get_ours):5.0f} MB/s   OpenSSH sftp {rate(get_theirs):5.0f} MB/s   "
              f"ratio {get_theirs / get_ours:.2f}")
        print(f"  upload:   dropsync {rate(put_ours):5.0f} MB/s   OpenSSH sftp {rate(put_theirs):5.0f} MB/s   "
              f"ratio {put_theirs / put_ours:.2f}")
    finally:
        server.stop()
