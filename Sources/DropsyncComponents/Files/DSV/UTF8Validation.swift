/// UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF),
/// checked sixteen (or eight) ASCII bytes at a time.
public enum UTF8Validation {
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var position = 0
        while position < count {
            if position + 16 <= count {
                let low = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let high = UnsafeRawPointer(base + position + 8).loadUnaligned(as: UInt64.self)
                if (low | high) & 0x8080_8080_8080_8080 == 0 {
                    position += 16
                    continue
                }
            }
            if position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    position += 8
                    continue
                }
            }
            let lead = base[position]
            if lead < 0x80 {
                position += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, lower) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, upper) = (3, 0x9F)
            case 0xF0: (length, lower) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, upper) = (4, 0x8F)
            default: return false
            }
            guard position + length <= count else { return false }
            let second = base[position + 1]
            guard second >= lower && second <= upper else { return false }
            for offset in 2..<max(2, length) where base[position + offset] & 0xC0 != 0x80 {
                return false
            }
            position += length
        }
        return true
    }
}
