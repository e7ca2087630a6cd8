import Foundation

/// Java-style date patterns (`yyyyMMdd_HHmmss`, `'T'` literals) formatted in UTC.
public enum UTCDateFormat {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// ISO 8601 with milliseconds, as IdentitySync writes `created` and `lastUpdated`.
    public static func iso8601(_ date: Date) -> String { format(date, pattern: "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") }

    public static func format(_ date: Date, pattern: String) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        var output = ""
        var characters = Array(pattern)[...]
        while let letter = characters.first {
            if letter == "'" {
                characters = characters.dropFirst()
                while let quoted = characters.first, quoted != "'" {
                    output.append(quoted)
                    characters = characters.dropFirst()
                }
                characters = characters.dropFirst()
                continue
            }
            let run = characters.prefix { $0 == letter }.count
            characters = characters.dropFirst(run)
            let number: Int?
            switch letter {
            case "y": number = run == 2 ? parts.year! % 100 : parts.year
            case "M": number = parts.month
            case "d": number = parts.day
            case "H": number = parts.hour
            case "m": number = parts.minute
            case "s": number = parts.second
            case "S": number = milliseconds
            default: number = nil
            }
            if let number {
                let digits = String(number)
                output += String(repeating: "0", count: max(0, run - digits.count)) + digits
            } else {
                output += String(repeating: letter, count: run)
            }
        }
        return output
    }
}
