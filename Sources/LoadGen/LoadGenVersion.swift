/// The version of loadgen, replaced by the release script from `git describe`.
enum LoadGenVersion {
    static let current = "0.1.0-dev"
}
