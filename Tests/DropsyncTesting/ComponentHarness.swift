import DropsyncCore
import Foundation

/// What one component produced in a harness run.
public struct HarnessResult: Sendable {
    public var output: [Packet]
    public var errorOutput: [Packet]
    public var metrics: StepMetrics
    public var job: JobContext

    /// Every record sent on the main output, in order.
    public var records: [Record] { Self.records(in: output) }
    /// Every record sent on the error path, in order.
    public var rejected: [Record] { Self.records(in: errorOutput) }
    /// Every file sent on the main output, with its bytes joined.
    public var files: [(info: FileInfo, bytes: [UInt8])] { Self.files(in: output) }
    /// The files each `sourceDone` named, in order.
    public var sourcesDone: [FileInfo] {
        output.compactMap { if case .sourceDone(let file) = $0 { file } else { nil } }
    }

    public static func records(in packets: [Packet]) -> [Record] {
        packets.flatMap { packet -> [Record] in if case .records(let batch) = packet { batch } else { [] } }
    }

    public static func files(in packets: [Packet]) -> [(info: FileInfo, bytes: [UInt8])] {
        var files: [(info: FileInfo, bytes: [UInt8])] = []
        for packet in packets {
            switch packet {
            case .fileStart(let info): files.append((info, []))
            case .bytes(let chunk): files[files.count - 1].bytes += chunk
            default: break
            }
        }
        return files
    }
}

/// Runs one component outside a dataflow: params and input packets in, packets out.
public enum ComponentHarness {
    public static func makeJob(
        limit: Int? = nil, explicitFiles: [String]? = nil, dryRun: Bool = false, services: Services = Services()
    ) -> JobContext {
        JobContext(jobID: "test-job", dataflow: "test", startedAt: Date(timeIntervalSince1970: 1_795_000_000),
                   limit: limit, explicitFiles: explicitFiles, dryRun: dryRun, services: services)
    }

    /// Builds the component from `params` as the validator would: the spec's checks first (the
    /// first problem thrown as a `ParamError`), then the initializer with the spec's defaults.
    public static func make<C: Component>(_ type: C.Type, _ params: Record, baseDirectory: String = "/") throws -> C {
        if let problem = C.spec.problems(in: params).first { throw problem }
        return try C(params: Params(params, spec: C.spec, baseDirectory: baseDirectory))
    }

    public static func run<C: Component>(
        _ type: C.Type, params: Record = Record(), input: [Packet] = [], errorPath: Bool = true,
        job: JobContext = makeJob(), baseDirectory: String = "/"
    ) async throws -> HarnessResult {
        let component = try make(type, params, baseDirectory: baseDirectory)
        return try await run(component, input: input, errorPath: errorPath, job: job)
    }

    public static func run(
        _ component: any Component, input: [Packet] = [], errorPath: Bool = true, job: JobContext = makeJob()
    ) async throws -> HarnessResult {
        let (result, failure) = try await runKeepingOutput(component, input: input, errorPath: errorPath, job: job)
        if let failure { throw failure }
        return result
    }

    /// Runs the component like `run`, but a failure comes back with what the step sent before it
    /// failed (what a downstream step would have seen).
    public static func runKeepingOutput(
        _ component: any Component, input: [Packet] = [], errorPath: Bool = true, job: JobContext = makeJob()
    ) async throws -> (result: HarnessResult, failure: (any Error)?) {
        let spec = type(of: component).spec
        let inputChannel: Channel? = spec.input == .nothing ? nil : Channel(capacity: max(1, input.count))
        if let inputChannel {
            for packet in input { _ = try await inputChannel.send(packet) }
            inputChannel.finishProducer()
        }
        let outputChannel = Channel(capacity: 4)
        let errorChannel = Channel(capacity: 4)
        let metrics = StepMetrics()
        let step = StepRun(
            id: "step", type: spec.type, input: Inlet(inputChannel),
            output: Outlet([outputChannel]), errorOutput: Outlet(errorPath ? [errorChannel] : []),
            metrics: metrics, job: job)
        if !errorPath { errorChannel.finishProducer() }
        async let output = drain(outputChannel)
        async let errors = drain(errorChannel)
        var failure: (any Error)?
        do {
            try await component.run(step)
        } catch {
            failure = error
        }
        step.output.finish()
        step.errorOutput.finish()
        return (HarnessResult(output: try await output, errorOutput: try await errors, metrics: metrics, job: job), failure)
    }

    private static func drain(_ channel: Channel) async throws -> [Packet] {
        var packets: [Packet] = []
        while let packet = try await channel.receive() { packets.append(packet) }
        return packets
    }
}
