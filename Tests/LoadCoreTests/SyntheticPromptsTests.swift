import XCTest

@testable import LoadCore

/// Synthetic prompts: lengths follow the requested normal distribution, text is seed-determined.
final class SyntheticPromptsTests: XCTestCase {
    private func words(_ prompt: Prompt) -> Int { prompt.messages[0].content.split(separator: " ").count }

    func testLengthsFollowMeanAndStandardDeviation() {
        // 4,000 draws: the standard error of the mean is 128/√4000 = 2 tokens and of the standard
        // deviation about 1.4, so ±1.5 % of the mean and ±5 % of the deviation are over 3.5 errors.
        let spec = SyntheticPromptSpec(count: 4_000, meanInputTokens: 512, stddevInputTokens: 128, maxTokens: 64)
        let lengths = SyntheticPrompts.make(spec, seed: 1).map(words).map(Double.init)
        let mean = lengths.reduce(0, +) / Double(lengths.count)
        let deviation = (lengths.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(lengths.count - 1)).squareRoot()
        XCTAssertEqual(mean, 512, accuracy: 512 * 0.015)
        XCTAssertEqual(deviation, 128, accuracy: 128 * 0.05)
    }

    func testLengthsAreClampedToOneToken() {
        let spec = SyntheticPromptSpec(count: 1_000, meanInputTokens: 2, stddevInputTokens: 10)
        let lengths = SyntheticPrompts.make(spec, seed: 3).map(words)
        XCTAssertEqual(lengths.min(), 1)
        XCTAssertGreaterThan(lengths.filter { $0 == 1 }.count, 300, "about 46 % of N(2, 10) is below 1.5")
    }

    func testFixedLengthWhenStddevIsZero() {
        let prompts = SyntheticPrompts.make(SyntheticPromptSpec(count: 50, meanInputTokens: 33), seed: 1)
        XCTAssertEqual(Set(prompts.map(words)), [33])
        XCTAssertEqual(Set(prompts.map { $0.messages[0].content }).count, 50, "every prompt differs")
    }

    func testSameSeedSamePromptsAndNamesKeySeparateStreams() {
        let spec = SyntheticPromptSpec(count: 20, meanInputTokens: 50, stddevInputTokens: 10, maxTokens: 8)
        XCTAssertEqual(SyntheticPrompts.make(spec, seed: 11), SyntheticPrompts.make(spec, seed: 11))
        XCTAssertNotEqual(SyntheticPrompts.make(spec, seed: 11), SyntheticPrompts.make(spec, seed: 12))
        var renamed = spec
        renamed.name = "other"
        XCTAssertNotEqual(SyntheticPrompts.make(spec, seed: 11), SyntheticPrompts.make(renamed, seed: 11))
        XCTAssertTrue(SyntheticPrompts.make(spec, seed: 11).allSatisfy { $0.maxTokens == 8 && $0.messages[0].role == .user })
    }

    func testVocabularyIsAboutFourCharactersAToken() {
        let vocabulary = SyntheticPrompts.vocabulary
        XCTAssertEqual(vocabulary.count, 256, "one byte picks a word")
        XCTAssertEqual(Set(vocabulary).count, 256)
        XCTAssertTrue(vocabulary.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isLetter) })
        // The rule-of-thumb estimate (characters / 4) lands within 5 % of the word count.
        let prompts = SyntheticPrompts.make(SyntheticPromptSpec(count: 200, meanInputTokens: 400, stddevInputTokens: 50), seed: 2)
        let wordCount = prompts.map(words).reduce(0, +)
        let estimate = prompts.map { TokenEstimate.tokens(characters: $0.inputCharacters) }.reduce(0, +)
        XCTAssertEqual(Double(estimate) / Double(wordCount), 1, accuracy: 0.05)
    }
}
