/// Levenshtein distance, for "did you mean" suggestions.
enum EditDistance {
    /// The candidate closest to `word`, when it is close enough to be a likely typo: at most
    /// a third of `word`'s length away (2 for short words). Ties go to the first in sorted order.
    static func nearest(to word: String, among candidates: some Sequence<String>) -> String? {
        let scored = candidates.map { ($0, between($0, word)) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        return best.1 <= max(2, word.count / 3) ? best.0 : nil
    }

    static func between(_ first: String, _ second: String) -> Int {
        let left = Array(first.utf8)
        let right = Array(second.utf8)
        var previous = Array(0...right.count)
        var current = previous
        for (row, leftByte) in left.enumerated() {
            current[0] = row + 1
            for (column, rightByte) in right.enumerated() {
                current[column + 1] = Swift.min(
                    previous[column + 1] + 1, current[column] + 1,
                    previous[column] + (leftByte == rightByte ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }
}
