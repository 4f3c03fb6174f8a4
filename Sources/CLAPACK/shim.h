#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
#include <lapacke.h>
#endif
