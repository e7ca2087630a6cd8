/// The code behind a step `type`. A component is created once per job from its params (so keys,
/// regexes and formats are parsed once) and then runs as one task of the job.
public protocol Component: Sendable {
    static var spec: ComponentSpec { get }

    /// Reads typed params; throws `ParamError` for what the spec's types cannot check.
    init(params: Params) throws(ParamError)

    /// Consumes `step.input` and produces into `step.output` until input ends or nothing
    /// downstream wants more. Throws to fail the job.
    func run(_ step: StepRun) async throws
}

/// A records→records component that looks at one record at a time.
public protocol RecordTransformer: Component {
    /// Changes the record in place; returns false to drop it. To send it down the error path,
    /// throw a `Rejection` before changing it (the error path carries the record as it came).
    func transform(_ record: inout Record, job: JobContext) throws(Rejection) -> Bool
}

extension RecordTransformer {
    public func run(_ step: StepRun) async throws {
        while let packet = try await step.input.next() {
            switch consume packet {
            case .records(var batch):
                step.metrics.input.add(batch.count)
                var rejected: [(Record, Rejection)] = []
                step.metrics.timed { transformInPlace(&batch, rejected: &rejected, job: step.job) }
                step.metrics.output.add(batch.count)
                try await step.reject(rejected)
                if !batch.isEmpty, try await !step.output.send(.records(batch)), !step.errorOutput.isConnected {
                    return
                }
            case .sourceDone(let file):
                try await step.sourceDone(file)
            case .fileStart, .bytes, .fileEnd:
                throw DropsyncError("UNEXPECTED_INPUT", "received file bytes on a records input", step: step.id)
            }
        }
    }

    /// Transforms every record where it lies (no copy when the batch is not shared), keeping the
    /// passed records in order at the front and cutting off the rest.
    private func transformInPlace(_ batch: inout [Record], rejected: inout [(Record, Rejection)], job: JobContext) {
        var kept = 0
        for index in batch.indices {
            do throws(Rejection) {
                guard try transform(&batch[index], job: job) else { continue }
                if kept != index { batch.swapAt(kept, index) }
                kept += 1
            } catch {
                rejected.append((batch[index], error))
            }
        }
        batch.removeSubrange(kept...)
    }
}

/// The byte transformation of one file by a file→file component (gunzip, gzip, …), pulled in
/// bounded pieces so that memory does not grow however much one chunk expands.
public protocol FileFilter {
    /// Takes the next chunk of the file; its output comes out of `next`.
    mutating func feed(_ chunk: [UInt8]) throws
    /// The next piece of output (about `maximum` bytes at most), or nil when all that was fed
    /// (and, after `finish`, all that was left) has come out.
    mutating func next(maximum: Int) throws -> [UInt8]?
    /// The file ended: what is left comes out of `next`; throws when the input was incomplete.
    mutating func finish() throws
}

/// A file→file component: renames each file and passes its bytes through a `FileFilter`.
public protocol FileTransformer: Component {
    associatedtype Filter: FileFilter
    func open(_ file: FileInfo, job: JobContext) throws -> (FileInfo, Filter)
}

/// The most a filter hands downstream in one packet.
let filterOutputPiece = 256 * 1024

extension FileTransformer {
    public func run(_ step: StepRun) async throws {
        var current: (file: FileInfo, filter: Filter)?
        while let packet = try await step.input.next() {
            switch packet {
            case .fileStart(let file):
                step.metrics.input.add(1)
                let opened = try open(file, job: step.job)
                current = (file, opened.1)
                guard try await step.output.send(.fileStart(opened.0)) else { return }
            case .bytes(let chunk):
                guard var active = current else { continue }
                step.metrics.bytesIn.add(chunk.count)
                try filtering(active.file, step) { try active.filter.feed(chunk) }
                guard try await drain(&active, step) else { return }
                current = active
            case .fileEnd:
                guard var active = current else { continue }
                current = nil
                try filtering(active.file, step) { try active.filter.finish() }
                guard try await drain(&active, step) else { return }
                step.metrics.output.add(1)
                guard try await step.output.send(.fileEnd) else { return }
            case .records, .sourceDone:
                throw DropsyncError("UNEXPECTED_INPUT", "received records on a file input", step: step.id)
            }
        }
    }

    /// Sends the filter's output piece by piece; false when nothing downstream wants more.
    private func drain(_ active: inout (file: FileInfo, filter: Filter), _ step: StepRun) async throws -> Bool {
        while let piece = try filtering(active.file, step, { try active.filter.next(maximum: filterOutputPiece) }) {
            step.metrics.bytesOut.add(piece.count)
            guard try await step.output.send(.bytes(piece)) else { return false }
        }
        return true
    }

    /// Runs filter work, timed, with its errors naming the file and the step.
    private func filtering<T>(_ file: FileInfo, _ step: StepRun, _ work: () throws -> T) throws -> T {
        try step.metrics.timed { () throws -> T in
            do { return try work() } catch { throw failure(error, file, step) }
        }
    }

    private func failure(_ error: any Error, _ file: FileInfo, _ step: StepRun) -> DropsyncError {
        if var known = error as? DropsyncError {
            if known.file == nil { known.file = file.path }
            return known.inStep(step.id)
        }
        return DropsyncError("FILE_STEP_FAILED", "\(error)", file: file.path, step: step.id)
    }
}
