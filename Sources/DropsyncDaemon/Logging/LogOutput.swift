import Foundation
import Synchronization

/// A file descriptor the handlers write whole lines to (`write(2)`), one line at a time so that
/// lines from concurrent tasks never interleave. It does not own the descriptor.
final class LogOutput: Sendable {
    static let standardError = LogOutput(descriptor: STDERR_FILENO)

    private let descriptor: Mutex<Int32>

    init(descriptor: Int32) { self.descriptor = Mutex(descriptor) }

    /// Writes `bytes` fully, retrying `EINTR` and short writes; a failing descriptor drops the line.
    func write(_ bytes: [UInt8]) {
        descriptor.withLock { descriptor in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
