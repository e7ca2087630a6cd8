import DropsyncCore

/// A parser's `maxErrors` and `maxErrorRate` params: how many rejected rows make a file, and so
/// its job, fail. Without them every bad row goes to the error path and the file succeeds.
struct ErrorBudget: Sendable {
    static let params: [ParamSpec] = [
        ParamSpec("maxErrors", .integer, constraints: [.atLeast(0)], "Fail the job when a file has more rejected rows than this."),
        ParamSpec("maxErrorRate", .number, constraints: [.between(0, 1)], "Fail the job when more than this share of a file's rows is rejected."),
    ]

    let maxErrors: Int?
    let maxErrorRate: Double?

    /// The budget the params give; their ranges are declared in `params`, checked with the spec.
    init(_ params: Params) {
        maxErrors = params.int("maxErrors")
        maxErrorRate = params.double("maxErrorRate")
    }

    /// Checked as a file goes: throws once it has more than `maxErrors` rejected rows.
    func checkCount(_ rejected: Int, file: FileInfo, step: String) throws(DropsyncError) {
        guard let maxErrors, rejected > maxErrors else { return }
        throw exceeded("more than \(maxErrors) rows rejected (maxErrors)", file, step)
    }

    /// Checked at the end of a file: throws when more than `maxErrorRate` of its rows were rejected.
    func checkRate(_ rejected: Int, of rows: Int, file: FileInfo, step: String) throws(DropsyncError) {
        guard let maxErrorRate, rows > 0 else { return }
        let rate = Double(rejected) / Double(rows)
        guard rate > maxErrorRate else { return }
        throw exceeded("\(rejected) of \(rows) rows rejected, more than maxErrorRate \(maxErrorRate)", file, step)
    }

    private func exceeded(_ detail: String, _ file: FileInfo, _ step: String) -> DropsyncError {
        DropsyncError("ERROR_BUDGET_EXCEEDED", "too many bad rows: \(detail)", file: file.path, step: step)
    }
}
