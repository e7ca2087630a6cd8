import CCurl
import DropsyncCore
import Foundation

/// Where an S3 bucket is (AWS, or an S3-compatible service at `endpoint`) and the key that signs
/// requests to it (Signature V4, by libcurl). Performs one request at a time on a given handle;
/// the credentials never appear in a message, in `location`, or when the value is printed.
public struct S3Bucket: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var name: String
    public var region: String
    /// `https://host:port` of an S3-compatible service; nil for AWS.
    public var endpoint: String?
    /// `https://bucket.host/key` rather than `https://host/bucket/key`.
    public var virtualHostStyle: Bool
    public var accessKey: String
    public var secretKey: String
    public var verifiesTLS: Bool
    /// Seconds to wait for a connection, and for the transfer to move at all.
    public var timeout: Int

    public init(
        name: String, region: String, endpoint: String?, virtualHostStyle: Bool, accessKey: String, secretKey: String,
        verifiesTLS: Bool = true, timeout: Int = 60
    ) {
        self.name = name
        self.region = region
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.virtualHostStyle = virtualHostStyle
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.verifiesTLS = verifiesTLS
        self.timeout = timeout
    }

    /// `s3://bucket` on AWS, the bucket's URL elsewhere.
    public var location: String { endpoint == nil ? "s3://\(name)" : baseURL }

    /// The URL the keys are appended to (as `/key`).
    var baseURL: String {
        let service = endpoint ?? "https://s3.\(region).amazonaws.com"
        guard virtualHostStyle, let scheme = service.range(of: "://") else { return service + "/" + name }
        return service[..<scheme.upperBound] + name + "." + service[scheme.upperBound...]
    }

    /// Bytes libcurl receives, and sends, per call: large, for throughput.
    static let receiveBufferSize = 512 * 1024
    static let sendBufferSize = 2 * 1024 * 1024
    /// Error documents are read up to this size.
    static let errorBodyLimit = 64 * 1024

    /// Sends `request` with `body` on `easy` and returns the answer. An answer of 200 that holds an
    /// error document (CopyObject and CompleteMultipartUpload may end so) is a failure too.
    @discardableResult
    func exchange(
        _ request: S3Request, body: [UInt8] = [], on easy: CurlEasy, doing: String
    ) throws(DropsyncError) -> (headers: [String: String], body: [UInt8]) {
        var request = request
        request.bodySize = Int64(body.count)
        var received: [UInt8] = []
        var sent = 0
        let headers = try perform(
            request, on: easy, doing: doing,
            receive: { bytes in
                received += bytes
                return true
            },
            send: request.method == .put || request.method == .post ? { buffer in
                let count = min(buffer.count, body.count - sent)
                body.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[sent..<sent + count])) }
                sent += count
                return count
            } : nil)
        if S3ErrorResponse.isError(received) {
            throw S3ErrorResponse(status: 200, body: received).error(doing: doing, bucket: name)
        }
        return (headers, received)
    }

    /// Sends `request` on `easy` (its options reset first, its connection reused). The body of a
    /// successful answer goes to `receive` (false stops the transfer); `send` fills the request
    /// body. Returns the answer's headers, names lowercased. A failed request throws, coded by
    /// what the daemon should do: `AUTHENTICATION_FAILED`, `CONNECTION_FAILED` (retried),
    /// `FILE_NOT_FOUND`, `BUCKET_NOT_FOUND`, `TLS_VERIFICATION_FAILED`, `TRANSFER_FAILED`.
    @discardableResult
    func perform(
        _ request: S3Request, on easy: CurlEasy, doing: String, receive: @escaping (UnsafeRawBufferPointer) -> Bool = { _ in true },
        send: ((UnsafeMutableRawBufferPointer) -> Int?)? = nil
    ) throws(DropsyncError) -> [String: String] {
        configure(easy, for: request)
        var headers: [String: String] = [:]
        var errorBody: [UInt8] = []
        let code = easy.perform(
            receive: { bytes in
                if (200..<300).contains(easy.responseCode) { return receive(bytes) }
                errorBody += bytes.prefix(max(0, Self.errorBodyLimit - errorBody.count))
                return true
            },
            send: send,
            header: { line in
                if line.hasPrefix("HTTP/") {
                    headers.removeAll()
                } else if let colon = line.firstIndex(of: ":") {
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                }
            })
        let status = easy.responseCode
        guard code == CURLE_OK else { throw easy.failure(code, doing: doing) }
        guard (200..<300).contains(status) else {
            throw S3ErrorResponse(status: status, body: errorBody).error(doing: doing, bucket: name)
        }
        return headers
    }

    private func configure(_ easy: CurlEasy, for request: S3Request) {
        easy.reset()
        easy.set(CURLOPT_URL, baseURL + request.pathAndQuery)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        // The key is sent as it is: `a/../b` is a key of its own, not `b`.
        easy.set(CURLOPT_PATH_AS_IS, 1)
        easy.set(CURLOPT_AWS_SIGV4, "aws:amz:\(region):s3")
        easy.set(CURLOPT_USERPWD, accessKey + ":" + secretKey)
        // S3 wants the payload's hash signed, or this word; libcurl 7.88 sends neither by itself.
        easy.set(CURLOPT_HTTPHEADER, list: ["x-amz-content-sha256: UNSIGNED-PAYLOAD"] + request.headers)
        easy.set(CURLOPT_CONNECTTIMEOUT, timeout)
        easy.set(CURLOPT_LOW_SPEED_LIMIT, 1)
        easy.set(CURLOPT_LOW_SPEED_TIME, timeout)
        easy.set(CURLOPT_SSL_VERIFYPEER, verifiesTLS ? 1 : 0)
        easy.set(CURLOPT_SSL_VERIFYHOST, verifiesTLS ? 2 : 0)
        easy.set(CURLOPT_BUFFERSIZE, Self.receiveBufferSize)
        easy.set(CURLOPT_UPLOAD_BUFFERSIZE, Self.sendBufferSize)
        switch request.method {
        case .get:
            break
        case .head:
            easy.set(CURLOPT_NOBODY, 1)
        case .put:
            easy.set(CURLOPT_UPLOAD, 1)
            easy.set(CURLOPT_INFILESIZE_LARGE, offset: request.bodySize)
        case .post:
            easy.set(CURLOPT_POST, 1)
            easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: request.bodySize)
        case .delete:
            easy.set(CURLOPT_CUSTOMREQUEST, "DELETE")
        }
    }

    public var description: String { location }

    public var debugDescription: String { location }

    public var customMirror: Mirror { Mirror(self, children: ["location": location]) }
}
