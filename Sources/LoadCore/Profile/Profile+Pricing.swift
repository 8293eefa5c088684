extension Profile {
    /// `pricing:` — where model prices come from.
    ///
    ///     pricing:
    ///       catalog: my-prices.yaml     # replaces the built-in catalog (path relative to the profile)
    ///       models:                     # added on top; they win over catalog entries
    ///         - {provider: openai-compatible, model: llama-3-8b, input: 0.05, output: 0.08}
    public struct Pricing: Sendable, Equatable {
        /// The catalog file named by `pricing.catalog`, as resolved against the profile's folder.
        public var catalogPath: String?
        /// That file's contents, read when the profile was loaded.
        public var catalog: ModelCatalog?
        /// `pricing.models`.
        public var models: [ModelPrice] = []

        public init(catalogPath: String? = nil, catalog: ModelCatalog? = nil, models: [ModelPrice] = []) {
            self.catalogPath = catalogPath
            self.catalog = catalog
            self.models = models
        }
    }

    /// The prices this profile runs with: `replacement` (a `--models FILE`), else the profile's
    /// `pricing.catalog`, else the built-in catalog; with `pricing.models` on top.
    public func modelCatalog(replacing replacement: ModelCatalog? = nil) -> ModelCatalog {
        (replacement ?? pricing.catalog ?? .shipped).adding(pricing.models)
    }
}
