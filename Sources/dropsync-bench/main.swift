// Times the DSV parser on a file held in memory, in 128 KiB chunks as the step receives them, for
// `make bench`. Each mode prints {"records", "fields", "bytes", "seconds"} as JSON:
//   dropsync-bench scan-dsv FILE    → the byte-level parser: rows and their fields found, quotes
//                                     resolved, every row's UTF-8 checked (no String made)
//   dropsync-bench split-dsv FILE   → the same, and each row made into an array of Strings, one
//                                     per field (what Python's csv.reader returns)
//   dropsync-bench parse-dsv FILE   → the whole `file.parse.dsv` step: bytes in, batches of named
//                                     records out through its channels (what csv.DictReader returns)
// The header row counts as a record in the first two modes, as it does for csv.reader.
import DropsyncComponents
import DropsyncCore
import Foundation

@main
struct DropsyncBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let data = FileManager.default.contents(atPath: arguments[2]) else {
            usage()
        }
        let chunkSize = 128 * 1024
        let bytes = [UInt8](data)
        let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { Array(bytes[$0..<min($0 + chunkSize, bytes.count)]) }
        let start = ContinuousClock.now
        let counts: (records: Int, fields: Int)
        switch arguments[1] {
        case "scan-dsv": counts = scan(chunks, makingStrings: false)
        case "split-dsv": counts = scan(chunks, makingStrings: true)
        case "parse-dsv": counts = (try await parseStep(chunks, path: arguments[2]), 0)
        default: usage()
        }
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print("{\"records\": \(counts.records), \"fields\": \(counts.fields), \"bytes\": \(bytes.count), \"seconds\": \(seconds)}")
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: dropsync-bench scan-dsv|split-dsv|parse-dsv FILE\n".utf8))
        exit(2)
    }

    /// The tokenizer and the UTF-8 check on every row, as the step runs them; with `makingStrings`,
    /// each valid row also becomes a fresh `[String]`.
    static func scan(_ chunks: [[UInt8]], makingStrings: Bool) -> (records: Int, fields: Int) {
        var tokenizer = DSVTokenizer(DSVTokenizer.Options())
        var records = 0
        var fields = 0
        let count = { (row: DSVRow) in
            guard row.problem == nil, UTF8Validation.isValid(row.rawBytes) else { return }
            records += 1
            guard makingStrings else {
                fields += row.count
                return
            }
            let list = (0..<row.count).map { String(decoding: row[$0], as: UTF8.self) }
            fields += list.count
        }
        for chunk in chunks {
            chunk.withUnsafeBytes { tokenizer.consume($0, row: count) }
        }
        tokenizer.finish(row: count)
        return (records, fields)
    }

    /// The `file.parse.dsv` step with its default params, fed through a channel; its records are
    /// counted (and released) by a consumer on the other side of its output channel.
    static func parseStep(_ chunks: [[UInt8]], path: String) async throws -> Int {
        let component = try DSVParseStep(params: Params(Record(), spec: DSVParseStep.spec))
        let input = Channel(capacity: 8)
        let output = Channel(capacity: 8)
        let job = JobContext(jobID: "bench", dataflow: "bench")
        let step = StepRun(
            id: "parse", type: DSVParseStep.spec.type, input: Inlet(input), output: Outlet([output]),
            errorOutput: Outlet([]), metrics: StepMetrics(), job: job)
        let file = FileInfo(name: "bench.csv", path: path, location: "bench")
        async let records: Int = {
            var count = 0
            while let packet = try await output.receive() {
                if case .records(let batch) = packet { count += batch.count }
            }
            return count
        }()
        async let feed: Void = {
            _ = try await input.send(.fileStart(file))
            for chunk in chunks { _ = try await input.send(.bytes(chunk)) }
            _ = try await input.send(.fileEnd)
            input.finishProducer()
        }()
        try await component.run(step)
        step.output.finish()
        try await feed
        return try await records
    }
}
