import CRNP
import DropsyncCore

/// Small helpers over librnp's C conventions: result codes and library-allocated strings.
enum RNP {
    static let success = rnp_result_t(RNP_SUCCESS)

    /// librnp's name for a result code, for messages.
    static func describe(_ result: rnp_result_t) -> String {
        String(cString: rnp_result_to_string(result))
    }

    /// Throws `code` with `message` (and librnp's reason) unless the call succeeded.
    static func check(_ result: rnp_result_t, _ code: String, _ message: @autoclosure () -> String) throws(DropsyncError) {
        guard result != success else { return }
        throw DropsyncError(code, "\(message()) (\(describe(result)))")
    }

    /// A string librnp allocates into an out-parameter; nil when the call fails.
    static func string(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> rnp_result_t) -> String? {
        var buffer: UnsafeMutablePointer<CChar>?
        guard call(&buffer) == success, let buffer else { return nil }
        defer { rnp_buffer_destroy(buffer) }
        return String(cString: buffer)
    }

    static func flag(_ call: (UnsafeMutablePointer<Bool>) -> rnp_result_t) -> Bool {
        var value = false
        return call(&value) == success && value
    }

    static func number(_ call: (UnsafeMutablePointer<UInt32>) -> rnp_result_t) -> UInt32 {
        var value: UInt32 = 0
        return call(&value) == success ? value : 0
    }

    static func count(_ call: (UnsafeMutablePointer<Int>) -> rnp_result_t) -> Int {
        var value = 0
        return call(&value) == success ? value : 0
    }
}
