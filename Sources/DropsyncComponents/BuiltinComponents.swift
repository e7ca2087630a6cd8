import DropsyncCore

/// Every component dropsync ships, registered once; the executable hands this registry to the
/// configuration loader and the engine.
public enum BuiltinComponents {
    public static let registry = ComponentRegistry([
        // Readers
        LocalReadStep.self,
        SFTPReadStep.self,
        FTPReadStep.self,
        S3ReadStep.self,
        // File steps
        GzipUncompressStep.self,
        GzipCompressStep.self,
        PGPDecryptStep.self,
        PGPEncryptStep.self,
        DSVParseStep.self,
        DSVFormatStep.self,
        JSONParseStep.self,
        JSONFormatStep.self,
        // Field transformers
        FieldRename.self,
        FieldRemove.self,
        FieldSelect.self,
        FieldMove.self,
        FieldAdd.self,
        // Writers
        AccountWriteStep.self,
        LocalWriteStep.self,
        SFTPWriteStep.self,
        FTPWriteStep.self,
        S3WriteStep.self,
    ])
}
