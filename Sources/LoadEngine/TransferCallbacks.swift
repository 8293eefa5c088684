internal import CLibUV
import Foundation

// libcurl's C callbacks into a ``Transfer``: each easy handle's user pointer is its transfer,
// unretained (the pool keeps every transfer alive while libcurl holds its handle).

/// Recovers the transfer from libcurl's opaque user pointer.
func transfer(from context: UnsafeMutableRawPointer?) -> Transfer {
    Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
}

/// Calls `body` with the transfer behind libcurl's opaque user pointer, without retaining it (the
/// pool keeps every transfer alive while libcurl holds its handle): no reference-count traffic per
/// callback, which touched a cold cache line per token with thousands of streams.
@inline(__always)
private func withTransfer<Result>(_ context: UnsafeMutableRawPointer?, _ body: (Transfer) -> Result) -> Result {
    Unmanaged<Transfer>.fromOpaque(context!)._withUnsafeGuaranteedRef(body)
}

let transferWriteCallback: CurlEasyOptions.Callback = { data, size, count, context in
    let length = size * count
    // Returning less than `length` makes libcurl abort the transfer.
    return withTransfer(context) { $0.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) } ? length : 0
}

/// Opens a socket as libcurl would, keeping the errno of a failure.
let transferOpenSocketCallback: CurlEasyOptions.OpenSocket = { context, _, address in
    guard let address else { return CURL_SOCKET_BAD }
    let fd = socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
    if fd < 0 { transfer(from: context).socketErrno = errno }
    return fd
}

let transferHeaderCallback: CurlEasyOptions.Callback = { data, size, count, context in
    let length = size * count
    withTransfer(context) { $0.receiveHeader(UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}
