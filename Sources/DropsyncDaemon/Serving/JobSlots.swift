/// The daemon's job slots: at most `limit` jobs run at once, waiters served in order. Closing
/// the slots (at shutdown) turns every waiter away.
actor JobSlots {
    private var free: Int
    private var waiters: [CheckedContinuation<Bool, Never>] = []
    private var closed = false

    init(_ limit: Int) { free = limit }

    /// Waits for a slot; false when the slots were closed.
    func acquire() async -> Bool {
        if closed { return false }
        if free > 0 {
            free -= 1
            return true
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume(returning: true) }
    }

    func close() {
        closed = true
        for waiter in waiters { waiter.resume(returning: false) }
        waiters = []
    }
}
