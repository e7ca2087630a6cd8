import DropsyncCore

/// `datasource.read.sftp`: reads the files of a directory on an SFTP server (libssh2).
///
/// The server's host key is always checked, against `knownHosts` or a pinned
/// `hostKeyFingerprint`, before any credential is sent; an unknown or changed key refuses the
/// connection with the fingerprint offered (`dropsync sftp trust` shows a server's keys).
/// Remote names that could escape a local directory or confuse a terminal (`..`, `/`, control
/// characters) are refused and traced; dotfiles and upload temp names are passed over.
/// `dropsync serve` polls the directory every `pollInterval`.
public struct SFTPReadStep: RemoteReadingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.read.sftp",
        summary: "Reads the files of a directory on an SFTP server; host keys are always verified.",
        input: .nothing, output: .file,
        params: SFTPConnection.specs + [
            ParamSpec("remotePath", .string, default: ".", "The directory to read."),
        ] + SourceFiles.specs + DropZoneParams.remoteSpecs)

    public let reading: RemoteReading

    public init(params: Params) throws(ParamError) {
        let connection = try SFTPConnection(params)
        reading = try RemoteReading(
            params, remotePath: params.string("remotePath") ?? ".", location: connection.location
        ) { () throws(DropsyncError) in try connection.connect() }
    }
}
