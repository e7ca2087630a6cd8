// Times one component alone on a file held in memory, for `make bench`:
//   dropsync-bench parse-dsv FILE   → the DSV parse step, bytes in, records out
import DropsyncComponents
import DropsyncCore
import Foundation

@main
struct DropsyncBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, arguments[1] == "parse-dsv",
              let data = FileManager.default.contents(atPath: arguments[2]) else {
            FileHandle.standardError.write(Data("usage: dropsync-bench parse-dsv FILE\n".utf8))
            exit(2)
        }
        let bytes = [UInt8](data)
        let chunkSize = 128 * 1024
        let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map { Array(bytes[$0..<min($0 + chunkSize, bytes.count)]) }
        let component = try DSVParseStep(params: Params(Record(), spec: DSVParseStep.spec))
        let input = Channel(capacity: 8)
        let output = Channel(capacity: 8)
        let job = JobContext(jobID: "bench", dataflow: "bench")
        let step = StepRun(
            id: "parse", type: DSVParseStep.spec.type, input: Inlet(input), output: Outlet([output]),
            errorOutput: Outlet([]), metrics: StepMetrics(), job: job)
        let file = FileInfo(name: "bench.csv", path: arguments[2], location: "bench")
        let start = ContinuousClock.now
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
        let count = try await records
        let elapsed = (ContinuousClock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        print("{\"records\": \(count), \"bytes\": \(bytes.count), \"seconds\": \(seconds)}")
    }
}
