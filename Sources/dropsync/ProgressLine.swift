import DropsyncCore
import Foundation

/// A line on the terminal, redrawn while a job runs: bytes read of total, records written.
final class ProgressLine: Sendable {
    private let task: Task<Void, Never>

    init(_ job: JobContext) {
        task = Task.detached {
            while !Task.isCancelled {
                let read = job.bytesRead.value
                let total = job.totalBytes.value
                let percent = total > 0 ? String(format: " (%.0f%%)", Double(read) * 100 / Double(total)) : ""
                let line = "\r\u{1B}[K\(Self.megabytes(read)) of \(Self.megabytes(total)) read\(percent), \(job.recordsWritten.value) records written"
                FileHandle.standardError.write(Data(line.utf8))
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    func stop() {
        task.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
