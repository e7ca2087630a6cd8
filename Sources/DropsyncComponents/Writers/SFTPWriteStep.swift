import DropsyncCore

/// `datasource.write.sftp`: uploads each incoming file into a directory on an SFTP server.
///
/// A file is uploaded as `<name>.<random><temporaryUploadExtension>` (so two jobs never share one)
/// and renamed into place once whole, so the partner never picks up half a file; a failed or
/// cancelled upload removes the temporary file. The file is created with `filePermissions` (the
/// server's umask applies): by default the owner and the group may read it, as a partner's pickup
/// account usually can, and nobody else (the files hold personal data). The
/// connection is made at the first file, with the host key checked as for the reader.
public struct SFTPWriteStep: RemoteWritingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.write.sftp",
        summary: "Uploads files to a directory on an SFTP server (temporary name, then rename); host keys are always verified.",
        input: .file, output: .nothing,
        params: SFTPConnection.specs + [
            ParamSpec("remotePath", .string, default: ".", "The directory to upload into."),
            ParamSpec(
                "filePermissions", .string, default: "0640",
                constraints: [.matches(pattern: "0?[0-7]{3}", format: "an octal mode such as \"0640\"")],
                "The permission bits of the uploaded files, in octal (the server's umask applies); `0644` lets every account on the server read them."),
        ] + RemoteWriting.specs)

    public let writing: RemoteWriting

    public init(params: Params) throws(ParamError) {
        let connection = try SFTPConnection(params)
        let permissions = Int32(params.string("filePermissions") ?? "0640", radix: 8) ?? 0o640
        writing = try RemoteWriting(params, remotePath: params.string("remotePath") ?? ".") { () throws(DropsyncError) in
            let client = try connection.connect()
            client.filePermissions = permissions
            return client
        }
    }
}
