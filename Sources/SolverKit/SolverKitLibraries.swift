import CFFTW
import CBLAS

/// Versions of the numerical libraries SolverKit links.
public enum SolverKitLibraries {
    /// FFTW's version string, e.g. "fftw-3.3.10-sse2-avx".
    public static var fftwVersion: String { String(cString: cfftw_version()) }
    /// OpenBLAS's configuration string (version, core, threading).
    public static var blasConfig: String {
        guard let c = openblas_get_config() else { return "unknown" }
        return String(cString: c)
    }
}
