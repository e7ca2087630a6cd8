import Dispatch
import Foundation

/// Calls `cancel` when one of `signals` arrives, instead of letting the signal end the process.
final class SignalCancellation {
    private let sources: [any DispatchSourceSignal]

    init(_ signals: [Int32], cancel: @escaping @Sendable () -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: cancel)
            source.resume()
            return source
        }
    }

    func stop() { for source in sources { source.cancel() } }
}
