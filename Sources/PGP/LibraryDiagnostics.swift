import CRNP
import DropsyncCore
import Glibc
import Synchronization

/// Keeps librnp's own diagnostics off the terminal and the journal.
///
/// librnp's parsers print lines such as `[armor_parse_headers() …] unknown header '…'` to C's
/// `stderr` stream directly, whatever `rnp_ffi_set_log_fd` says, and such a line can quote its
/// input: a header line of a private key. dropsync reports librnp's failures through its own
/// errors, so while librnp works the stream points at /dev/null. Between calls it is restored,
/// since ArgumentParser prints its messages through it. Descriptor 2 itself never changes: the
/// daemon's logs and dropsync's own messages do not go through the C stream.
enum LibraryDiagnostics {
    private struct State {
        /// librnp calls running now, on any thread.
        var running = 0
        var sink: UnsafeMutablePointer<FILE>?
        var saved: UnsafeMutablePointer<FILE>?
    }

    private static let state = Mutex(State())

    /// Runs librnp work with its diagnostics silenced.
    static func silenced<T>(_ work: () throws(DropsyncError) -> T) throws(DropsyncError) -> T {
        state.withLock { state in
            if state.running == 0 {
                if state.sink == nil { state.sink = fopen("/dev/null", "we") }
                if let sink = state.sink { state.saved = crnp_swap_stderr_stream(sink) }
            }
            state.running += 1
        }
        defer {
            state.withLock { state in
                state.running -= 1
                if state.running == 0, let saved = state.saved {
                    _ = crnp_swap_stderr_stream(saved)
                    state.saved = nil
                }
            }
        }
        return try work()
    }
}
