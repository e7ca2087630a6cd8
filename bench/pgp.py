"""make bench, PGP part: dropsync's file.decrypt.pgp / file.encrypt.pgp against gpg on the same file in
the same run, both reading and writing files in bench-work, and the end-to-end import of the
1M-row file as .csv.gz.pgp against the same import unencrypted.

The key (Ed25519 + Cv25519 encryption subkey, with a passphrase) is generated into bench-work/gnupg."""
import json
import os
import shutil
import subprocess

WORK = None  # set by run.py
DROPSYNC = None
PASSPHRASE = "bench passphrase"
IDENTITY = "dropsync bench <bench@example.invalid>"


def gpg(*args, check=True):
    home = os.path.join(WORK, "gnupg")
    return subprocess.run(["gpg", "--homedir", home, "--batch", "--quiet", "--yes", "--pinentry-mode", "loopback",
                           "--trust-model", "always", *args], check=check, capture_output=True)


def prepare_keys():
    """Generates the bench key once; returns (secret key path, public key path)."""
    home = os.path.join(WORK, "gnupg")
    secret, public = os.path.join(WORK, "bench.sec.asc"), os.path.join(WORK, "bench.pub.asc")
    if os.path.exists(secret):
        return secret, public
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home, mode=0o700)
    gpg("--passphrase", PASSPHRASE, "--quick-gen-key", IDENTITY, "ed25519", "sign", "never")
    listing = gpg("--with-colons", "--list-keys").stdout.decode()
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr"))
    gpg("--passphrase", PASSPHRASE, "--quick-add-key", fingerprint, "cv25519", "encr", "never")
    with open(secret, "wb") as out:
        out.write(gpg("--passphrase", PASSPHRASE, "--armor", "--export-secret-keys", fingerprint).stdout)
    with open(public, "wb") as out:
        out.write(gpg("--armor", "--export", fingerprint).stdout)
    return secret, public


def stop_agent():
    """Stops the gpg-agent the bench's gpg calls started."""
    subprocess.run(["gpgconf", "--homedir", os.path.join(WORK, "gnupg"), "--kill", "gpg-agent"], check=False)


