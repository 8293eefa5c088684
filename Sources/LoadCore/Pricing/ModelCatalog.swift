import Foundation

/// Model prices by provider and model: the shipped catalog (`catalog/models.yaml`), a catalog
/// file given instead, and a profile's own `pricing.models` on top.
///
/// A model is found by, in order: its exact name; its name without a version suffix
/// (`-2024-08-06`, `-20250514`, `-latest`), so `gpt-4o-2024-08-06` is priced as `gpt-4o`; the
/// provider's `*` entry.
public struct ModelCatalog: Sendable, Equatable {
    /// When the prices were current, as the catalog says (`as_of:`).
    public var asOf: String?
    /// The entries, later ones winning over earlier ones with the same provider and model.
    public var entries: [ModelPrice]

    public init(asOf: String? = nil, entries: [ModelPrice]) {
        self.asOf = asOf
        self.entries = entries
    }

    /// The catalog built into the binary: `catalog/models.yaml` of the source tree.
    public static let shipped: ModelCatalog = {
        do {
            return try parse(yaml: ShippedModelCatalog.yaml, file: "catalog/models.yaml (built in)")
        } catch {
            // A test parses the same text, so a bad shipped catalog never reaches a release.
            preconditionFailure("the built-in models catalog does not parse: \(error)")
        }
    }()

    /// Reads a catalog file.
    /// - Throws: ``ProfileError`` naming the file, line and field of every problem.
    public static func load(path: String) throws -> ModelCatalog {
        let text: String
        do {
            text = try ProfileFile.read(path, what: "the models catalog")
        } catch let error as ProfileFile.ReadError {
            throw ProfileError(problems: [ProfileProblem(file: path, line: 0, column: 0, fieldPath: "",
                                                         message: error.description)])
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses catalog text: `as_of:` and `models:`, a list of
    /// `{provider, model, input, output, cached_input}` (USD per million tokens).
    /// - Throws: ``ProfileError`` naming `file`, line and field of every problem.
    public static func parse(yaml: String, file: String) throws -> ModelCatalog {
        var parser = ProfileParser(file: file)
        let catalog = parser.parseCatalog(yaml: yaml)
        guard parser.problems.isEmpty, let catalog else { throw ProfileError(problems: parser.problems) }
        return catalog
    }

    /// This catalog with `overrides` added; they win over entries for the same provider and model.
    public func adding(_ overrides: [ModelPrice]) -> ModelCatalog {
        ModelCatalog(asOf: asOf, entries: entries + overrides)
    }

    /// The price of `model` at `provider`, or nil when the catalog has none.
    public func price(provider: String, model: String) -> ModelPrice? {
        let candidates = [model, Self.withoutVersionSuffix(model), "*"]
        for name in candidates {
            if let entry = entries.last(where: { $0.provider == provider && $0.model == name }) {
                return entry
            }
        }
        return nil
    }

    /// `model` without a trailing `-YYYY-MM-DD`, `-YYYYMMDD` or `-latest`.
    static func withoutVersionSuffix(_ model: String) -> String {
        if model.hasSuffix("-latest") { return String(model.dropLast("-latest".count)) }
        let characters = Array(model)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { characters[$0].isASCII && characters[$0].isNumber } }
        let n = characters.count
        // -YYYY-MM-DD
        if n > 11, characters[n - 11] == "-", characters[n - 6] == "-", characters[n - 3] == "-",
           digits(n - 10..<n - 6), digits(n - 5..<n - 3), digits(n - 2..<n) {
            return String(characters[..<(n - 11)])
        }
        // -YYYYMMDD
        if n > 9, characters[n - 9] == "-", digits(n - 8..<n) {
            return String(characters[..<(n - 9)])
        }
        return model
    }
}
