"""One-off dataflows run through `dropsync run` for the transfer benchmarks (sftp.py, s3.py)."""
import json
import os
import shutil
import subprocess
import sys
import time


def run_flow(dropsync, root, name, steps):
    """Writes a flow `name` of `steps` into its own conf.d under `root`, runs it on a fresh state
    directory, and returns (seconds, peak RSS in MB)."""
    conf = os.path.join(root, "conf-" + name)
    shutil.rmtree(conf, ignore_errors=True)
    os.makedirs(conf)
    with open(os.path.join(conf, name + ".json"), "w") as out:
        json.dump({"name": name, "steps": steps}, out)
    state = os.path.join(root, "state-" + name)
    shutil.rmtree(state, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", dropsync, "run", name, "--config", conf, "--state-dir", state],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"dropsync {name} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024
