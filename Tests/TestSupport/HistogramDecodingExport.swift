/// The tests that link TestSupport read histogram logs back too (`HdrV2Encoding.decode`).
@_exported import HistogramDecoding
