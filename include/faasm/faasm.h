/* Faasm's umbrella header (libfaasm's <faasm/faasm.h>): the C API of <faasm/core.h>. */
#ifndef FAASM_FAASM_H
#define FAASM_FAASM_H

#include "faasm/core.h"

#endif /* FAASM_FAASM_H */
