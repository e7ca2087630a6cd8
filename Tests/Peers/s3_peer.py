"""The tests' and the benchmark's side of moto's S3 server: an IAM user whose requests moto checks, and
boto3 calls to put, get and list objects. Used as a module (bench/s3.py) or as a command (the Swift
tests' S3Server):

    s3_peer.py serve PORT                     runs moto's server on 127.0.0.1:PORT (fixed, see below)
    s3_peer.py setup ENDPOINT                 signing on; prints {"accessKey": …, "secretKey": …}
    s3_peer.py CALL ENDPOINT ACCESS SECRET …  one of the calls below, signed with that key

moto checks signatures only after its first INITIAL_NO_AUTH_ACTION_COUNT actions (unlimited when the
variable is unset): `setup` creates the user, its key and an S3 policy unchecked, then sets the count
to 0 through moto's /moto-api/reset-auth, so every later request must be signed by a known key.

moto recomputes a signature from the request's decoded path and query string (getmoto/moto#5948): a
`/` in a query value (`prefix=in%2F`, `delimiter=%2F`) or a `+` or `=` in a key, which SigV4 encodes as
AWS does, then never matches, and every ListObjectsV2 by a correct client is refused. `serve` fixes that
one step, encoding path and query as SigV4 prescribes (every byte but `A-Za-z0-9-_.~`, and `/` in the
path) before moto signs; all checking stays moto's."""
import json
import sys
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config

REGION = "us-east-1"


def client(endpoint, service, access_key="unchecked", secret_key="unchecked"):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=access_key,
                        aws_secret_access_key=secret_key,
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def serve(port):
    """moto's server, the path and query of a signed request encoded as SigV4 says before moto checks it."""
    from moto.iam.access_control import IAMRequestBase
    from moto.server import main as moto_main

    original = IAMRequestBase._create_aws_request

    def create_aws_request(self):
        path, _, query = self._path.partition("?")
        path = urllib.parse.quote(urllib.parse.unquote(path), safe="/-_.~")
        self._path = path
        if query:
            encode = lambda text: urllib.parse.quote(urllib.parse.unquote(text), safe="-_.~")  # noqa: E731
            pairs = [pair.partition("=") for pair in query.split("&")]
            self._path += "?" + "&".join(encode(name) + separator + encode(value) for name, separator, value in pairs)
        return original(self)

    IAMRequestBase._create_aws_request = create_aws_request
    moto_main(["-H", "127.0.0.1", "-p", str(port)])


def setup(endpoint):
    """Creates a user allowed everything on S3 and its access key, then turns signature checking on."""
    iam = client(endpoint, "iam")
    iam.create_user(UserName="dropsync")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="dropsync", PolicyName="s3", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="dropsync")["AccessKey"]
    urllib.request.urlopen(urllib.request.Request(
        endpoint + "/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"})).read()
    return {"accessKey": key["AccessKeyId"], "secretKey": key["SecretAccessKey"]}


def create_bucket(s3, bucket):
    s3.create_bucket(Bucket=bucket)


def put(s3, bucket, key, path):
    s3.upload_file(path, bucket, key)


def put_text(s3, bucket, key, text):
    s3.put_object(Bucket=bucket, Key=key, Body=text.encode())


def put_many(s3, bucket, prefix, count):
    """`count` small objects `<prefix>file-00000.txt`…"""
    for index in range(int(count)):
        s3.put_object(Bucket=bucket, Key=f"{prefix}file-{index:05d}.txt", Body=f"{index}\n".encode())


def get(s3, bucket, key, path):
    s3.download_file(bucket, key, path)


def keys(s3, bucket, prefix):
    """Every key under `prefix`, one a line."""
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        found += [entry["Key"] for entry in page.get("Contents", [])]
    return "\n".join(found)


def uploads(s3, bucket):
    """The keys of multipart uploads begun and neither completed nor aborted, one a line."""
    return "\n".join(upload["Key"] for upload in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []))


CALLS = {"create-bucket": create_bucket, "put": put, "put-text": put_text, "put-many": put_many, "get": get,
         "keys": keys, "uploads": uploads}


def main(arguments):
    if arguments[0] == "serve":
        serve(arguments[1])
        return
    if arguments[0] == "setup":
        print(json.dumps(setup(arguments[1])))
        return
    call, endpoint, access_key, secret_key, *rest = arguments
    result = CALLS[call](client(endpoint, "s3", access_key, secret_key), *rest)
    if result is not None:
        print(result)


if __name__ == "__main__":
    main(sys.argv[1:])
