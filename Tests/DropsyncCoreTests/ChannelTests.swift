import DropsyncCore
import Synchronization
import Testing

@Suite("Channel")
struct ChannelTests {
    @Test("packets come out in the order they went in")
    func order() async throws {
        let channel = Channel(capacity: 4)
        for number in 0..<3 { #expect(try await channel.send(packet(number))) }
        channel.finishProducer()
        #expect(try await drain(channel) == [0, 1, 2])
    }

    @Test("a sender suspends while the channel is full and resumes after a receive")
    func backPressure() async throws {
        let channel = Channel(capacity: 2)
        let sent = Counter()
        let producer = Task {
            for number in 0..<4 {
                guard try await channel.send(packet(number)) else { return }
                sent.increment()
            }
            channel.finishProducer()
        }
        #expect(await eventually { sent.value == 2 })
        await yieldSeveralTimes()
        #expect(sent.value == 2, "the third send must wait for room")

        #expect(number(try await channel.receive()) == 0)
        #expect(await eventually { sent.value == 3 })
        await yieldSeveralTimes()
        #expect(sent.value == 3, "one receive makes room for one packet only")

        #expect(try await drain(channel) == [1, 2, 3])
        try await producer.value
        #expect(sent.value == 4)
    }

    @Test("a receive waits for a packet that is sent later")
    func receiveWaits() async throws {
        let channel = Channel(capacity: 1)
        let receiver = Task { number(try await channel.receive()) }
        #expect(try await channel.send(packet(7)))
        #expect(try await receiver.value == 7)
    }

    @Test("closing releases a waiting sender with false, and later sends are refused")
    func closeReleasesSenders() async throws {
        let channel = Channel(capacity: 1)
        #expect(try await channel.send(packet(0)))
        let blocked = Task { try await channel.send(packet(1)) }
        await yieldSeveralTimes()
        channel.close()
        #expect(try await blocked.value == false)
        #expect(try await channel.send(packet(2)) == false)
    }

    @Test("a closed channel receives nothing more")
    func closeDropsBuffered() async throws {
        let channel = Channel(capacity: 4)
        #expect(try await channel.send(packet(0)))
        channel.close()
        #expect(try await channel.receive() == nil)
    }

    @Test("the end comes only after every producer has finished")
    func severalProducers() async throws {
        let channel = Channel(capacity: 4, producers: 2)
        #expect(try await channel.send(packet(1)))
        channel.finishProducer()
        #expect(number(try await channel.receive()) == 1)

        let receiver = Task { number(try await channel.receive()) }
        #expect(try await channel.send(packet(2)))
        #expect(try await receiver.value == 2, "one producer is still running, so this is not the end")

        channel.finishProducer()
        #expect(try await channel.receive() == nil)
    }

    @Test("a waiting receiver sees the end when the last producer finishes")
    func finishWakesReceiver() async throws {
        let channel = Channel(capacity: 2, producers: 2)
        let receiver = Task { try await channel.receive() }
        channel.finishProducer()
        channel.finishProducer()
        #expect(try await receiver.value == nil)
    }

    @Test("cancelling a waiting sender throws CancellationError")
    func cancelSender() async throws {
        let channel = Channel(capacity: 1)
        #expect(try await channel.send(packet(0)))
        let blocked = Task { try await channel.send(packet(1)) }
        await yieldSeveralTimes()
        blocked.cancel()
        await #expect(throws: CancellationError.self) { try await blocked.value }
        #expect(number(try await channel.receive()) == 0, "the cancelled packet was not delivered")
        channel.finishProducer()
        #expect(try await channel.receive() == nil)
    }

    @Test("cancelling a waiting receiver throws CancellationError")
    func cancelReceiver() async throws {
        let channel = Channel(capacity: 1)
        let receiver = Task { try await channel.receive() }
        await yieldSeveralTimes()
        receiver.cancel()
        await #expect(throws: CancellationError.self) { try await receiver.value }
    }
}

// MARK: - Helpers

/// A one-record packet carrying `number`, so tests can follow packets through the channel.
private func packet(_ number: Int) -> Packet { .records([["n": .int(Int64(number))]]) }

private func number(_ packet: Packet?) -> Int? {
    guard case .records(let batch)? = packet, let value = batch.first?["n"]?.intValue else { return nil }
    return Int(value)
}

private func drain(_ channel: Channel) async throws -> [Int] {
    var numbers: [Int] = []
    while let packet = try await channel.receive() { numbers.append(number(packet) ?? -1) }
    return numbers
}

private final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1) }
    var value: Int { count.value }
}

/// Waits, yielding rather than sleeping, until `condition` holds or the deadline passes.
private func eventually(within seconds: Int = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        await Task.yield()
    }
    return true
}

/// Lets other tasks run for a while, so one that should stay suspended would have had the chance
/// to get on if it were not.
private func yieldSeveralTimes() async {
    for _ in 0..<200 { await Task.yield() }
}
