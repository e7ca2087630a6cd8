import CCurl
import DropsyncCore

/// A file uploaded (STOR) on a thread of its own as `<path>.<random><temporaryExtension>` (two
/// jobs never share one); `finish` waits for the transfer to complete, and `commit` renames the
/// file into place (RNFR, RNTO). Released uncommitted, the transfer is aborted and the temporary
/// file removed (DELE), so nothing appears under the final name.
final class FTPUpload: FileUpload {
    let name: String
    private let client: FTPClient
    private let temporaryPath: String
    private let finalPath: String
    private var transfer: ThreadedTransfer?
    private var committed = false

    init(client: FTPClient, path: String, temporaryExtension: String) throws(DropsyncError) {
        self.client = client
        name = String(path.split(separator: "/").last ?? "")
        let temporaryPath = path + "." + String(UInt32.random(in: 0...UInt32.max), radix: 16) + temporaryExtension
        self.temporaryPath = temporaryPath
        finalPath = path
        try client.prepare(client.url(temporaryPath))
        client.curl.set(CURLOPT_UPLOAD, 1)
        client.isTransferring = true
        transfer = ThreadedTransfer(name: "ftp-upload", lending: client) { client, pipe throws(DropsyncError) in
            let outcome = client.perform(send: { buffer in pipe.read(into: buffer) })
            try client.check(outcome, doing: "upload \(path)")
        }
    }

    deinit {
        transfer?.stop()
        client.isTransferring = false
        if !committed { try? client.remove(temporaryPath) }
    }

    func write(_ chunk: [UInt8]) throws(DropsyncError) {
        try transfer?.feed(chunk)
    }

    func finish() throws(DropsyncError) {
        try transfer?.finish()
        transfer = nil
        client.isTransferring = false
    }

    func commit() throws(DropsyncError) {
        try client.replace(finalPath, with: temporaryPath)
        committed = true
    }
}
