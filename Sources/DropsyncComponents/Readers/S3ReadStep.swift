import DropsyncCore

/// `datasource.read.amazon.s3`: reads the objects under a key prefix of an S3 bucket (AWS, or an
/// S3-compatible service at `endpoint`) through libcurl, requests signed with Signature V4.
///
/// The prefix is a directory: its files are the keys right under it (`in/a.csv` for the prefix
/// `in`), deeper keys are not read. Listings are paged; objects are streamed. Keys whose names
/// could escape a local directory or confuse a terminal (control characters, not UTF-8) are
/// refused and traced. `dropsync serve` polls the prefix every `pollInterval`.
public struct S3ReadStep: RemoteReadingComponent {
    public static let spec = ComponentSpec(
        type: "datasource.read.amazon.s3",
        summary: "Reads the objects under a key prefix of an S3 bucket (AWS or S3-compatible); TLS is verified.",
        input: .nothing, output: .file,
        params: S3Connection.specs + [
            ParamSpec("objectKeyPrefix", .string, default: "", "The prefix to read, a directory: `inbox` or `inbox/` reads the keys `inbox/…`."),
        ] + SourceFiles.specs + DropZoneParams.remoteSpecs)

    public let reading: RemoteReading

    public init(params: Params) throws(ParamError) {
        let connection = try S3Connection(params)
        reading = try RemoteReading(
            params, remotePath: params.string("objectKeyPrefix") ?? "", location: connection.location
        ) { () throws(DropsyncError) in try connection.connect() }
    }
}
