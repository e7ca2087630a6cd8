import DropsyncCore
import Foundation
import Testing

@Suite("Macros")
struct MacroTests {
    /// 2026-03-04 05:06:07.089 UTC.
    let context = MacroContext(now: Date(timeIntervalSince1970: 1_772_600_767.089), jobID: "job-42")

    @Test("expands now with Java-style patterns in UTC", arguments: [
        ("${now}", "2026-03-04T05:06:07.089Z"),
        ("${now:yyyyMMdd}", "20260304"),
        ("${now:yyyyMMdd_HHmmss}", "20260304_050607"),
        ("${now:yy-M-d}", "26-3-4"),
        ("${now:yyyy-MM-dd'T'HH:mm}", "2026-03-04T05:06"),
        ("${now:HHmmssSSS}", "050607089"),
    ])
    func patterns(text: String, expected: String) throws {
        #expect(try Macros.expand(text, context) == expected)
    }

    @Test("applies offsets before formatting", arguments: [
        ("${now-1d:yyyyMMdd}", "20260303"),
        ("${now+2h:HH}", "07"),
        ("${now-30m:HHmm}", "0436"),
        ("${now-10s:ss}", "57"),
        ("${now+1w:yyyyMMdd}", "20260311"),
        ("${now-1M:yyyyMMdd}", "20260202"),
        ("${now-1y:yyyyMMdd}", "20250304"),
    ])
    func offsets(text: String, expected: String) throws {
        #expect(try Macros.expand(text, context) == expected)
    }

    @Test("expands jobId and several macros within text")
    func jobIDAndText() throws {
        #expect(try Macros.expand("EXPORT_${jobId}_${now:yyyyMMdd}.csv", context) == "EXPORT_job-42_20260304.csv")
    }

    @Test("text without a complete macro is left alone", arguments: ["plain.csv", "cost $5", "${now", "a ${ b"])
    func untouched(text: String) throws {
        #expect(try Macros.expand(text, context) == text)
    }

    @Test("unknown macros and malformed offsets are refused by name", arguments: [
        ("${today}", "today"), ("${now-1x}", "now-1x"), ("${now-d}", "now-d"), ("${now*1d}", "now*1d"),
        ("${JOBID}", "JOBID"),
    ])
    func unknown(text: String, name: String) {
        let error = #expect(throws: Macros.UnknownMacro.self) { try Macros.expand(text, context) }
        #expect(error?.name == name)
        #expect(error?.description == "unknown macro ${\(name)}")
        #expect(throws: Macros.UnknownMacro.self) { try Macros.validate(text) }
    }

    @Test("validate accepts known macros without a context")
    func validateKnown() {
        #expect(throws: Never.self) { try Macros.validate("${jobId}-${now-1d:yyyyMMdd}") }
    }
}
