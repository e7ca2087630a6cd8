import DropsyncCore

/// Streams the one file a format step produces per job (`file.format.json`, `file.format.dsv`).
///
/// The file starts lazily: `.fileStart` goes out with the first `write` (or an explicit `start`),
/// so a job without records produces no file unless the step asks for an empty one. Bytes are
/// gathered into chunks of about `chunkSize` before they are sent; `finish` sends the rest and
/// `.fileEnd`. Counts the step's `bytesOut` and, per finished file, `output`.
///
/// Every method returns false once nothing downstream wants more; the step should then return.
public struct OutputFileEmitter {
    public static let chunkSize = 128 * 1024

    /// The file as downstream sees it: `name` is the generated name, `path` the same, and
    /// `location` is `generated:<step id>`.
    public let file: FileInfo
    public private(set) var isStarted = false
    private var buffer: [UInt8] = []
    private let output: Outlet
    private let metrics: StepMetrics

    public init(fileName: String, step: StepRun) {
        file = FileInfo(name: fileName, path: fileName, location: "generated:" + step.id)
        output = step.output
        metrics = step.metrics
    }

    /// Sends `.fileStart` unless the file has started already.
    public mutating func start() async throws -> Bool {
        guard !isStarted else { return true }
        isStarted = true
        buffer.reserveCapacity(Self.chunkSize + Self.chunkSize / 4)
        return try await output.send(.fileStart(file))
    }

    /// Appends bytes to the file (starting it if needed), sending each chunk once it is full.
    public mutating func write(_ bytes: some Collection<UInt8>) async throws -> Bool {
        guard try await start() else { return false }
        buffer.append(contentsOf: bytes)
        while buffer.count >= Self.chunkSize {
            let chunk = Array(buffer.prefix(Self.chunkSize))
            buffer.removeFirst(Self.chunkSize)
            guard try await send(chunk) else { return false }
        }
        return true
    }

    /// Sends the buffered bytes and `.fileEnd`, if the file was started; does nothing otherwise.
    public mutating func finish() async throws -> Bool {
        guard isStarted else { return true }
        guard try await sendBuffer() else { return false }
        isStarted = false
        metrics.output.add(1)
        return try await output.send(.fileEnd)
    }

    private mutating func sendBuffer() async throws -> Bool {
        guard !buffer.isEmpty else { return true }
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        return try await send(chunk)
    }

    private func send(_ chunk: [UInt8]) async throws -> Bool {
        metrics.bytesOut.add(chunk.count)
        return try await output.send(.bytes(chunk))
    }
}
