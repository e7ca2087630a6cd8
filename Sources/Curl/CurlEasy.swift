import CCurl
import DropsyncCore
import Foundation

/// One libcurl easy handle: options, then `perform`, which blocks until the transfer is over (use
/// it from a thread of its own, one caller at a time). Strings and lists given to it live as
/// long as libcurl needs them.
public final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// The list given for each list option, by the option's number.
    private var lists: [UInt32: UnsafeMutablePointer<curl_slist>] = [:]
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    /// libcurl's global state, set up once before the first handle.
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init() throws(DropsyncError) {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { throw DropsyncError("TRANSFER_FAILED", "libcurl could not start a transfer") }
        self.handle = handle
        applyDefaults()
    }

    private func applyDefaults() {
        errorBuffer[0] = 0
        dropsync_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        dropsync_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
    }

    /// Forgets every option set (`curl_easy_reset`), keeping open connections and caches, so the
    /// next request on this handle starts from libcurl's defaults yet reuses the connection.
    public func reset() {
        curl_easy_reset(handle)
        lists.values.forEach { curl_slist_free_all($0) }
        lists.removeAll()
        applyDefaults()
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.values.forEach { curl_slist_free_all($0) }
        errorBuffer.deallocate()
    }

    public func set(_ option: CURLoption, _ value: Int) {
        dropsync_curl_set_long(handle, option, value)
    }

    public func set(_ option: CURLoption, offset value: Int64) {
        dropsync_curl_set_offset(handle, option, curl_off_t(value))
    }

    /// libcurl copies string options, so `value` need not outlive the call.
    public func set(_ option: CURLoption, _ value: String) {
        dropsync_curl_set_string(handle, option, value)
    }

    /// A list option (`CURLOPT_HTTPHEADER`, `CURLOPT_QUOTE`, …), kept until the option is set
    /// again or the handle goes; an empty list unsets it.
    public func set(_ option: CURLoption, list values: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values { list = curl_slist_append(list, value) }
        dropsync_curl_set_list(handle, option, list)
        if let previous = lists.removeValue(forKey: option.rawValue) { curl_slist_free_all(previous) }
        if let list { lists[option.rawValue] = list }
    }

    /// The last response's status: HTTP status, or the FTP server's reply code.
    public var responseCode: Int {
        var code = 0
        dropsync_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// A text fact of the last transfer (`CURLINFO_FTP_ENTRY_PATH`, …); nil when libcurl has none.
    public func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard dropsync_curl_get_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// Runs the transfer. `receive` gets the response body as it arrives (false stops the
    /// transfer: `CURLE_WRITE_ERROR`); `send` fills the buffer with the request body and returns
    /// the count (0 at its end, nil aborts: `CURLE_ABORTED_BY_CALLBACK`); `header` gets each
    /// response header line.
    public func perform(
        receive: ((UnsafeRawBufferPointer) -> Bool)? = nil,
        send: ((UnsafeMutableRawBufferPointer) -> Int?)? = nil,
        header: ((String) -> Void)? = nil
    ) -> CURLcode {
        let callbacks = Unmanaged.passRetained(Callbacks(receive: receive, send: send, header: header))
        defer { callbacks.release() }
        let context = callbacks.toOpaque()
        dropsync_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        dropsync_curl_set_callback(handle, CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
            let callbacks = Unmanaged<Callbacks>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard let receive = callbacks.receive else { return length }
            return receive(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
        }
        dropsync_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        dropsync_curl_set_callback(handle, CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
            let callbacks = Unmanaged<Callbacks>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let header = callbacks.header, let buffer {
                header(String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self))
            }
            return length
        }
        if send != nil {
            dropsync_curl_set_pointer(handle, CURLOPT_READDATA, context)
            dropsync_curl_set_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                let callbacks = Unmanaged<Callbacks>.fromOpaque(context!).takeUnretainedValue()
                guard let filled = callbacks.send?(UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) else {
                    return Int(CURL_READFUNC_ABORT)
                }
                return filled
            }
        }
        errorBuffer[0] = 0
        return curl_easy_perform(handle)
    }

    /// What went wrong in the last `perform`, in libcurl's words.
    public func reason(_ code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
    }

    /// The callbacks of one `perform`, reached from C through its context pointer.
    private final class Callbacks {
        let receive: ((UnsafeRawBufferPointer) -> Bool)?
        let send: ((UnsafeMutableRawBufferPointer) -> Int?)?
        let header: ((String) -> Void)?

        init(
            receive: ((UnsafeRawBufferPointer) -> Bool)?, send: ((UnsafeMutableRawBufferPointer) -> Int?)?,
            header: ((String) -> Void)?
        ) {
            self.receive = receive
            self.send = send
            self.header = header
        }
    }
}
