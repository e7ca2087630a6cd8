"""An FTP (or explicit FTPS) server on loopback for dropsync's tests (pyftpdlib).

Usage: ftp_server.py PORT_FILE HOME USER PASSWORD [--tls CERT KEY] [--no-machine-listings]

Serves the directory HOME as the home of USER, on 127.0.0.1 at a free port, passive data
connections on loopback too; writes the port to PORT_FILE once it listens. --tls requires
explicit FTPS (AUTH TLS) on control and data connections; --no-machine-listings removes MLSD
and MLST, as on older servers.
"""
import os
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    port_file, home, user, password = sys.argv[1:5]
    options = sys.argv[5:]
    authorizer = DummyAuthorizer()
    authorizer.add_user(user, password, home, perm="elradfmwMT")
    if "--tls" in options:
        at = options.index("--tls")

        class Handler(TLS_FTPHandler):
            pass

        Handler.certfile = options[at + 1]
        Handler.keyfile = options[at + 2]
        Handler.tls_control_required = True
        Handler.tls_data_required = True
    else:

        class Handler(FTPHandler):
            pass

    Handler.authorizer = authorizer
    Handler.masquerade_address = None
    if "--no-machine-listings" in options:
        Handler.proto_cmds = {name: spec for name, spec in Handler.proto_cmds.items() if name not in ("MLSD", "MLST")}
    server = FTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as output:
        output.write(str(server.address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
