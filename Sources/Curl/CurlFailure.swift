import CCurl
import DropsyncCore

extension CurlEasy {
    /// The error for a failed `perform`, coded by what the daemon should do about it:
    /// `CONNECTION_FAILED` (retried with backoff: unreachable, timed out, cut off),
    /// `AUTHENTICATION_FAILED`, `TLS_VERIFICATION_FAILED` and `TLS_NOT_OFFERED` (not retried: the
    /// configuration or the peer must change), `FILE_NOT_FOUND`, else `TRANSFER_FAILED`. `doing` says what was tried
    /// ("download sftp://…/a.csv"); it must hold no secret.
    public func failure(_ code: CURLcode, doing: String) -> DropsyncError {
        let errorCode: String = switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_FTP_ACCEPT_TIMEOUT,
             CURLE_FTP_CANT_GET_HOST, CURLE_FTP_WEIRD_PASV_REPLY, CURLE_FTP_WEIRD_227_FORMAT, CURLE_SSL_CONNECT_ERROR:
            "CONNECTION_FAILED"
        case CURLE_LOGIN_DENIED:
            "AUTHENTICATION_FAILED"
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            "TLS_VERIFICATION_FAILED"
        case CURLE_USE_SSL_FAILED:
            "TLS_NOT_OFFERED"
        case CURLE_REMOTE_FILE_NOT_FOUND:
            "FILE_NOT_FOUND"
        default:
            "TRANSFER_FAILED"
        }
        guard code != CURLE_USE_SSL_FAILED else {
            return DropsyncError(errorCode, "\(doing): the server does not offer TLS (it refused AUTH TLS); tls \"require\" needs an FTPS server")
        }
        return DropsyncError(errorCode, "\(doing): \(reason(code))")
    }
}
