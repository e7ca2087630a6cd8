import DropsyncCore

/// What S3 answered to a failed request: the HTTP status and the `<Code>` and `<Message>` of its
/// error document (none for a HEAD request), turned into an error coded by what the daemon should
/// do about it.
struct S3ErrorResponse {
    let status: Int
    /// S3's error code (`NoSuchKey`, `SignatureDoesNotMatch`, …); nil when the body had none.
    let code: String?
    let message: String?

    /// Codes that mean the credentials or their rights are wrong: retrying cannot help.
    static let authenticationCodes: Set<String> = [
        "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "InvalidToken", "ExpiredToken", "TokenRefreshRequired",
        "AccountProblem", "AllAccessDisabled", "InvalidSecurity",
    ]
    /// Codes that mean S3 is busy or failing for now: worth a retry.
    static let transientCodes: Set<String> = ["SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "OperationAborted"]

    /// Reads an error document (`<Error><Code>…</Code><Message>…</Message>…</Error>`); its other
    /// elements (the canonical request S3 computed, the access key id) are left out of messages.
    init(status: Int, body: [UInt8]) {
        self.status = status
        code = S3XMLReader.text(at: "Error/Code", in: body)
        message = S3XMLReader.text(at: "Error/Message", in: body)
    }

    /// Whether `body` is an error document: CopyObject and CompleteMultipartUpload may fail after
    /// S3 has answered 200.
    static func isError(_ body: [UInt8]) -> Bool {
        String(decoding: body.prefix(512), as: UTF8.self).contains("<Error>")
    }

    /// The error for this answer to `doing` ("list s3://bucket/in/"); `bucket` names the bucket
    /// when it does not exist. Never holds a credential: S3's message is kept, its other fields not.
    func error(doing: String, bucket: String) -> DropsyncError {
        let said = [code, message].compactMap { $0 }.joined(separator: ": ")
        let detail = said.isEmpty ? "HTTP status \(status)" : "\(said) (HTTP status \(status))"
        if code == "NoSuchBucket" {
            return DropsyncError("BUCKET_NOT_FOUND", "\(doing): the bucket \(bucket) does not exist")
        }
        let errorCode: String
        if let code, Self.authenticationCodes.contains(code) {
            errorCode = "AUTHENTICATION_FAILED"
        } else if let code, Self.transientCodes.contains(code) {
            errorCode = "CONNECTION_FAILED"
        } else if code == "NoSuchKey" || (code == nil && status == 404) {
            errorCode = "FILE_NOT_FOUND"
        } else if code == nil && status == 403 {
            errorCode = "AUTHENTICATION_FAILED"
        } else if status >= 500 {
            errorCode = "CONNECTION_FAILED"
        } else {
            errorCode = "TRANSFER_FAILED"
        }
        return DropsyncError(errorCode, "\(doing): \(detail)")
    }
}
