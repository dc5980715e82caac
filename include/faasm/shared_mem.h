/*
 * Faasm's shared-memory markup (libfaasm's <faasm/shared_mem.h>): the reduction types and operations, and
 * the FAASM_REDUCE / FAASM_*CRITICAL_LOCAL / FAASM_ATOMIC_INCR macros written for OpenMP code.
 *
 * On Faasm the macros tell the host how to merge the memory of threads (__faasm_sm_reduce) and take a
 * host-local lock (__faasm_sm_critical_local). A faasm.js function runs on one thread, with nothing to merge
 * or exclude, so these are no-ops here instead of imports no faasm.js host provides; the operation inside
 * FAASM_CRITICAL_LOCAL / FAASM_ATOMIC_INCR runs as written.
 */
#ifndef FAASMC_SHARED_MEM_H
#define FAASMC_SHARED_MEM_H

#include "faasm/host_interface.h"

#define FAASM_TYPE_RAW 0
#define FAASM_TYPE_BOOL 1
#define FAASM_TYPE_INT 2
#define FAASM_TYPE_LONG 3
#define FAASM_TYPE_FLOAT 4
#define FAASM_TYPE_DOUBLE 5

#define FAASM_OP_OVERWRITE 0
#define FAASM_OP_SUM 1
#define FAASM_OP_PRODUCT 2
#define FAASM_OP_SUBTRACT 3
#define FAASM_OP_MAX 4
#define FAASM_OP_MIN 5

static inline void __faasm_sm_reduce(void* var, int type, int op, int currentBatch) {
  (void)var;
  (void)type;
  (void)op;
  (void)currentBatch;
}

static inline void __faasm_sm_critical_local(void) {}

static inline void __faasm_sm_critical_local_end(void) {}

#define FAASM_REDUCE(var, type, op) __faasm_sm_reduce((void*)&(var), type, op, 0);
#define FAASM_REDUCE_INNER(var, type, op) __faasm_sm_reduce((void*)&(var), type, op, 1);
#define FAASM_START_CRITICAL_LOCAL() __faasm_sm_critical_local();
#define FAASM_END_CRITICAL_LOCAL() __faasm_sm_critical_local_end();
#define FAASM_CRITICAL_LOCAL(op) \
  __faasm_sm_critical_local();   \
  { op; }                        \
  __faasm_sm_critical_local_end();
#define FAASM_ATOMIC_INCR(var)                                       \
  __faasm_sm_reduce((void*)&(var), FAASM_TYPE_INT, FAASM_OP_SUM, 1); \
  FAASM_CRITICAL_LOCAL(var++)
#define FAASM_ATOMIC_INCR_BY(var, value)                             \
  __faasm_sm_reduce((void*)&(var), FAASM_TYPE_INT, FAASM_OP_SUM, 1); \
  FAASM_CRITICAL_LOCAL(var += value)

#endif /* FAASMC_SHARED_MEM_H */
