import DropsyncCore
import DropsyncStore
import Foundation

/// `datasource.write.account` (alias `datasource.write.gigya.account`): merges each record into
/// the embedded account store, keyed by its `UID`.
///
/// The writes of one source file form one transaction, committed at the file's `sourceDone` (and
/// at the end of input for records that came without one); a failed or cancelled job rolls the
/// open file back, so no file is ever half-applied. The account writers of one job share their
/// transaction (`SharedAccountImport`), so two of them never wait on each other; with several
/// writer steps the job's writes commit together when the last one ends. Records without a usable `UID`
/// (`MISSING_UID`), records that set a field the store keeps itself (`RESERVED_FIELD`: `created`,
/// `lastUpdated`, …) and records refused by the policy (`ACCOUNT_EXISTS`, `ACCOUNT_NOT_FOUND`) go
/// to the error path. Each file's receipt goes into the job's trace. A dry run writes in the same
/// transaction and rolls it back at the end, so its receipts count exactly what a run would do.
public struct AccountWriteStep: Component {
    public static let spec = ComponentSpec(
        type: SharedAccountImport.writerType, aliases: ["datasource.write.gigya.account"],
        summary: "Merges records into the account store by UID, one transaction per source file.",
        input: .records, output: .nothing, rejectsRecords: true,
        params: [
            ParamSpec(
                "importPolicy", .oneOf(AccountImportPolicy.allCases.map(\.rawValue)), default: "upsert",
                "upsert: merge into the account, creating it when the UID is new; insert: create new accounts only "
                    + "(an existing UID is rejected with ACCOUNT_EXISTS); update: merge into existing accounts only "
                    + "(an unknown UID is rejected with ACCOUNT_NOT_FOUND)."),
        ])

    let policy: AccountImportPolicy

    public init(params: Params) throws(ParamError) {
        guard let policy = params.string("importPolicy").flatMap(AccountImportPolicy.init(rawValue:)) else {
            throw ParamError("importPolicy", "must be one of upsert, insert, update")
        }
        self.policy = policy
    }

    public func run(_ step: StepRun) async throws {
        let imports = try step.job.services.resolve(SharedAccountImport.self)
        var open: AccountImport?
        // Batches handed to the store and not yet settled, oldest first. A few in flight keep the
        // store's thread busy while this one waits for a core.
        var inFlight: [InFlight] = []
        var receipt = Receipt(dryRun: step.job.dryRun)
        /// Waits for the oldest batch in flight and routes its results.
        func settle() async throws {
            guard !inFlight.isEmpty else { return }
            let written = inFlight.removeFirst()
            let started = DispatchTime.now().uptimeNanoseconds
            let result = try await written.pending.result()
            step.metrics.busyNanoseconds.add(Int(DispatchTime.now().uptimeNanoseconds - started))
            receipt.record(result)
            step.metrics.output.add(result.written)
            step.job.recordsWritten.add(result.written)
            try await step.reject(result.rejected.map { (written.batch[$0.index], $0.rejection) })
        }
        do {
            while let packet = try await step.input.next() {
                switch packet {
                case .records(let batch):
                    step.metrics.input.add(batch.count)
                    // Encode this batch while the store writes the earlier ones. A writer fed by
                    // another step's error path stores the records' own fields, not `errorCode`, ….
                    let patches = step.metrics.timed { AccountPatches(batch.map(Rejection.original)) }
                    let session = if let open { open } else { try await imports.acquire() }
                    open = session
                    inFlight.append(InFlight(batch: batch, pending: session.submit(patches, policy: policy)))
                    if inFlight.count > Self.batchesInFlight { try await settle() }
                case .sourceDone(let file):
                    while !inFlight.isEmpty { try await settle() }
                    if open != nil {
                        try await imports.fileDone()
                        if imports.commitsPerFile { step.job.sourceCommitted(file) }
                    }
                    open = nil
                    step.job.trace(.info, receipt.summary(file.name), step: step.id)
                    receipt = Receipt(dryRun: step.job.dryRun)
                    try await step.sourceDone(file)
                case .fileStart, .bytes, .fileEnd:
                    throw DropsyncError("UNEXPECTED_INPUT", "received file bytes on a records input", step: step.id)
                }
            }
            while !inFlight.isEmpty { try await settle() }
            try await imports.end(succeeded: true)
            if open != nil { step.job.trace(.info, receipt.summary("records without a source file"), step: step.id) }
        } catch {
            try? await imports.end(succeeded: false)
            throw error
        }
    }

    static let batchesInFlight = 3

    /// A batch handed to the store and not yet settled.
    struct InFlight {
        let batch: [Record]
        let pending: PendingAccountWrite
    }

    /// The counts of one source file's writes (in a dry run, of the writes it would make).
    struct Receipt {
        let dryRun: Bool
        var counts = AccountWriteResult()
        var rejected = 0

        mutating func record(_ result: AccountWriteResult) {
            counts.add(result)
            rejected += result.rejected.count
        }

        func summary(_ source: String) -> String {
            let (inserted, updated) = dryRun ? ("to insert", "to update") : ("inserted", "updated")
            return "\(source): \(counts.inserted) \(inserted), \(counts.updated) \(updated), \(counts.unchanged) unchanged, "
                + "\(rejected) rejected" + (dryRun ? " (dry run: rolled back)" : "")
        }
    }
}
