internal import CLibUV
import LoadCore

/// libcurl and libuv versions.
public enum EngineVersions {
    public static var curl: String { String(cString: curl_version()) }
    public static var uv: String { String(cString: uv_version_string()) }
}
