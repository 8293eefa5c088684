import HeapModule

/// Items ordered by a due time, earliest first, over swift-collections' `Heap` (O(log n) push and
/// pop). Items due at the same time come out in the order they were pushed.
struct DeadlineQueue<Element> {
    /// An item with its due time and its place in the push order, which breaks ties.
    private struct Entry: Comparable {
        var dueNanos: UInt64
        var order: UInt64
        var element: Element

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.dueNanos, lhs.order) < (rhs.dueNanos, rhs.order)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.dueNanos == rhs.dueNanos && lhs.order == rhs.order
        }
    }

    private var heap = Heap<Entry>()
    private var pushed: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    /// The earliest due time, or nil when empty.
    var firstDueNanos: UInt64? { heap.min?.dueNanos }

    mutating func push(_ element: Element, dueNanos: UInt64) {
        heap.insert(Entry(dueNanos: dueNanos, order: pushed, element: element))
        pushed &+= 1
    }

    /// Removes and returns the earliest item when it is due at or before `nowNanos`.
    mutating func popDue(atNanos nowNanos: UInt64) -> Element? {
        guard let first = heap.min, first.dueNanos <= nowNanos else { return nil }
        return heap.removeMin().element
    }

    mutating func removeAll() {
        heap = Heap()
    }
}
