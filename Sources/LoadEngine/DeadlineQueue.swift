/// Items ordered by a due time, earliest first: a binary min-heap (O(log n) push and pop). Items
/// due at the same time come out in no particular order.
struct DeadlineQueue<Element> {
    private var items: [(dueNanos: UInt64, element: Element)] = []

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    /// The earliest due time, or nil when empty.
    var firstDueNanos: UInt64? { items.first?.dueNanos }

    mutating func push(_ element: Element, dueNanos: UInt64) {
        items.append((dueNanos, element))
        var index = items.count - 1
        while index > 0 {
            let parent = (index - 1) / 2
            guard items[parent].dueNanos > items[index].dueNanos else { break }
            items.swapAt(parent, index)
            index = parent
        }
    }

    /// Removes and returns the earliest item when it is due at or before `nowNanos`.
    mutating func popDue(atNanos nowNanos: UInt64) -> Element? {
        guard let first = items.first, first.dueNanos <= nowNanos else { return nil }
        let last = items.removeLast()
        guard !items.isEmpty else { return first.element }
        items[0] = last
        var index = 0
        while true {
            let left = 2 * index + 1
            guard left < items.count else { break }
            let right = left + 1
            let child = right < items.count && items[right].dueNanos < items[left].dueNanos ? right : left
            guard items[child].dueNanos < items[index].dueNanos else { break }
            items.swapAt(child, index)
            index = child
        }
        return first.element
    }

    mutating func removeAll() {
        items.removeAll()
    }
}
