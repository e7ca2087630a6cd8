#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Requests to a monitor's thread from any thread, with the pipe that wakes the thread up.
final class DropZoneMailbox: Sendable {
    struct Requests {
        var stop = false
    }

    /// Readable while requests wait; -1 if `pipe` failed (the thread then wakes up every second anyway).
    let wakeDescriptor: Int32
    private let wakeWriteDescriptor: Int32
    private let requests = Mutex(Requests())

    init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) == 0 {
            for descriptor in descriptors {
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
            }
        }
        wakeDescriptor = descriptors[0]
        wakeWriteDescriptor = descriptors[1]
    }

    deinit {
        for descriptor in [wakeDescriptor, wakeWriteDescriptor] where descriptor >= 0 { close(descriptor) }
    }

    func post(_ change: (inout Requests) -> Void) {
        requests.withLock { change(&$0) }
        // A full pipe (EAGAIN) is readable already.
        var byte: UInt8 = 1
        _ = write(wakeWriteDescriptor, &byte, 1)
    }

    /// The requests posted since the last call.
    func take() -> Requests {
        var bytes = [UInt8](repeating: 0, count: 256)
        while read(wakeDescriptor, &bytes, bytes.count) == bytes.count {}
        return requests.withLock { $0 }
    }
}
