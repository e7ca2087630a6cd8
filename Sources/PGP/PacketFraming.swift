/// Follows the outer packet framing of a binary OpenPGP message as its bytes stream past (RFC 4880
/// §4.2: old and new headers, partial body lengths), to tell a message cut short from one that is
/// whole but fails a check: librnp reports both as the same generic error.
struct PacketFraming {
    private enum State {
        /// Between packets (`tag` false: a partial body's next length, which has no tag byte).
        case header(tag: Bool)
        case body(remaining: Int, partial: Bool)
        /// An old-format packet that runs to the end of the data.
        case untilEnd
        /// Not binary OpenPGP (armored, or garbage): nothing to say.
        case unknown
    }

    private var state = State.header(tag: true)
    /// Header bytes gathered so far (tag and length octets).
    private var header: [UInt8] = []

    /// Whether the bytes so far end exactly at the end of a packet; nil when unknown.
    var endsOnPacketBoundary: Bool? {
        switch state {
        case .header(let tag): tag && header.isEmpty
        case .body: false
        case .untilEnd: true
        case .unknown: nil
        }
    }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        var position = 0
        while position < bytes.count {
            switch state {
            case .unknown, .untilEnd:
                return
            case .body(let remaining, let partial):
                let taken = min(remaining, bytes.count - position)
                position += taken
                state = remaining - taken > 0 ? .body(remaining: remaining - taken, partial: partial) : .header(tag: !partial)
            case .header(let tag):
                header.append(bytes[position])
                position += 1
                readHeader(tag: tag)
            }
        }
    }

    /// Moves to the body once `header` holds a whole header.
    private mutating func readHeader(tag: Bool) {
        if tag && header[0] & 0x80 == 0 { return state = .unknown }
        if tag && header[0] & 0x40 == 0 {
            // Old format: the length type is in the tag byte.
            let sizes = [1, 2, 4]
            let lengthType = Int(header[0] & 0x03)
            if lengthType == 3 { return begin(.untilEnd) }
            guard header.count == 1 + sizes[lengthType] else { return }
            return begin(.body(remaining: bigEndian(header.dropFirst()), partial: false))
        }
        let length = header.dropFirst(tag ? 1 : 0)
        guard let first = length.first else { return }
        switch first {
        case 0..<192:
            begin(.body(remaining: Int(first), partial: false))
        case 192..<224:
            guard length.count == 2 else { return }
            begin(.body(remaining: (Int(first) - 192) << 8 + Int(length.last!) + 192, partial: false))
        case 255:
            guard length.count == 5 else { return }
            begin(.body(remaining: bigEndian(length.dropFirst()), partial: false))
        default:
            begin(.body(remaining: 1 << Int(first & 0x1F), partial: true))
        }
    }

    private mutating func begin(_ next: State) {
        header.removeAll(keepingCapacity: true)
        if case .body(0, let partial) = next { return state = .header(tag: !partial) }
        state = next
    }

    private func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 << 8 | Int($1) } }
}
