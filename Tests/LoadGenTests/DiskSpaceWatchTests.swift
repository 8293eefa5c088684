import XCTest

@testable import LoadGen

/// The reserve below which a run stops new requests, and the one stop it calls for.
final class DiskSpaceWatchTests: XCTestCase {
    private let gib: UInt64 = 1 << 30

    func testDefaultReserveIs64MiBOrFivePercentOfASmallFileSystem() throws {
        let watch = try DiskSpaceWatch(environment: [:])
        XCTAssertEqual(watch.reserve(totalBytes: 250 * gib), 64 << 20)
        XCTAssertEqual(watch.reserve(totalBytes: gib), gib / 20)
        XCTAssertEqual(watch.reserve(totalBytes: 64 << 10), (64 << 10) / 20)
    }

    func testStopsOnceWhenFreeSpaceFallsBelowTheReserve() throws {
        var watch = try DiskSpaceWatch(environment: [:])
        XCTAssertNil(watch.check(.init(freeBytes: 64 << 20, totalBytes: 10 * gib)), "exactly the reserve is enough")
        let reason = try XCTUnwrap(watch.check(.init(freeBytes: (64 << 20) - 1, totalBytes: 10 * gib)))
        XCTAssertEqual(reason, "the run directory's file system has 63 MiB free, below the reserve of 64 MiB "
            + "(LOADGEN_DISK_RESERVE_BYTES sets it)")
        XCTAssertNil(watch.check(.init(freeBytes: 0, totalBytes: 10 * gib)), "said once")
        XCTAssertEqual(watch.stopReason, reason)
    }

    func testConfiguredReserveAndZeroTurnsItOff() throws {
        var off = try DiskSpaceWatch(environment: [DiskSpaceWatch.reserveVariable: "0"])
        XCTAssertNil(off.check(.init(freeBytes: 0, totalBytes: gib)))
        var set = try DiskSpaceWatch(environment: [DiskSpaceWatch.reserveVariable: " 4096 "])
        XCTAssertNil(set.check(.init(freeBytes: 4096, totalBytes: gib)))
        XCTAssertNotNil(set.check(.init(freeBytes: 4095, totalBytes: gib)))
        XCTAssertThrowsError(try DiskSpaceWatch(environment: [DiskSpaceWatch.reserveVariable: "-1"]))
    }

    func testSpaceOfARealDirectory() throws {
        let space = try XCTUnwrap(DiskSpaceWatch.space(atPath: NSTemporaryDirectory()))
        XCTAssertGreaterThan(space.totalBytes, 0)
        XCTAssertLessThanOrEqual(space.freeBytes, space.totalBytes)
        XCTAssertNil(DiskSpaceWatch.space(atPath: "/nonexistent-\(UUID())"))
    }

    func testDescribe() {
        XCTAssertEqual(DiskSpaceWatch.describe(4096), "4 KiB")
        XCTAssertEqual(DiskSpaceWatch.describe(100), "100 bytes")
        XCTAssertEqual(DiskSpaceWatch.describe(3 * gib + gib / 10), "3.1 GiB")
    }
}
