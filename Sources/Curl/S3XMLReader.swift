import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads one S3 XML document (a listing page, an error, an upload's id) as events: the text of
/// each element that holds text, and the end of each element, both with the element's path from
/// the root (`ListBucketResult/Contents/Key`). Entities are decoded by `XMLParser`.
final class S3XMLReader: NSObject, XMLParserDelegate {
    enum Event {
        case text(path: String, String)
        case end(path: String)
    }

    private var path: [String] = []
    private var text = ""
    private let handle: (Event) -> Void

    private init(_ handle: @escaping (Event) -> Void) { self.handle = handle }

    /// Reads `bytes`, calling `handle` for each event in document order; false when they are not
    /// well-formed XML.
    static func read(_ bytes: [UInt8], _ handle: (Event) -> Void) -> Bool {
        withoutActuallyEscaping(handle) { handle in
            let parser = XMLParser(data: Data(bytes))
            let reader = S3XMLReader(handle)
            parser.delegate = reader
            return parser.parse()
        }
    }

    /// The text of the element at `path`, the first one found.
    static func text(at path: String, in bytes: [UInt8]) -> String? {
        var found: String?
        _ = read(bytes) { event in
            if found == nil, case .text(path, let text) = event { found = text }
        }
        return found
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]
    ) {
        path.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let joined = path.joined(separator: "/")
        if !text.isEmpty { handle(.text(path: joined, text)) }
        text = ""
        handle(.end(path: joined))
        path.removeLast()
    }
}
