#if canImport(Glibc)
import Glibc

/// An inotify instance (`inotify_init1`) watching one directory (`inotify_add_watch`); the
/// descriptor is closed when the watch is released. Not `Sendable`: it lives on the monitor's thread.
final class InotifyWatch {
    /// One event: what happened (`IN_…` bits) to which name of the directory (empty for the
    /// directory itself and for `IN_Q_OVERFLOW`).
    struct Event {
        let mask: UInt32
        let name: [UInt8]

        func has(_ flags: Int32) -> Bool { mask & UInt32(flags) != 0 }
    }

    /// What the watch asks the kernel for. `IN_ATTRIB` catches a `chmod` that makes a file readable;
    /// `IN_OPEN` and `IN_CLOSE_NOWRITE` let the tracker count who has a file open.
    static let mask = UInt32(
        IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
    /// Events that mean the watched directory is gone (deleted, moved away or unmounted).
    static let directoryGone = Int32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)

    let descriptor: Int32
    private let watch: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Watches `directory`; throws the `errno` of the failing call.
    init(directory: String) throws(SystemCallFailure) {
        // Locals first: a throw after every property is set would run `deinit` (a second close).
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw SystemCallFailure(errno) }
        let watch = inotify_add_watch(descriptor, directory, Self.mask)
        guard watch >= 0 else {
            let failure = SystemCallFailure(errno)
            close(descriptor)
            throw failure
        }
        self.descriptor = descriptor
        self.watch = watch
    }

    deinit { close(descriptor) }

    /// The events waiting (one `read`, up to 64 KiB of them); empty when there are none.
    func read() -> [Event] {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return [] }
        return buffer.withUnsafeBytes { bytes in
            var events: [Event] = []
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }: the name
            // (NUL-padded) is not imported into Swift, so it is read at offset 16.
            while offset + 16 <= count {
                let source = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let name = bytes[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                if source == watch || mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    events.append(Event(mask: mask, name: Array(name)))
                }
                offset += 16 + length
            }
            return events
        }
    }
}
#endif
