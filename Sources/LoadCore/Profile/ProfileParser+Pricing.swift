import Foundation
import Yams

/// `pricing:` in a profile, and models catalog files (`catalog/models.yaml` and its replacements),
/// which share the entry format `{provider, model, input, output, cached_input}`.
extension ProfileParser {
    /// `pricing: {catalog: FILE, models: [...]}`; the catalog file is read and checked now.
    mutating func parsePricing(_ node: Node) -> Profile.Pricing {
        var pricing = Profile.Pricing()
        guard let fields = mapping(node, "pricing", known: ["catalog", "models"]) else { return pricing }
        if let n = fields["catalog"] {
            if let relative = scalarText(n), !relative.isEmpty {
                let path = relative.hasPrefix("/")
                    ? relative
                    : PromptPath.absolute(PromptPath.resolve(relative, profileFile: file))
                pricing.catalogPath = path
                do {
                    pricing.catalog = try ModelCatalog.load(path: path)
                } catch let error as ProfileError {
                    if error.problems.count == 1, error.problems[0].line == 0 {
                        report(n, "pricing.catalog", "cannot read the models catalog \(path)")
                    } else {
                        problems += error.problems
                    }
                } catch {
                    report(n, "pricing.catalog", "\(error)")
                }
            } else {
                report(n, "pricing.catalog", "expected the path of a models catalog file, got \(describe(n))")
            }
        }
        if let n = fields["models"] { pricing.models = parsePriceList(n, "pricing.models") }
        return pricing
    }

    /// A whole catalog document: `as_of:` and `models:`.
    mutating func parseCatalog(yaml: String) -> ModelCatalog? {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                report(nil, "", "the models catalog is empty; it needs models: [{provider, model, input, output}]")
                return nil
            }
            root = node
        } catch {
            report(nil, "", "cannot parse the models catalog as YAML: \(error)")
            return nil
        }
        guard let fields = mapping(root, "", known: ["as_of", "models"]) else { return nil }
        var catalog = ModelCatalog(entries: [])
        if let n = fields["as_of"] { catalog.asOf = scalarText(n) }
        guard let models = fields["models"] else {
            report(root, "models", "missing required field; a list of {provider, model, input, output, cached_input}")
            return nil
        }
        catalog.entries = parsePriceList(models, "models")
        return catalog
    }

    /// A list of price entries.
    mutating func parsePriceList(_ node: Node, _ path: String) -> [ModelPrice] {
        let example = "[{provider: openai, model: gpt-4o, input: 2.50, output: 10.00, cached_input: 1.25}]"
        guard let list = sequence(node, path, expected: "a list of prices like \(example)") else { return [] }
        let providers = Profile.Provider.allCases.map(\.rawValue).joined(separator: " | ")
        var prices: [ModelPrice] = []
        var firstLines: [String: Int] = [:]
        for (i, entryNode) in list.enumerated() {
            let entryPath = "\(path)[\(i)]"
            guard let fields = mapping(entryNode, entryPath, known: ["provider", "model", "input", "output", "cached_input"])
            else { continue }
            var provider: String?
            if let n = fields["provider"] {
                if let text = scalarText(n), Profile.Provider(rawValue: text) != nil {
                    provider = text
                } else {
                    report(n, entryPath + ".provider", "expected \(providers), got \(describe(n))")
                }
            } else {
                report(entryNode, entryPath + ".provider", "missing required field; expected \(providers)")
            }
            var model: String?
            if let n = fields["model"] {
                if let text = scalarText(n), !text.isEmpty {
                    model = text
                } else {
                    report(n, entryPath + ".model", "expected a model name (or \"*\" for every model), got \(describe(n))")
                }
            } else {
                report(entryNode, entryPath + ".model", "missing required field; the model name as sent in requests")
            }
            let input = price(fields["input"], entryNode, entryPath + ".input", required: true)
            let output = price(fields["output"], entryNode, entryPath + ".output", required: true)
            let cached = price(fields["cached_input"], entryNode, entryPath + ".cached_input", required: false)
            if let provider, let model {
                let line = entryNode.mark?.line ?? 0
                if let first = firstLines["\(provider) \(model)"] {
                    report(fields["model"] ?? entryNode, entryPath + ".model", "a second entry for provider \(provider), "
                        + "model \(model) (the first is at line \(first)); keep one of them")
                    continue
                }
                firstLines["\(provider) \(model)"] = line
            }
            if let provider, let model, let input, let output {
                prices.append(ModelPrice(provider: provider, model: model, inputPerMillion: input,
                                         outputPerMillion: output, cachedInputPerMillion: cached))
            }
        }
        return prices
    }

    /// USD per million tokens: a number >= 0.
    mutating func price(_ node: Node?, _ entry: Node, _ path: String, required: Bool) -> Double? {
        guard let node else {
            if required { report(entry, path, "missing required field; US dollars per million tokens, e.g. 2.50") }
            return nil
        }
        guard let value = number(node), value >= 0 else {
            report(node, path, "expected US dollars per million tokens (a number >= 0, e.g. 2.50), got \(describe(node))")
            return nil
        }
        return value
    }
}
