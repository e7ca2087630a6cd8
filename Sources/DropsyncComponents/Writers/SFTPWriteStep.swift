import DropsyncCore

/// `datasource.write.sftp`: uploads each incoming file into a directory on an SFTP server.
///
/// A file is uploaded as `<name>.<random><temporaryUploadExtension>` (so two jobs never share one)
/// and renamed into place once whole, so the partner never picks up half a file; a failed or
/// cancelled upload removes the temporary file. The connection is made at the first file, with the
/// host key checked as for the reader.
public struct SFTPWriteStep: RemoteWritingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.write.sftp",
        summary: "Uploads files to a directory on an SFTP server (temporary name, then rename); host keys are always verified.",
        input: .file, output: .nothing,
        params: SFTPConnection.specs + [ParamSpec("remotePath", .string, default: ".", "The directory to upload into.")]
            + RemoteWriting.specs)

    public let writing: RemoteWriting

    public init(params: Params) throws(ParamError) {
        let connection = try SFTPConnection(params)
        writing = try RemoteWriting(params, remotePath: params.string("remotePath") ?? ".") { () throws(DropsyncError) in
            try connection.connect()
        }
    }
}
