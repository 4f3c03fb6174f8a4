#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's `tanh`, named apart from the ``Activation/tanh`` case so that `switch`es read clearly.
@inline(__always)
func libmTanh(_ x: Double) -> Double { tanh(x) }

/// The C library's `pow`.
@inline(__always)
func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
