import Synchronization

/// A bounded channel of packets between steps: many producers, one consumer.
///
/// `send` suspends while the buffer is full (back-pressure) and returns false once the consumer
/// has closed the channel (it needs no more). `receive` returns nil when every producer has
/// finished and the buffer is drained. Both throw `CancellationError` when the task is cancelled
/// or a step on either side failed (`abort`), so a failure is never mistaken for a normal end.
public final class Channel: Sendable {
    private struct State {
        var buffer: [Packet] = []
        var head = 0
        var producers: Int
        var closed = false
        var aborted = false
        var receiver: (id: Int, continuation: CheckedContinuation<Packet?, any Error>)?
        var senders: [(id: Int, packet: Packet, continuation: CheckedContinuation<Bool, any Error>)] = []
        var nextID = 0

        var count: Int { buffer.count - head }

        /// Takes the oldest packet and lets the longest-waiting sender into the freed place. The
        /// caller resumes that sender (`admitted`) after releasing the lock: resuming a task
        /// takes the task's own lock, and a cancellation handler holding that one takes ours.
        mutating func pop() -> (packet: Packet, admitted: CheckedContinuation<Bool, any Error>?) {
            let packet = buffer[head]
            buffer[head] = .fileEnd  // drop the slot's reference: a popped batch must not stay alive
            head += 1
            if head > 64 && head * 2 > buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            guard !senders.isEmpty else { return (packet, nil) }
            let sender = senders.removeFirst()
            buffer.append(sender.packet)
            return (packet, sender.continuation)
        }
    }

    private let state: Mutex<State>
    public let capacity: Int

    public init(capacity: Int = 8, producers: Int = 1) {
        precondition(capacity >= 1, "a channel holds at least one packet")
        self.capacity = capacity
        state = Mutex(State(producers: producers))
    }

    /// Sends one packet; false when the consumer closed the channel.
    ///
    /// Continuations are resumed only outside the lock (see `State.pop`).
    public func send(_ packet: Packet) async throws -> Bool {
        try Task.checkCancellation()
        enum Outcome { case done(Bool), handOff(CheckedContinuation<Packet?, any Error>), wait(Int) }
        let outcome: Outcome = try state.withLock { state in
            if state.aborted { throw CancellationError() }
            if state.closed { return .done(false) }
            if let receiver = state.receiver {
                state.receiver = nil
                return .handOff(receiver.continuation)
            }
            if state.count < capacity {
                state.buffer.append(packet)
                return .done(true)
            }
            state.nextID += 1
            return .wait(state.nextID)
        }
        let id: Int
        switch outcome {
        case .done(let accepted): return accepted
        case .handOff(let receiver):
            receiver.resume(returning: packet)
            return true
        case .wait(let waiting): id = waiting
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                enum Registration { case resume(Bool), handOff(CheckedContinuation<Packet?, any Error>), cancelled, waiting }
                let registration: Registration = state.withLock { state in
                    if state.aborted { return .cancelled }
                    if state.closed { return .resume(false) }
                    // The consumer may have drained the buffer and started waiting since the
                    // first check; it must get this packet before any later one.
                    if let receiver = state.receiver {
                        state.receiver = nil
                        return .handOff(receiver.continuation)
                    }
                    if state.count < capacity {
                        state.buffer.append(packet)
                        return .resume(true)
                    }
                    // The cancellation flag is set before onCancel runs, so checking it under the
                    // lock closes the race with the handler.
                    if Task.isCancelled { return .cancelled }
                    state.senders.append((id, packet, continuation))
                    return .waiting
                }
                switch registration {
                case .resume(let accepted): continuation.resume(returning: accepted)
                case .handOff(let receiver):
                    receiver.resume(returning: packet)
                    continuation.resume(returning: true)
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Bool, any Error>? in
                guard let index = state.senders.firstIndex(where: { $0.id == id }) else { return nil }
                return state.senders.remove(at: index).continuation
            }
            waiting?.resume(throwing: CancellationError())
        }
    }

    /// The next packet, or nil when all producers have finished and nothing is left.
    public func receive() async throws -> Packet? {
        try Task.checkCancellation()
        enum Outcome { case packet(Packet?, admitted: CheckedContinuation<Bool, any Error>?), wait(Int) }
        let outcome: Outcome = try state.withLock { state in
            if state.aborted { throw CancellationError() }
            if state.count > 0 {
                let (packet, admitted) = state.pop()
                return .packet(packet, admitted: admitted)
            }
            if state.producers == 0 || state.closed { return .packet(nil, admitted: nil) }
            state.nextID += 1
            return .wait(state.nextID)
        }
        let id: Int
        switch outcome {
        case .packet(let packet, let admitted):
            admitted?.resume(returning: true)
            return packet
        case .wait(let waiting): id = waiting
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Packet?, any Error>) in
                enum Registration { case resume(Packet?, admitted: CheckedContinuation<Bool, any Error>?), cancelled, waiting }
                let registration: Registration = state.withLock { state in
                    if state.aborted { return .cancelled }
                    if state.count > 0 {
                        let (packet, admitted) = state.pop()
                        return .resume(packet, admitted: admitted)
                    }
                    if state.producers == 0 || state.closed { return .resume(nil, admitted: nil) }
                    if Task.isCancelled { return .cancelled }
                    state.receiver = (id, continuation)
                    return .waiting
                }
                switch registration {
                case .resume(let packet, let admitted):
                    admitted?.resume(returning: true)
                    continuation.resume(returning: packet)
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<Packet?, any Error>? in
                guard let receiver = state.receiver, receiver.id == id else { return nil }
                state.receiver = nil
                return receiver.continuation
            }
            waiting?.resume(throwing: CancellationError())
        }
    }

    /// One producer is done; after the last one the consumer sees the end once the buffer drains.
    public func finishProducer() {
        let receiver = state.withLock { state -> CheckedContinuation<Packet?, any Error>? in
            state.producers = max(0, state.producers - 1)
            guard state.producers == 0, state.count == 0, let receiver = state.receiver else { return nil }
            state.receiver = nil
            return receiver.continuation
        }
        receiver?.resume(returning: nil)
    }

    /// The consumer needs nothing more: drop what is buffered and release waiting producers.
    public func close() {
        let senders = state.withLock { state in
            state.closed = true
            state.buffer = []
            state.head = 0
            let waiting = state.senders
            state.senders = []
            return waiting
        }
        for sender in senders { sender.continuation.resume(returning: false) }
    }

    /// A step on either side failed: wake everyone waiting with `CancellationError`, and make
    /// every later `send` and `receive` throw it too.
    public func abort() {
        let (receiver, senders) = state.withLock { state in
            state.aborted = true
            state.buffer = []
            state.head = 0
            let waiting = (state.receiver, state.senders)
            state.receiver = nil
            state.senders = []
            return waiting
        }
        receiver?.continuation.resume(throwing: CancellationError())
        for sender in senders { sender.continuation.resume(throwing: CancellationError()) }
    }
}
