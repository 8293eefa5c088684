import Foundation

/// Counts the mock's connections (accepted, open now, most open at once) across its event loops, so
/// tests can check a client's connection limit from the server's side.
final class MockConnectionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var accepted = 0
    private var open = 0
    private var peakOpen = 0

    func opened() {
        lock.lock()
        accepted += 1
        open += 1
        peakOpen = max(peakOpen, open)
        lock.unlock()
    }

    func closed() {
        lock.lock()
        open -= 1
        lock.unlock()
    }

    var counts: (accepted: Int, peakOpen: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (accepted, peakOpen)
    }
}
