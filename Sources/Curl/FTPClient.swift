import CCurl
import DropsyncCore
import Foundation

/// A logged-in FTP or explicit-FTPS connection (libcurl): list directories, read and write files
/// (streaming), rename and remove them. Every call blocks: use it from a thread of its own, one
/// caller at a time, and one download or upload at a time.
///
/// One libcurl handle serves every call, so the control connection is kept between them. Data
/// connections are passive (EPSV, then PASV). Every path is sent absolute (relative ones are taken
/// from the directory the login starts in), so libcurl never changes directory. Listings use MLSD
/// and the status MLST where the server has them, else LIST (Unix `ls -l` lines) and SIZE + MDTM.
public final class FTPClient: FileTransport {
    public let location: String
    let curl: CurlEasy
    /// `ftp://host:port/`.
    private let serverURL: String
    /// The directory the login starts in (PWD), which relative paths are taken from.
    private var home = "/"
    /// Redacted from what the server says, should it ever repeat it.
    private let password: String
    /// Whether the server has MLSD and MLST; found out at the first listing or status.
    private var hasMachineListings = true
    /// Whether a download or an upload has the handle.
    var isTransferring = false

    /// Connects, checks the server's certificate (FTPS), logs in.
    public init(_ settings: FTPSettings) throws(DropsyncError) {
        curl = try CurlEasy()
        location = settings.location
        serverURL = "ftp://\(settings.urlHost):\(settings.port)/"
        password = settings.password
        Self.configure(curl, settings)
        _ = try command([], doing: "log in as \(settings.username)")
        home = curl.string(CURLINFO_FTP_ENTRY_PATH) ?? "/"
    }

