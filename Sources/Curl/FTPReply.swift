/// One reply of an FTP server on the control connection: its code and its lines (a multi-line
/// reply, `250-…` to `250 …`, has several; MLST's facts are on the middle one).
struct FTPReply: Equatable {
    var code: Int
    var lines: [String]

    /// The replies among the lines libcurl passes to the header callback, in order; lines that
    /// belong to no reply are left out.
    static func replies(_ lines: [String]) -> [FTPReply] {
        var replies: [FTPReply] = []
        var open: FTPReply?
        for raw in lines {
            let line = String(raw.trimmingSuffix(while: \.isNewline))
            let code = Self.code(line)
            if var reply = open {
                reply.lines.append(line)
                // A multi-line reply ends at a line with its code followed by a space.
                if code == reply.code && line.dropFirst(3).first == " " {
                    replies.append(reply)
                    open = nil
                } else {
                    open = reply
                }
            } else if let code {
                let reply = FTPReply(code: code, lines: [line])
                if line.dropFirst(3).first == "-" { open = reply } else { replies.append(reply) }
            }
        }
        return replies
    }

    /// The code a reply line starts with.
    private static func code(_ line: String) -> Int? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCII), let code = Int(digits), code >= 100 else { return nil }
        let separator = line.dropFirst(3).first
        return separator == nil || separator == " " || separator == "-" ? code : nil
    }

    /// Whether the command was carried out (1xx to 3xx: RNFR's 350 asks for the RNTO).
    var succeeded: Bool { code < 400 }

    /// Whether the server does not know the command (MLSD, MLST on an older server).
    var isUnknownCommand: Bool { [500, 502, 504].contains(code) }

    /// The reply as the server wrote it, on one line, for messages.
    var text: String { lines.joined(separator: " ") }
}

extension String {
    /// The string without the trailing characters that match `predicate`.
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[..<end]
    }
}
