import NIOCore
import XCTest

@testable import MockProvider

/// The token schedule of a streamed completion.
final class TokenScheduleTests: XCTestCase {
    /// The first token is due at the absolute TTFT deadline; each later one a full delay after the
    /// previous write, so a late wake-up stretches the stream instead of bunching tokens.
    func testTokensAreSpacedFromThePreviousWrite() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000)
        let plan = CompletionPlan(
            requestNumber: 1, createdSeconds: 0, modelLiteral: [], promptTokens: 1, completionTokens: 3,
            finishReason: .stop, includeUsage: false, firstTokenDeadline: start, interTokenDelayNanos: 10,
            keepAlive: true)
        var stream = StreamingCompletion(plan: plan)
        var buffer = ByteBufferAllocator().buffer(capacity: 1024)
        XCTAssertEqual(stream.nextDeadline, start)
        XCTAssertFalse(stream.writeDue(at: start - .nanoseconds(1), into: &buffer), "nothing before the TTFT")
        XCTAssertTrue(stream.writeDue(at: start, into: &buffer))
        XCTAssertEqual(stream.tokensSent, 1)
        XCTAssertEqual(stream.nextDeadline, start + .nanoseconds(10))
        // A wake-up 25 ns late writes one token, and the next is due a full delay after it.
        XCTAssertTrue(stream.writeDue(at: start + .nanoseconds(35), into: &buffer))
        XCTAssertEqual(stream.tokensSent, 2)
        XCTAssertEqual(stream.nextDeadline, start + .nanoseconds(45))
        XCTAssertFalse(stream.writeDue(at: start + .nanoseconds(44), into: &buffer))
        XCTAssertTrue(stream.writeDue(at: start + .nanoseconds(45), into: &buffer))
        XCTAssertTrue(stream.isFinished)
        XCTAssertNil(stream.nextDeadline)
        XCTAssertEqual(plan.tokenDeadline(2), start + .nanoseconds(20), "the non-streamed body waits TTFT + 2 delays")
    }
}
