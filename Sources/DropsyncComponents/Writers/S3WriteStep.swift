import Curl
import DropsyncCore

/// `datasource.write.amazon.s3`: uploads each incoming file as an object under a key prefix of an
/// S3 bucket, requests signed with Signature V4.
///
/// Files are uploaded in parts of `partSize` MiB (a multipart upload, which nobody sees before it
/// completes; a smaller file is one PutObject), so no temporary name is needed and
/// `temporaryUploadExtension` is not taken. A failed or cancelled upload is aborted: no object
/// and no stored part stays behind. One part is held in memory at a time.
public struct S3WriteStep: RemoteWritingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.write.amazon.s3",
        summary: "Uploads files as objects under a key prefix of an S3 bucket (multipart, invisible until complete); TLS is verified.",
        input: .file, output: .nothing,
        params: S3Connection.specs + [
            ParamSpec("objectKeyPrefix", .string, default: "", "The prefix to upload under, a directory: `outbox` puts `outbox/<name>`."),
            ParamSpec("partSize", .integer, default: 16, constraints: [.between(5, 5120)], "MiB per part of a multipart upload; files up to 10,000 parts."),
        ] + RemoteWriting.specs.filter { $0.name == "fileName" })

    public let writing: RemoteWriting

    public init(params: Params) throws(ParamError) {
        let connection = try S3Connection(params)
        let mebibytes = params.int("partSize") ?? 16
        let partSize = mebibytes << 20
        writing = try RemoteWriting(params, remotePath: params.string("objectKeyPrefix") ?? "") { () throws(DropsyncError) in
            try connection.connect(partSize: partSize)
        }
    }
}
