import Foundation

extension JobReport {
    /// The job's headline, as `dropsync jobs --json` lists it (the history keeps the details apart).
    public var summaryJSONValue: Value { .object(summaryFields) }

    private var summaryFields: Record {
        var object: Record = [
            "id": .string(id), "dataflow": .string(dataflow), "trigger": .string(trigger),
            "status": .string(status.rawValue), "startedAt": .string(UTCDateFormat.iso8601(startedAt)),
            "endedAt": endedAt.map { .string(UTCDateFormat.iso8601($0)) } ?? .null,
            "processed": .int(Int64(processed)), "errors": .int(Int64(errors)),
        ]
        if let failure { object["failure"] = .string(failure) }
        return object
    }

    /// The job as `dropsync job ID --json` prints it: the headline, its steps, files, error samples and trace.
    public var jsonValue: Value {
        var object = summaryFields
        object["steps"] = .array(steps.map(\.jsonValue))
        object["files"] = .array(files.map { .object(["name": .string($0.name), "path": .string($0.path), "location": .string($0.location)]) })
        object["errorSamples"] = .array(errorSamples.map { sample in
            .object(["step": .string(sample.step), "code": .string(sample.code), "message": .string(sample.message),
                     "record": sample.record.map(Value.object) ?? .null])
        })
        object["trace"] = .array(trace.map { line in
            .object(["time": .string(UTCDateFormat.iso8601(line.time)), "level": .string(line.level.rawValue),
                     "step": line.step.map(Value.string) ?? .null, "message": .string(line.message)])
        })
        return .object(object)
    }

    /// The human summary `dropsync run` and `dropsync job` print.
    public var summaryText: String {
        var lines: [String] = []
        let duration = endedAt.map { String(format: "%.2fs", $0.timeIntervalSince(startedAt)) } ?? "running"
        var headline = "job \(id) \(dataflow): \(status.rawValue) in \(duration), \(processed) records processed"
        if errors > 0 { headline += ", \(errors) rejected" }
        if isDryRun { headline += " (dry run: nothing was committed)" }
        lines.append(headline)
        if let failure { lines.append("  failure: \(failure)") }
        let idWidth = max(4, steps.map(\.id.count).max() ?? 0)
        lines.append("  " + "step".padding(toLength: idWidth, withPad: " ", startingAt: 0)
            + "      input     output     errors    time")
        for step in steps {
            lines.append("  " + step.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
                + Self.column(step.input) + Self.column(step.output) + Self.column(step.errors)
                + String(format: "%7.2fs", Double(step.durationMs) / 1000))
        }
        for sample in errorSamples.prefix(5) {
            lines.append("  rejected by \(sample.step): \(sample.code) \(sample.message)")
        }
        if errorSamples.count > 5 { lines.append("  … \(errorSamples.count - 5) more samples: dropsync job \(id)") }
        return lines.joined(separator: "\n")
    }

    private static func column(_ number: Int) -> String {
        let text = String(number)
        return String(repeating: " ", count: max(1, 11 - text.count)) + text
    }
}

extension StepReport {
    public var jsonValue: Value {
        .object([
            "id": .string(id), "type": .string(type), "durationMs": .int(Int64(durationMs)),
            "input": .int(Int64(input)), "output": .int(Int64(output)), "errors": .int(Int64(errors)),
            "bytesIn": .int(Int64(bytesIn)), "bytesOut": .int(Int64(bytesOut)),
        ])
    }
}
