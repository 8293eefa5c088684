internal import CLibUV

/// Delivers SIGINT and SIGTERM to the loop as ordinary callbacks (libuv's signal handles), so that an
/// interrupted run can stop cleanly instead of dying mid-write.
final class SignalWatcher {
    private var handles: [UnsafeMutablePointer<uv_signal_t>] = []
    private let action: (Int32) -> Void

    init(loop: UVLoop, signals: [Int32], action: @escaping (Int32) -> Void) {
        self.action = action
        for signal in signals {
            let handle = UnsafeMutablePointer<uv_signal_t>.allocate(capacity: 1)
            uv_signal_init(loop.raw, handle)
            handle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
            uv_signal_start(handle, signalReceived, signal)
            handles.append(handle)
        }
    }

    func close() {
        for handle in handles {
            uv_signal_stop(handle)
            closeAndFree(handle)
        }
        handles.removeAll()
    }

    fileprivate func receive(_ signal: Int32) {
        action(signal)
    }
}

private let signalReceived: @convention(c) (UnsafeMutablePointer<uv_signal_t>?, Int32) -> Void = { handle, signal in
    guard let context = handle?.pointee.data else { return }
    Unmanaged<SignalWatcher>.fromOpaque(context).takeUnretainedValue().receive(signal)
}
