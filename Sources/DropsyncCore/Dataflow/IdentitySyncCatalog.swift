/// What dropsync knows of IdentitySync by name: component types it does not implement (yet), and
/// the params of the types it does, so `check` can say "not supported" rather than "unknown".
enum IdentitySyncCatalog {
    static let unsupported: Set<String> = [
        "datasource.read.gigya.audit", "datasource.read.gigya.ds", "datasource.read.azure.blob",
        "datasource.read.google.cloud.storage", "datasource.read.azure.sas", "datasource.read.mailchimp",
        "datasource.read.marketo", "datasource.read.silverpop",
        "datasource.lookup.gigya.account", "datasource.lookup.gigya.ds",
        "datasource.write.gigya.importaccount", "datasource.write.gigya.generic", "datasource.write.gigya.ds",
        "datasource.write.azure.blob", "datasource.write.google.cloud.storage", "datasource.write.mailchimp",
        "datasource.write.marketo", "datasource.write.silverpop", "datasource.write.http",
        "datasource.read.gigya.account", "datasource.read.account",
        "field.copy", "field.replace", "field.evaluate", "field.flatten", "field.array.extract",
        "field.array.join", "field.date.format", "record.evaluate", "record.deduplicate",
        "file.empty", "file.compress.zip", "file.uncompress.zip", "file.compress.lzo", "file.uncompress.lzo",
        "file.parse.xml", "file.format.xml", "file.parse.fixedwidth",
    ]

    private static let sftpConnection: Set = ["host", "port", "username", "password", "privateKey", "passphrase", "timeout"]
    private static let remoteListing: Set = ["remotePath", "fileNameRegex", "sortBy", "sortOrder"]
    private static let remoteUpload: Set = ["remotePath", "fileName", "temporaryUploadExtension"]
    private static let s3Bucket: Set = ["bucketName", "accessKey", "secretKey", "objectKeyPrefix"]

    /// IdentitySync's params of the component types dropsync implements, by IdentitySync type.
    private static let paramsByType: [String: Set<String>] = [
        "datasource.read.sftp": sftpConnection.union(remoteListing),
        "datasource.read.ftp": sftpConnection.union(remoteListing),
        "datasource.read.amazon.s3": s3Bucket.union(["fileNameRegex"]),
        "datasource.write.sftp": sftpConnection.union(remoteUpload),
        "datasource.write.ftp": sftpConnection.union(remoteUpload),
        "datasource.write.amazon.s3": s3Bucket,
        "file.parse.dsv": ["columnSeparator", "fileCharset", "inferTypes", "addFilename"],
        "file.parse.json": ["addFilename"],
        "file.format.dsv": [
            "fileName", "columnSeparator", "quoteFields", "escapeCharacter", "writeHeader", "lineEnd", "maxFileSize",
            "createEmptyFile",
        ],
        "file.format.json": ["fileName", "maxFileSize", "createEmptyFile", "wrapField"],
        "file.encrypt.pgp": ["publicKey"],
        "file.decrypt.pgp": ["privateKey", "passphrase"],
    ]

    /// The IdentitySync params of a component known under `types` (its type and aliases).
    static func params(of types: [String]) -> Set<String> {
        types.reduce(into: []) { $0.formUnion(paramsByType[$1] ?? []) }
    }
}
