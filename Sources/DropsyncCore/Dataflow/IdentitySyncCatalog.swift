/// IdentitySync component types dropsync knows by name but does not implement (yet), so `check`
/// can say "not supported" rather than "unknown".
enum IdentitySyncCatalog {
    static let unsupported: Set<String> = [
        "datasource.read.gigya.audit", "datasource.read.gigya.ds", "datasource.read.azure.blob",
        "datasource.read.google.cloud.storage", "datasource.read.azure.sas", "datasource.read.mailchimp",
        "datasource.read.marketo", "datasource.read.silverpop",
        "datasource.lookup.gigya.account", "datasource.lookup.gigya.ds",
        "datasource.write.gigya.importaccount", "datasource.write.gigya.generic", "datasource.write.gigya.ds",
        "datasource.write.azure.blob", "datasource.write.google.cloud.storage", "datasource.write.mailchimp",
        "datasource.write.marketo", "datasource.write.silverpop", "datasource.write.http",
        "datasource.read.sftp", "datasource.read.ftp", "datasource.read.amazon.s3",
        "datasource.write.sftp", "datasource.write.ftp", "datasource.write.amazon.s3",
        "datasource.read.gigya.account", "datasource.read.account",
        "field.copy", "field.replace", "field.evaluate", "field.flatten", "field.array.extract",
        "field.array.join", "field.date.format", "record.evaluate", "record.deduplicate",
        "file.empty", "file.encrypt.pgp", "file.decrypt.pgp",
        "file.compress.zip", "file.uncompress.zip", "file.compress.lzo", "file.uncompress.lzo",
        "file.parse.xml", "file.format.xml", "file.parse.fixedwidth",
    ]
}
