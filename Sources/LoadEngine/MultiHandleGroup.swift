internal import CLibUV

/// The multi handles of one engine, and which one each new transfer joins.
///
/// libcurl 7.88 walks every connection of a multi handle when it looks for one to reuse and when
/// it removes a handle, so each attempt costs O(connections) (measured: ~360 µs of CPU per request
/// with 10,000 connections in one handle). The group keeps each multi handle at
/// `connectionsPerMulti` connections:
/// - without a connection limit, handles fill up in turn, each with `connectionsPerMulti`
///   transfers, and the next is made when the last is full;
/// - with a limit L, ⌈L / 1,024⌉ handles are made up front, splitting L between them exactly (each
///   enforces its part with CURLMOPT_MAX_TOTAL_CONNECTIONS), and transfers are dealt to them in turn.
/// A transfer stays with its multi handle for life, so it keeps reusing that handle's connections.
final class MultiHandleGroup {
    static let connectionsPerMulti = 1_024

    private let loop: UVLoop
    private let maxConnections: Int?
    private let multiplex: Bool
    private let onCompleted: ([(easy: UnsafeMutableRawPointer, result: CURLcode)]) -> Void
    private var multis: [CurlMulti] = []
    private var transfersAssigned = 0

    init(loop: UVLoop, maxConnections: Int?, multiplex: Bool,
         onCompleted: @escaping ([(easy: UnsafeMutableRawPointer, result: CURLcode)]) -> Void) {
        self.loop = loop
        self.maxConnections = maxConnections
        self.multiplex = multiplex
        self.onCompleted = onCompleted
    }

    /// The multi handle the next new transfer joins.
    func multiForNewTransfer() throws -> CurlMulti {
        defer { transfersAssigned += 1 }
        if let limit = maxConnections {
            if multis.isEmpty {
                let count = (limit + Self.connectionsPerMulti - 1) / Self.connectionsPerMulti
                for index in 0..<count {
                    try addMulti(maxConnections: limit / count + (index < limit % count ? 1 : 0), enforced: true)
                }
            }
            return multis[transfersAssigned % multis.count]
        }
        let index = transfersAssigned / Self.connectionsPerMulti
        if index == multis.count {
            try addMulti(maxConnections: Self.connectionsPerMulti, enforced: false)
        }
        return multis[index]
    }

    /// Cleans up every multi handle (their transfers must have been removed first).
    func close() {
        for multi in multis { multi.close() }
    }

    private func addMulti(maxConnections: Int, enforced: Bool) throws {
        let multi = try CurlMulti(loop: loop, maxConnections: maxConnections, enforceLimit: enforced, multiplex: multiplex)
        multi.onCompleted = onCompleted
        multis.append(multi)
    }
}
