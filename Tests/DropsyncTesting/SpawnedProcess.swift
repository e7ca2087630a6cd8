import Foundation

/// A helper server process for tests, started with `posix_spawn` rather than Foundation's
/// `Process`: daemons such as sshd close every inherited descriptor, which makes `Process` think
/// they exited and block its monitor thread in `waitpid` (no child of the test run is reaped after
/// that). Output goes to a log file; the process is killed (SIGKILL) and reaped when released.
public final class SpawnedProcess: @unchecked Sendable {
    public let processID: pid_t

    public init(_ executable: String, _ arguments: [String], log: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // A test thread may block signals; the server must start with none blocked and defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var processID: pid_t = 0
        let status = posix_spawn(&processID, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        self.processID = processID
    }

    private var reaped = false

    /// Sends `signal` to the process and to every process descending from it, found through
    /// `/proc`: daemons such as sshd serve each session in a child that leaves the process group.
    public func signalWithDescendants(_ signal: Int32) {
        // A reaped process's id may belong to another process by now.
        guard !reaped else { return }
        var parentOf: [pid_t: pid_t] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After the command's name: the state, then the parent's id.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = pid_t(fields[1]) { parentOf[child] = parent }
        }
        var family: Set = [processID]
        while case let more = parentOf.filter({ family.contains($0.value) && !family.contains($0.key) }).keys, !more.isEmpty {
            family.formUnion(more)
        }
        for member in family { kill(member, signal) }
    }

    /// Whether the process is still running (it is reaped if it has ended).
    public var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        reaped = waitpid(processID, &status, WNOHANG) == processID
        return !reaped
    }

    deinit {
        // A reaped process's id may belong to another process by now.
        guard !reaped else { return }
        kill(processID, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(processID, &status, 0)
    }
}