    private static func configure(_ curl: CurlEasy, _ settings: FTPSettings) {
        let seconds = Int(max(1, settings.timeout.components.seconds))
        curl.set(CURLOPT_PROTOCOLS_STR, "ftp")
        curl.set(CURLOPT_USERNAME, settings.username)
        curl.set(CURLOPT_PASSWORD, settings.password)
        curl.set(CURLOPT_FTP_FILEMETHOD, Int(CURLFTPMETHOD_NOCWD.rawValue))
        curl.set(CURLOPT_CONNECTTIMEOUT, seconds)
        curl.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, seconds)
        // A transfer that moves less than a byte a second for `timeout` is given up.
        curl.set(CURLOPT_LOW_SPEED_LIMIT, 1)
        curl.set(CURLOPT_LOW_SPEED_TIME, seconds)
        curl.set(CURLOPT_TCP_KEEPALIVE, 1)
        guard case .tls(let verify, let caFile) = settings.security else { return }
        curl.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        curl.set(CURLOPT_SSL_VERIFYPEER, verify ? 1 : 0)
        curl.set(CURLOPT_SSL_VERIFYHOST, verify ? 2 : 0)
        if let caFile { curl.set(CURLOPT_CAINFO, caFile) }
    }

    // MARK: Listing

    /// The entries of `directory` (without `.` and `..`), parsed as the listing streams in.
    public func list(
        _ directory: String, each: (TransportEntry) throws(DropsyncError) -> Void, refused: (String) -> Void
    ) throws(DropsyncError) {
        let path = try absolute(directory)
        if hasMachineListings {
            if try listing(path, as: .machine, each: each, refused: refused) { return }
            hasMachineListings = false
        }
        _ = try listing(path, as: .unix(now: Date().timeIntervalSince1970), each: each, refused: refused)
    }

    /// Lists with MLSD or LIST; false when the server does not know MLSD.
    private func listing(
        _ path: String, as format: FTPListing.Format, each: (TransportEntry) throws(DropsyncError) -> Void, refused: (String) -> Void
    ) throws(DropsyncError) -> Bool {
        var parser = FTPListing(format)
        var failure: DropsyncError?
        let hand = { (item: FTPListing.Item) throws(DropsyncError) in
            switch item {
            case .entry(let entry): try each(entry)
            case .refused(let name): refused(name)
            }
        }
        try prepare(url(path, directory: true))
        curl.set(CURLOPT_CUSTOMREQUEST, format == .machine ? "MLSD" : "LIST")
        let outcome = withoutActuallyEscaping(hand) { hand in
            perform(receive: { bytes in
                do throws(DropsyncError) {
                    try parser.feed(bytes, each: hand)
                    return true
                } catch {
                    failure = error
                    return false
                }
            })
        }
        if let failure { throw failure }
        if format == .machine, outcome.code == CURLE_FTP_COULDNT_RETR_FILE, outcome.replies.last.map(\.isUnknownCommand) == true {
            return false
        }
        try check(outcome, doing: "list \(path)")
        try parser.finish(each: hand)
        return true
    }

    /// The entry at `path`; nil when there is none. Without MLST, a directory counts as none.
    public func status(_ path: String) throws(DropsyncError) -> TransportEntry? {
        let target = try absolute(path)
        let name = String(target.split(separator: "/").last ?? "")
        let doing = "read the status of \(target)"
        if hasMachineListings {
            let reply = try command(["MLST " + target], doing: doing)[0]
            if reply.succeeded {
                let facts = reply.lines.dropFirst().first { $0.hasPrefix(" ") }.map { Array($0.utf8.dropFirst()) }
                guard let facts, case .entry(var entry)? = FTPListing.machineItem(facts[...]) else {
                    throw DropsyncError("TRANSFER_FAILED", "\(location): cannot \(doing): unreadable reply \(redacted(reply.text))")
                }
                entry.name = name
                return entry
            }
            if reply.code == 550 { return nil }
            guard reply.isUnknownCommand else { throw failure(reply, doing: doing) }
            hasMachineListings = false
        }
        let replies = try command(["TYPE I", "SIZE " + target, "MDTM " + target], doing: doing)
        let (size, modified) = (replies[1], replies[2])
        if size.code == 550 { return nil }
        guard size.code == 213, let bytes = Int64(size.text.dropFirst(4).trimmingCharacters(in: .whitespaces)) else {
            throw failure(size, doing: doing)
        }
        let time = modified.code == 213 ? FTPListing.machineTime(modified.text.dropFirst(4).trimmingCharacters(in: .whitespaces)) : nil
        return TransportEntry(name: name, size: bytes, modified: time ?? 0)
    }

    // MARK: Files

    /// Opens `path` for streamed reading; `FILE_NOT_FOUND` when it is gone.
    public func open(_ path: String) throws(DropsyncError) -> any TransportDownload {
        try FTPDownload(client: self, path: absolute(path))
    }

    public func upload(_ path: String, temporaryExtension: String) throws(DropsyncError) -> any FileUpload {
        try FTPUpload(client: self, path: absolute(path), temporaryExtension: temporaryExtension)
    }

    /// Renames `source` to `target` (which must not exist), creating `target`'s missing directories.
    public func rename(_ source: String, to target: String) throws(DropsyncError) {
        let from = try absolute(source)
        let to = try absolute(target)
        let doing = "rename \(from) to \(to)"
        guard try status(to) == nil else { throw DropsyncError("TRANSFER_FAILED", "\(location): cannot \(doing): \(to) exists") }
        if try move(from, to, doing: doing) == nil { return }
        let parents = to.split(separator: "/").dropLast().reduce(into: [String]()) { paths, part in
            paths.append((paths.last ?? "") + "/" + part)
        }
        _ = try command(parents.map { "MKD " + $0 }, doing: "create the directory of \(to)")
        if let refused = try move(from, to, doing: doing) { throw refusal(refused, doing: doing) }
    }

    /// Renames `source` to `target`, replacing a file there (the server's RNTO does; a directory
    /// it refuses).
    func replace(_ target: String, with source: String) throws(DropsyncError) {
        let doing = "rename \(source) to \(target)"
        if let refused = try move(source, target, doing: doing) { throw refusal(refused, doing: doing) }
    }

    /// RNFR + RNTO; the server's reply when it refuses the new name, nil when it took it.
    private func move(_ from: String, _ to: String, doing: String) throws(DropsyncError) -> FTPReply? {
        let replies = try command(["RNFR " + from, "RNTO " + to], doing: doing)
        guard replies[0].succeeded else { throw failure(replies[0], doing: doing) }
        return replies[1].succeeded ? nil : replies[1]
    }

    /// A refused new name: the file stays where it was.
    private func refusal(_ reply: FTPReply, doing: String) -> DropsyncError {
        DropsyncError("TRANSFER_FAILED", "\(location): cannot \(doing): the server replied \(redacted(reply.text))")
    }

    /// Removes `path`; a missing file counts as removed.
    public func remove(_ path: String) throws(DropsyncError) {
        let target = try absolute(path)
        let reply = try command(["DELE " + target], doing: "remove \(target)")[0]
        guard !reply.succeeded else { return }
        if reply.code == 550, try status(target) == nil { return }
        throw failure(reply, doing: "remove \(target)")
    }

    // MARK: Transfers

    /// What one `perform` came to: libcurl's code and the server's replies.
    struct Outcome {
        var code: CURLcode
        var replies: [FTPReply]
    }

    /// Sends `commands` on the control connection (each may fail without ending the connection;
    /// with none, just connects and logs in) and returns their replies, one each.
    func command(_ commands: [String], doing: String) throws(DropsyncError) -> [FTPReply] {
        try prepare(serverURL + "%2F")
        curl.set(CURLOPT_NOBODY, 1)
        curl.set(CURLOPT_QUOTE, list: commands.map { "*" + $0 })
        let outcome = perform()
        try check(outcome, doing: doing)
        let replies = outcome.replies.suffix(commands.count)
        guard replies.count == commands.count else {
            throw DropsyncError("TRANSFER_FAILED", "\(location): cannot \(doing): the server's replies could not be read")
        }
        return Array(replies)
    }

    /// Sets the handle up for a transfer of `url`, undoing what the last one set.
    func prepare(_ url: String) throws(DropsyncError) {
        guard !isTransferring else {
            throw DropsyncError("TRANSFER_FAILED", "\(location): a download or upload is still open: one transfer at a time")
        }
        curl.set(CURLOPT_URL, url)
        curl.set(CURLOPT_NOBODY, 0)
        curl.set(CURLOPT_UPLOAD, 0)
        curl.set(CURLOPT_QUOTE, list: [])
        curl.set(CURLOPT_POSTQUOTE, list: [])
    }

    /// Runs the prepared transfer, gathering the server's replies.
    func perform(
        receive: ((UnsafeRawBufferPointer) -> Bool)? = nil, send: ((UnsafeMutableRawBufferPointer) -> Int?)? = nil
    ) -> Outcome {
        var lines: [String] = []
        let code = curl.perform(receive: receive, send: send) { lines.append($0) }
        return Outcome(code: code, replies: FTPReply.replies(lines))
    }

    /// Throws the error of a failed `perform`, with the server's last reply.
    func check(_ outcome: Outcome, doing: String) throws(DropsyncError) {
        guard outcome.code != CURLE_OK else { return }
        // The connection was never made: the command (a login, a listing) did not fail, connecting did.
        let unconnected = [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT].contains(outcome.code)
        var error = curl.failure(outcome.code, doing: "\(location): cannot \(unconnected ? "connect" : doing)")
        if let reply = outcome.replies.last, !reply.succeeded { error.message += " (the server replied: \(reply.text))" }
        error.message = redacted(error.message)
        throw error
    }

    /// The error for a refused command.
    private func failure(_ reply: FTPReply, doing: String) -> DropsyncError {
        let code = switch reply.code {
        case 550: "FILE_NOT_FOUND"
        case 421: "CONNECTION_FAILED"
        case 530: "AUTHENTICATION_FAILED"
        default: "TRANSFER_FAILED"
        }
        return DropsyncError(code, "\(location): cannot \(doing): the server replied \(redacted(reply.text))")
    }

    private func redacted(_ text: String) -> String {
        password.isEmpty ? text : text.replacingOccurrences(of: password, with: "***")
    }

    // MARK: Paths

    /// `path` from the root: a relative path is taken from the login's directory. Refuses control
    /// characters, which would end an FTP command early.
    func absolute(_ path: String) throws(DropsyncError) -> String {
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw DropsyncError("UNSAFE_FILE_NAME", "\(location): refusing a path with control characters: \(path.debugDescription)")
        }
        let full = path.hasPrefix("/") ? path : home + "/" + path
        return "/" + full.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// The URL of an absolute path: `%2F` says it starts at the root; every part percent-encoded.
    func url(_ path: String, directory: Bool = false) -> String {
        let parts = path.split(separator: "/").map { part in
            part.utf8.map { byte in
                let unreserved = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || Array("-._~".utf8).contains(byte)
                return unreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
            }.joined()
        }
        return serverURL + "%2F" + parts.joined(separator: "/") + (directory && !parts.isEmpty ? "/" : "")
    }
}
