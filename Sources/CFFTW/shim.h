#ifndef CFFTW_SHIM_H
#define CFFTW_SHIM_H
#include <fftw3.h>

/* fftw_version is declared as a char array of unknown size, which Swift does not import. */
static inline const char *cfftw_version(void) { return fftw_version; }
#endif
