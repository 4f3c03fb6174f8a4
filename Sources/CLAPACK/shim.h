#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
/* LAPACKE's complex types default to C99 `double _Complex`, which Swift does not import. Give them a plain
   struct of two reals instead (same layout, the mechanism lapack.h offers for this), so that routines such as
   LAPACKE_zggev are visible to Swift. */
typedef struct { float real, imag; } clapack_complex_float;
typedef struct { double real, imag; } clapack_complex_double;
#define lapack_complex_float clapack_complex_float
#define lapack_complex_double clapack_complex_double
#include <lapacke.h>
#endif
