/// One S3 REST request: method, object key (nil for the bucket itself), query and extra headers.
/// Its path and query are encoded as Signature V4 signs them (`encoded(_:keepingSlashes:)`), the
/// query sorted by name, so libcurl's signature is the one S3 computes.
struct S3Request {
    enum Method: String {
        case get = "GET", head = "HEAD", put = "PUT", post = "POST", delete = "DELETE"
    }

    var method: Method
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [String] = []
    /// Bytes the request body has, for `put` and `post`.
    var bodySize: Int64 = 0

    /// `/<encoded key>` (or empty for the bucket) followed by the sorted, encoded query.
    var pathAndQuery: String {
        var text = key.map { "/" + Self.encoded($0, keepingSlashes: true) } ?? ""
        if !query.isEmpty {
            text += "?" + query.sorted { $0.name < $1.name }
                .map { Self.encoded($0.name, keepingSlashes: false) + "=" + Self.encoded($0.value, keepingSlashes: false) }
                .joined(separator: "&")
        }
        return text
    }

    /// `text` with every byte but `A-Z a-z 0-9 - _ . ~` (and `/` where kept) as `%XX`, as Signature
    /// V4 requires.
    static func encoded(_ text: String, keepingSlashes: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                result.append("/")
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += byte < 16 ? "%0" + hex : "%" + hex
            }
        }
        return result
    }
}
