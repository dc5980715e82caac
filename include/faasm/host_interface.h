/*
 * Faasm's raw host interface header, for sources that include <faasm/host_interface.h> directly.
 *
 * The declarations live once, in faasmjs/detail/host_abi.h (Faasm's names, parameter order and wasm
 * signatures); this header only makes them reachable under Faasm's path. Python, S3, MPI, OpenMP and
 * migration imports are not part of faasm.js.
 */
#ifndef FAASM_HOST_INTERFACE_H
#define FAASM_HOST_INTERFACE_H

#include "faasmjs/detail/host_abi.h"

#endif /* FAASM_HOST_INTERFACE_H */
