#!/bin/sh
# Prepares what the example conf.d needs and the repository must not hold, under ROOT/.run/ (ROOT:
# the first argument, by default the repository, whose conf.d/ reads from ../.run):
#   .run/keys/dropsync-demo.sec.asc   our demo OpenPGP key (Ed25519 + Cv25519 encryption subkey, 1 year)
#   .run/keys/dropsync-demo.pub.asc   its public half, for partners
#   .run/keys/passphrase              the secret key's random passphrase (mode 0600)
#   .run/partner/*.pgp                the example partner files, encrypted to the demo key with GnuPG,
#                                     ready to be dropped into the drop zone .run/inbound/
# Keys are made once and kept; run `make clean` (or remove .run/) for new ones.
set -eu
repository=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-$repository}
keys="$root/.run/keys"
partner="$root/.run/partner"
mkdir -p "$keys" "$partner" "$root/.run/inbound" "$root/.run/rejected"
exec 9>"$root/.run/.prepare-demo.lock"
flock 9

home=$(mktemp -d)
trap 'gpgconf --homedir "$home" --kill gpg-agent 2>/dev/null || true; rm -rf "$home"' EXIT
gpg_batch() { gpg --homedir "$home" --batch --quiet --pinentry-mode loopback "$@"; }

if [ ! -s "$keys/dropsync-demo.sec.asc" ]; then
    umask 077
    head -c 24 /dev/urandom | base64 > "$keys/passphrase"
    gpg_batch --passphrase-file "$keys/passphrase" \
        --quick-gen-key "dropsync demo <dropsync-demo@example.invalid>" ed25519 sign 1y
    fingerprint=$(gpg --homedir "$home" --with-colons --list-keys | awk -F: '/^fpr/ { print $10; exit }')
    gpg_batch --passphrase-file "$keys/passphrase" --quick-add-key "$fingerprint" cv25519 encr 1y
    gpg_batch --passphrase-file "$keys/passphrase" --armor --export-secret-keys "$fingerprint" > "$keys/dropsync-demo.sec.asc"
    gpg_batch --armor --export "$fingerprint" > "$keys/dropsync-demo.pub.asc"
    umask 022
else
    gpg_batch --import "$keys/dropsync-demo.pub.asc"
fi

# The partner's side: encrypt each example file to our public key, as GnuPG does.
for file in "$repository"/examples/inbound/*; do
    target="$partner/$(basename "$file").pgp"
    [ -s "$target" ] || gpg_batch --trust-model always --recipient dropsync-demo@example.invalid \
        --output "$target" --encrypt "$file"
done
