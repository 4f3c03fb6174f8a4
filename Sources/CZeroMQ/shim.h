#ifndef CZEROMQ_SHIM_H
#define CZEROMQ_SHIM_H
#include <zmq.h>

/* ZMQ_VERSION is a macro built from three others; expose it as a function. */
static inline int czeromq_header_version(void) { return ZMQ_VERSION; }
#endif
