import DropsyncCore

/// `datasource.read.ftp`: reads the files of a directory on an FTP server (libcurl), over plain
/// FTP or explicit FTPS (`tls: "require"`, the certificate verified).
///
/// Remote names that could escape a local directory or confuse a terminal (`..`, `/`, control
/// characters) are refused and traced; dotfiles and upload temp names are passed over.
/// `dropsync serve` polls the directory every `pollInterval`.
public struct FTPReadStep: RemoteReadingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.read.ftp",
        summary: "Reads the files of a directory on an FTP server; explicit FTPS with tls: \"require\".",
        input: .nothing, output: .file,
        params: FTPConnection.specs + [
            ParamSpec("remotePath", .string, default: ".", "The directory to read (relative to the login's directory, or absolute)."),
        ] + SourceFiles.specs + DropZoneParams.remoteSpecs)

    public let reading: RemoteReading

    public init(params: Params) throws(ParamError) {
        let connection = try FTPConnection(params)
        reading = try RemoteReading(
            params, remotePath: params.string("remotePath") ?? ".", location: connection.location
        ) { () throws(DropsyncError) in try connection.connect() }
    }
}
