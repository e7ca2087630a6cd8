import DropsyncComponents
import DropsyncCore
import Testing

/// One step of a built-in type with bad params, and every param problem `check` must report.
struct ParamValidationCase: Sendable, CustomTestStringConvertible {
    let name: String
    let type: String
    let params: Record
    let problems: [String]

    init(_ name: String, _ type: String, _ params: Record, _ problems: [String]) {
        self.name = name
        self.type = type
        self.params = params
        self.problems = problems
    }

    var testDescription: String { name }
}

private let sftp: Record = ["host": "sftp.example.com", "username": "u", "password": "p", "hostKeyFingerprint": .string("SHA256:" + String(repeating: "A", count: 43))]
private let ftp: Record = ["host": "ftp.example.com", "username": "u", "password": "p"]

private func with(_ base: Record, _ changes: Record) -> Record {
    var merged = base
    for field in changes.fields { merged[field.name] = field.value }
    return merged
}

private let paramValidationCases: [ParamValidationCase] = [
    ParamValidationCase("every declared rule of a DSV parser is checked", "file.parse.dsv",
        ["columnSeparator": "ab", "maxErrorRate": 2, "maxErrors": -1],
        [
            #"columnSeparator: must be one ASCII character other than a line break ("\t" for tab), got "ab""#,
            "maxErrorRate: must be 0 to 1, got 2",
            "maxErrors: must not be negative, got -1",
        ]),
    ParamValidationCase("every item of a rename list is checked", "field.rename",
        ["fields": [["sourceField": "a"], ["source": "b", "targetField": "c"], ["sourceField": 1, "targetField": "d"]]],
        [
            "fields: item 0: needs 'targetField'",
            "fields: item 1: unknown key 'source' (expected sourceField, targetField)",
            "fields: item 1: needs 'sourceField'",
            "fields: item 2: 'sourceField' expected string, got integer 1",
        ]),
    ParamValidationCase("every item of an add list is checked", "field.add",
        ["fields": [["field": "a", "value": 1], ["value": 2], ["field": "c"]]],
        ["fields: item 1: needs 'field'", "fields: item 2: needs 'value'"]),
    ParamValidationCase("an SFTP port out of range, a malformed fingerprint and an empty host are all reported", "datasource.read.sftp",
        with(sftp, ["host": "", "port": 70_000, "hostKeyFingerprint": "foo"]),
        [
            "host: must not be empty",
            #"hostKeyFingerprint: must be SHA256: and 43 base64 characters, as ssh-keygen -l shows it, got "foo""#,
            "port: must be 1 to 65535, got 70000",
        ]),
    ParamValidationCase("an SFTP private key that is not an SSH key is refused at load, not blamed on the server", "datasource.read.sftp",
        ["host": "sftp.example.com", "username": "u", "privateKey": "-----BEGIN PGP PRIVATE KEY BLOCK-----\nx\n",
         "hostKeyFingerprint": .string("SHA256:" + String(repeating: "A", count: 43))],
        ["privateKey: is not an SSH private key (OpenSSH or PEM: -----BEGIN OPENSSH PRIVATE KEY-----, …)"]),
    ParamValidationCase("a DSV writer's one-character params are checked", "file.format.dsv",
        ["columnSeparator": "ab", "escapeCharacter": "\n"],
        [
            #"columnSeparator: must be one ASCII character other than a line break ("\t" for tab), got "ab""#,
            #"escapeCharacter: must be one ASCII character other than a line break ("\t" for tab), got "\n""#,
        ]),
    ParamValidationCase("a DSV parser's quote may be empty, but not two characters", "file.parse.dsv",
        ["quoteChar": "ab", "escapeChar": "\\"],
        [#"quoteChar: must be one ASCII character other than a line break, or empty, got "ab""#]),
    ParamValidationCase("a gzip level outside 1 to 9 is reported", "file.compress.gzip", ["level": 0], ["level: must be 1 to 9, got 0"]),
    ParamValidationCase("an S3 part size outside 5 to 5120 MiB is reported", "datasource.write.amazon.s3",
        ["bucketName": "b", "accessKey": "a", "secretKey": "s", "partSize": 2], ["partSize: must be 5 to 5120, got 2"]),
    ParamValidationCase("an empty upload suffix is reported", "datasource.write.sftp", with(sftp, ["temporaryUploadExtension": ""]),
        [#"temporaryUploadExtension: must not be empty, got """#]),
    ParamValidationCase("file permissions with a digit that is not octal are reported", "datasource.write.sftp", with(sftp, ["filePermissions": "999"]),
        [#"filePermissions: must be an octal mode such as "0640", got "999""#]),
    ParamValidationCase("file permissions written as letters are reported", "datasource.write.sftp", with(sftp, ["filePermissions": "rw"]),
        [#"filePermissions: must be an octal mode such as "0640", got "rw""#]),
    ParamValidationCase("an FTP port out of range is reported", "datasource.write.ftp", with(ftp, ["port": 70_000]),
        ["port: must be 1 to 65535, got 70000"]),
    ParamValidationCase("a file name with an empty date format is reported", "datasource.write.ftp", with(ftp, ["fileName": "out_${now:}.csv"]),
        ["fileName: empty date format in macro ${now:}"]),
    ParamValidationCase("a negative minimum size is reported", "datasource.read.local", ["path": "/in", "minimumSize": -5],
        ["minimumSize: must not be negative, got -5"]),
    ParamValidationCase("an empty path must not be empty", "datasource.read.local", ["path": ""], ["path: must not be empty"]),
    ParamValidationCase("empty S3 strings must not be empty, and secrets are not quoted", "datasource.write.amazon.s3",
        ["bucketName": "", "accessKey": "", "secretKey": "s", "region": ""],
        ["bucketName: must not be empty", "accessKey: must not be empty", #"region: must not be empty, got """#]),
    ParamValidationCase("an IdentitySync param dropsync lacks is called unsupported", "file.format.json", ["maxFileSize": 1000],
        ["maxFileSize: IdentitySync param 'maxFileSize' is not supported by dropsync"]),
    ParamValidationCase("an unknown param far from every name gets no suggestion", "datasource.write.sftp", with(sftp, ["sortBy": "name"]),
        ["sortBy: unknown param for datasource.write.sftp"]),
]

@Suite("Param validation of the built-in components")
struct ParamValidationTests {
    @Test("check reports every param problem of a step at once", arguments: paramValidationCases)
    func table(_ testCase: ParamValidationCase) {
        let dataflow = Dataflow(name: "flow", steps: [StepDefinition(id: "step", type: testCase.type, params: testCase.params)], file: "/conf.d/flow.json")
        var diagnostics: [Diagnostic] = []
        _ = DataflowValidator(registry: BuiltinComponents.registry).compile(dataflow, into: &diagnostics)
        let problems = diagnostics.filter { !$0.isWarning && $0.param != nil }.map { "\($0.param!): \($0.message)" }
        #expect(problems == testCase.problems)
    }

    @Test("an entry step with bad params still gets its graph checks")
    func graphChecksDespiteParams() {
        let dataflow = Dataflow(name: "flow", steps: [StepDefinition(id: "remove", type: "field.remove", params: ["fields": []])], file: "/conf.d/flow.json")
        var diagnostics: [Diagnostic] = []
        _ = DataflowValidator(registry: BuiltinComponents.registry).compile(dataflow, into: &diagnostics)
        #expect(diagnostics.map(\.description) == [
            "/conf.d/flow.json: step 'remove' param 'fields': must not be empty, got []",
            "/conf.d/flow.json: step 'remove': nothing leads to this step, but field.remove needs records as input",
        ])
    }
}
