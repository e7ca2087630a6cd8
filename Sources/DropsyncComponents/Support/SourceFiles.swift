import DropsyncCore

/// What every file reader does the same way: choose the names of its listing, order them
/// (`sortBy`, `sortOrder`) and send each file downstream.
struct SourceFiles: Sendable {
    /// The params every file reader takes for this.
    static let specs: [ParamSpec] = [
        ParamSpec("fileNameRegex", .string, default: ".*", "Regular expression the whole file name must match."),
        ParamSpec("sortBy", .oneOf(["name", "time"]), default: "name", "Order of the files: by `name` or by modification `time`."),
        ParamSpec("sortOrder", .oneOf(["ASC", "DESC"]), default: "ASC", "`ASC` (oldest or A first) or `DESC`."),
    ]

    /// `fileNameRegex`, checked at load; compiled per listing (a `Regex` is not `Sendable`).
    let fileNamePattern: String
    let sortByTime: Bool
    let descending: Bool

    init(_ params: Params) throws(ParamError) {
        _ = try params.regex("fileNameRegex")
        fileNamePattern = params.string("fileNameRegex") ?? ".*"
        sortByTime = params.string("sortBy") == "time"
        descending = params.string("sortOrder") == "DESC"
    }

    /// The names of a listing the reader takes: not ignored by `readiness` (upload temp names,
    /// dotfiles, done markers), matching `fileNameRegex`, and safe. `refused` hears of each unsafe one.
    func chosen(_ names: [String], readiness: ReadinessRules, refused: (String) -> Void) -> [String] {
        let pattern = try? Regex(fileNamePattern)
        return names.filter { name in
            guard !readiness.isIgnored(name), readiness.doneMarkerTarget(of: name) == nil else { return false }
            guard FileNames.isSafe(name) else {
                refused(name)
                return false
            }
            return (try? pattern?.wholeMatch(in: name)) != nil
        }
    }

    /// `items` by name, or by modification time (then name), ascending or descending.
    func ordered<Item>(_ items: [Item], name: (Item) -> String, modified: (Item) -> Double) -> [Item] {
        items.sorted { first, second in
            let ascending = sortByTime && modified(first) != modified(second)
                ? modified(first) < modified(second)
                : name(first) < name(second)
            return descending ? !ascending : ascending
        }
    }

    /// Sends one file as `fileStart`, chunks from `nextChunk` (empty at the end), `fileEnd`,
    /// counting it for the job and the step; false when the reader should stop.
    static func send(_ info: FileInfo, _ step: StepRun, nextChunk: () throws -> [UInt8]) async throws -> Bool {
        step.job.sourceStarted(info)
        step.job.totalBytes.add(Int(info.size ?? 0))
        step.metrics.output.add(1)
        guard try await step.output.send(.fileStart(info)) else { return false }
        while true {
            let chunk: [UInt8]
            do {
                chunk = try nextChunk()
            } catch let error as DropsyncError {
                throw error.whileReading(info.path)
            }
            if chunk.isEmpty { break }
            step.job.bytesRead.add(chunk.count)
            step.metrics.bytesOut.add(chunk.count)
            guard try await step.output.send(.bytes(chunk)), !step.job.limit.isExhausted else { return false }
        }
        return try await step.output.send(.fileEnd)
    }

    /// A file the reader could not open: the job fails on it once the files sent before it are
    /// through (their writers commit them); the files after it are left for another job. Returns
    /// false: the reader stops.
    static func unreadable(_ info: FileInfo, _ error: DropsyncError, _ step: StepRun) -> Bool {
        step.job.sourceUnreadable(info, error.inStep(step.id))
        return false
    }
}
