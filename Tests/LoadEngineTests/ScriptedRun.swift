import Foundation
import LoadCore
import LoadEngine
import TestSupport
import XCTest

extension XCTestCase {
    /// A template for the scripted server's chat URL (total timeout 5 s).
    func scriptedTemplate(_ server: ScriptedServer) -> RequestTemplate {
        var template = RequestTemplate(url: server.chatURL, headers: ["Content-Type: application/json"],
                                       bodies: [MockHarness.body()])
        template.totalTimeoutNanos = 5_000_000_000
        return template
    }

    /// Runs the engine to its end; returns every record in order of arrival, having checked that the
    /// loop closed and every completed attempt was recorded.
    func runEngine(_ template: RequestTemplate, _ plan: LoadPlan) throws -> [AttemptRecord] {
        let engine = try Engine(template: template, plan: plan)
        var records: [AttemptRecord] = []
        engine.onAttempt = { records.append($0) }
        let outcome = try engine.run()
        XCTAssertEqual(outcome.loopCloseStatus, 0)
        XCTAssertEqual(outcome.completed, records.count)
        return records
    }
}
