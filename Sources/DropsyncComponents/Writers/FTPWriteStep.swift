import DropsyncCore

/// `datasource.write.ftp`: uploads each incoming file into a directory on an FTP server, over
/// plain FTP or explicit FTPS (`tls: "require"`, the certificate verified).
///
/// A file is uploaded as `<name>.<random><temporaryUploadExtension>` and renamed into place by the
/// server once whole, so the partner never picks up half a file; a failed or cancelled upload
/// removes the temporary file. The connection is made at the first file.
public struct FTPWriteStep: RemoteWritingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.write.ftp",
        summary: "Uploads files to a directory on an FTP server (temporary name, then rename); explicit FTPS with tls: \"require\".",
        input: .file, output: .nothing,
        params: FTPConnection.specs + [
            ParamSpec("remotePath", .string, default: ".", "The directory to upload into (relative to the login's directory, or absolute)."),
        ] + RemoteWriting.specs)

    public let writing: RemoteWriting

    public init(params: Params) throws(ParamError) {
        let connection = try FTPConnection(params)
        writing = try RemoteWriting(params, remotePath: params.string("remotePath") ?? ".") { () throws(DropsyncError) in
            try connection.connect()
        }
    }
}
