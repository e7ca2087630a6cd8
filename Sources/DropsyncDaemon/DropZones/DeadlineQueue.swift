/// Names to look at again, each at its deadline: a binary min-heap, so ten thousand files waiting
/// for stability cost a logarithm per change, not a scan per wake-up.
struct DeadlineQueue {
    private var heap: [(deadline: ContinuousClock.Instant, name: String)] = []

    var earliest: ContinuousClock.Instant? { heap.first?.deadline }

    mutating func add(_ name: String, at deadline: ContinuousClock.Instant) {
        heap.append((deadline, name))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the entries whose deadline is not after `now`, earliest first.
    mutating func removeDue(at now: ContinuousClock.Instant) -> [(deadline: ContinuousClock.Instant, name: String)] {
        var due: [(deadline: ContinuousClock.Instant, name: String)] = []
        while let first = heap.first, first.deadline <= now {
            due.append(first)
            heap.swapAt(0, heap.count - 1)
            heap.removeLast()
            siftDown()
        }
        return due
    }

    mutating func removeAll() { heap.removeAll() }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
