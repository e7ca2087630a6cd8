import DropsyncCore

/// The loop every file writer runs: each incoming file is written under its own name (or
/// `fileName`, macros expanded), checked safe, never twice in one job, and committed at its end,
/// unless the job was cancelled by then (however long the upload took to finish).
/// In a dry run the file goes through the same checks and is counted, but never opened: the
/// writer does not connect and writes nothing.
struct FileWriting {
    /// The `fileName` param, when given.
    let fileName: String?

    /// Runs the loop; `open` starts a file under a checked name.
    func run(_ step: StepRun, open: (String) throws(DropsyncError) -> any FileUpload) async throws {
        var pending: (any FileUpload)?
        var size = 0
        var written: Set<String> = []
        while let packet = try await step.input.next() {
            switch packet {
            case .fileStart(let file):
                step.metrics.input.add(1)
                pending = nil
                let name = try targetName(for: file, step)
                try FileNames.checkSafe(name, step: step.id)
                // A second file under the same name would silently replace the first.
                guard written.insert(name).inserted else {
                    throw DropsyncError(
                        "DUPLICATE_OUTPUT_NAME", "this job already wrote \(name); give fileName a macro such as ${now} or leave it out",
                        step: step.id)
                }
                pending = step.job.dryRun ? DiscardedFile(name: name) : try open(name)
                size = 0
            case .bytes(let chunk):
                guard let pending else { continue }
                step.metrics.bytesIn.add(chunk.count)
                try step.metrics.timed { () throws(DropsyncError) in try pending.write(chunk) }
                size += chunk.count
            case .fileEnd:
                guard let finished = pending else { continue }
                pending = nil
                try step.metrics.timed { () throws(DropsyncError) in try finished.finish() }
                // A cancelled job publishes nothing: the upload is released uncommitted instead.
                try Task.checkCancellation()
                try step.metrics.timed { () throws(DropsyncError) in try finished.commit() }
                step.metrics.output.add(1)
                let verb = step.job.dryRun ? "would write" : "wrote"
                step.job.trace(.info, "\(verb) \(finished.name) (\(size) bytes)", step: step.id)
            case .records, .sourceDone:
                throw DropsyncError("UNEXPECTED_INPUT", "received records on a file input", step: step.id)
            }
        }
        if let pending {
            step.job.trace(.warning, "discarded \(pending.name): its input ended before the end of the file", step: step.id)
        }
    }

    private func targetName(for file: FileInfo, _ step: StepRun) throws(DropsyncError) -> String {
        guard let fileName else { return file.name }
        do {
            return try Macros.expand(fileName, step.job.macros)
        } catch {
            throw DropsyncError("INVALID_PARAM", "fileName: \(error.description)", step: step.id)
        }
    }
}

/// A dry run's stand-in for a file being written: it takes the bytes and keeps none.
private final class DiscardedFile: FileUpload {
    let name: String

    init(name: String) { self.name = name }

    func write(_ chunk: [UInt8]) throws(DropsyncError) {}

    func finish() throws(DropsyncError) {}

    func commit() throws(DropsyncError) {}
}
