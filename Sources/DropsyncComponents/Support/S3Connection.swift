import Curl
import DropsyncCore

/// The connection params of the S3 reader and writer, read when the configuration loads: the
/// bucket, where it is (AWS by `region`, or an S3-compatible `endpoint`) and the key pair that
/// signs requests. TLS is verified unless `tlsVerify` is written `false`, which `check` warns about.
struct S3Connection: Sendable {
    static let specs: [ParamSpec] = [
        ParamSpec("bucketName", .string, required: true, "The bucket."),
        ParamSpec("accessKey", .secret, required: true, "The access key id."),
        ParamSpec("secretKey", .secret, required: true, "The secret access key, usually by reference: {\"env\": …} or {\"credential\": …}."),
        ParamSpec("region", .string, default: "us-east-1", constraints: [.nonEmpty], "The bucket's AWS region; requests are signed for it."),
        ParamSpec(
            "endpoint", .string,
            "The URL of an S3-compatible service (`https://minio.example.com:9000`) instead of AWS; keys are then addressed path-style."),
        ParamSpec("virtualHostStyle", .boolean, default: false, "With `endpoint`: address the bucket as a host name (`https://bucket.host/key`)."),
        ParamSpec("tlsVerify", .boolean, default: true, "Verify the server's TLS certificate. `false` lets anyone on the path read and change the transfers."),
        ParamSpec("timeout", .integer, default: 60, constraints: [.between(1, 86_400)], "Seconds to wait for the server to connect, or for a transfer to move, before giving up."),
    ]

    let bucket: S3Bucket

    init(_ params: Params) throws(ParamError) {
        let name = try params.requiredString("bucketName")
        guard let accessKey = try params.secret("accessKey") else { throw ParamError("accessKey", "is required") }
        guard let secretKey = try params.secret("secretKey") else { throw ParamError("secretKey", "is required") }
        for (name, key) in [("accessKey", accessKey), ("secretKey", secretKey)] where key.isEmpty {
            throw ParamError(name, "must not be empty")
        }
        let endpoint = params.string("endpoint")
        if let endpoint, !(endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://")) {
            throw ParamError("endpoint", "must be an http:// or https:// URL, got \(endpoint)")
        }
        let verifiesTLS = params.bool("tlsVerify") ?? true
        if !verifiesTLS {
            params.warnings.add("tlsVerify", "TLS certificates are not verified: anyone on the path can read and change the transfers")
        }
        let seconds = params.int("timeout") ?? 60
        // On AWS, a bucket named with dots cannot be a host name its certificate covers.
        let virtualHostStyle = endpoint == nil ? !name.contains(".") : params.bool("virtualHostStyle") ?? false
        bucket = S3Bucket(
            name: name, region: params.string("region") ?? "us-east-1", endpoint: endpoint, virtualHostStyle: virtualHostStyle,
            accessKey: accessKey, secretKey: secretKey, verifiesTLS: verifiesTLS, timeout: seconds)
    }

    /// A client of the bucket; no request is made yet.
    func connect(partSize: Int = S3Client.minimumPartSize) throws(DropsyncError) -> S3Client {
        try S3Client(bucket: bucket, partSize: partSize)
    }

    var location: String { bucket.location }
}