def write_flow(name, steps):
    """Writes a one-dataflow conf.d for the bench; returns its directory."""
    directory = os.path.join(WORK, "conf-" + name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    with open(os.path.join(directory, name + ".json"), "w") as out:
        json.dump({"name": name, "steps": steps}, out, indent=2)
    return directory


def file_flow(name, directory, middle, output):
    """read.local (directory) → middle step → write.local (output)."""
    return write_flow(name, [
        {"id": "read", "type": "datasource.read.local", "params": {"path": directory}, "next": [middle["id"]]},
        {**middle, "next": ["write"]},
        {"id": "write", "type": "datasource.write.local", "params": {"path": output}},
    ])


def decrypt_step(secret):
    return {"id": "decrypt", "type": "file.decrypt.pgp",
            "params": {"privateKey": {"file": secret}, "passphrase": PASSPHRASE}}


def big_gzip_file(source_gz, copies):
    """A multi-member gzip file of `copies` copies of source_gz (~52 MB each), in a directory of its own."""
    directory = os.path.join(WORK, f"pgp-plain-{copies}")
    path = os.path.join(directory, f"accounts-x{copies}.csv.gz")
    if not os.path.exists(path):
        os.makedirs(directory, exist_ok=True)
        with open(path + ".tmp", "wb") as out:
            for _ in range(copies):
                with open(source_gz, "rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        os.rename(path + ".tmp", path)
    return path


def timed_into(out, timed, command):
    """Times `command` after emptying its output directory."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    return timed(command)


def fresh_directory(name):
    path = os.path.join(WORK, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def measure_file_steps(plain, secret, public, best, timed, size_label):
    """Times gpg and dropsync encrypting and decrypting `plain`; prints MB/s and peak RSS."""
    size = os.path.getsize(plain)
    encrypted_directory = fresh_directory("pgp-encrypted")
    encrypted = os.path.join(encrypted_directory, os.path.basename(plain) + ".pgp")
    listing = gpg("--with-colons", "--list-keys").stdout.decode()
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr"))

    gpg_encrypt = best(lambda: timed(["gpg", "--homedir", os.path.join(WORK, "gnupg"), "--batch", "--yes",
                                      "--trust-model", "always", "--compress-algo", "none", "--cipher-algo", "AES256",
                                      "-r", fingerprint, "-o", encrypted, "--encrypt", plain]))
    out = fresh_directory("pgp-out")
    encrypt_conf = file_flow("bench-encrypt", os.path.dirname(plain), {
        "id": "encrypt", "type": "file.encrypt.pgp", "params": {"publicKey": {"file": public}}}, out)
    ours_encrypt = best(lambda: timed_into(out, timed, [DROPSYNC, "run", "bench-encrypt", "--config", encrypt_conf,
                                                         "--state-dir", fresh_directory("state-pgp")]))
    ours_encrypted = os.path.join(out, os.path.basename(plain) + ".pgp")
    check = fresh_directory("pgp-check")
    gpg("--passphrase", PASSPHRASE, "-o", os.path.join(check, "plain"), "--decrypt", ours_encrypted)
    assert os.path.getsize(os.path.join(check, "plain")) == size, "gpg could not read dropsync's message"
    shutil.rmtree(check)

    decrypted = os.path.join(fresh_directory("pgp-decrypted"), "plain")
    gpg_decrypt = best(lambda: timed(["gpg", "--homedir", os.path.join(WORK, "gnupg"), "--batch", "--yes",
                                      "--pinentry-mode", "loopback", "--passphrase", PASSPHRASE, "-o", decrypted,
                                      "--decrypt", encrypted]))
    decrypt_conf = file_flow("bench-decrypt", encrypted_directory, decrypt_step(secret), out)
    ours_decrypt = best(lambda: timed_into(out, timed, [DROPSYNC, "run", "bench-decrypt", "--config", decrypt_conf,
                                                         "--state-dir", fresh_directory("state-pgp")]))
    assert os.path.getsize(os.path.join(out, os.path.basename(plain))) == size
    shutil.rmtree(out)
    rate = lambda seconds: size / seconds / 1e6  # noqa: E731
    print(f"PGP on a {size_label} gzip file ({size / 1e6:.0f} MB), AES-256, no compression:")
    print(f"  decrypt: dropsync {rate(ours_decrypt[0]):6.0f} MB/s (peak RSS {ours_decrypt[1]:5.1f} MB)   "
          f"gpg {rate(gpg_decrypt[0]):6.0f} MB/s   ratio {gpg_decrypt[0] / ours_decrypt[0]:.2f}")
    print(f"  encrypt: dropsync {rate(ours_encrypt[0]):6.0f} MB/s (peak RSS {ours_encrypt[1]:5.1f} MB)   "
          f"gpg {rate(gpg_encrypt[0]):6.0f} MB/s   ratio {gpg_encrypt[0] / ours_encrypt[0]:.2f}")


def encrypted_import_conf(plain_conf_directory, gz_path, secret):
    """The bench import flow with a decrypt step first, reading gz_path encrypted by gpg."""
    directory = fresh_directory("inbound-pgp")
    gpg("--compress-algo", "none", "-r", "bench@example.invalid", "-o",
        os.path.join(directory, os.path.basename(gz_path) + ".pgp"), "--encrypt", gz_path)
    with open(os.path.join(plain_conf_directory, "bench-import.json")) as source:
        text = "\n".join(line for line in source if not line.lstrip().startswith("//"))
    flow = json.loads(text)
    flow["name"] = "bench-import-pgp"
    steps = flow["steps"]
    steps[0]["params"]["path"] = directory
    steps[0]["next"] = ["decrypt"]
    steps.insert(1, {**decrypt_step(secret), "next": ["gunzip"]})
    return write_flow("bench-import-pgp", steps)
