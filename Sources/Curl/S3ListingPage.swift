import DropsyncCore

/// One page of a ListObjectsV2 answer (`encoding-type=url`): its objects, and the token for the
/// next page when the listing goes on.
struct S3ListingPage {
    struct Object: Equatable {
        /// The key's bytes (decoded from the URL encoding S3 was asked for); not always UTF-8.
        var key: [UInt8]
        var size: Int64
        var modified: Double
        var eTag: String?
    }

    private static let objectPath = "ListBucketResult/Contents"

    var objects: [Object] = []
    var nextContinuationToken: String?

    /// Reads a page; nil when it is not a ListObjectsV2 answer. Common prefixes (the
    /// "subdirectories" a `/` delimiter folds away) are not objects of the page.
    init?(_ bytes: [UInt8]) {
        var current: Object?
        var isListing = false
        let wellFormed = S3XMLReader.read(bytes) { event in
            switch event {
            case .text("ListBucketResult/NextContinuationToken", let token):
                nextContinuationToken = token
            case .text(let path, let text) where path.hasPrefix(Self.objectPath + "/"):
                var object = current ?? Object(key: [], size: 0, modified: 0)
                switch path.dropFirst(Self.objectPath.count + 1) {
                case "Key": object.key = Self.urlDecoded(text)
                case "Size": object.size = Int64(text) ?? 0
                case "LastModified": object.modified = S3Timestamp.iso8601(text) ?? 0
                case "ETag": object.eTag = S3ETag.unquoted(text)
                default: break
                }
                current = object
            case .end(Self.objectPath):
                if let current { objects.append(current) }
                current = nil
            case .end("ListBucketResult"):
                isListing = true
            default:
                break
            }
        }
        guard wellFormed, isListing else { return nil }
    }

    /// S3's `encoding-type=url` form: `%XX` escapes, and `+` for a space.
    static func urlDecoded(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), input.count >= 2,
                      let value = UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }
}
