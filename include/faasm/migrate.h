/*
 * Faasm's migration point (libfaasm's <faasm/migrate.h>): __faasm_migrate_point(entry, arg) lets Faasm move
 * a running MPI function to another host, restarting it at `entry(arg)` there. A faasm.js function (no MPI)
 * is never migrated, so the call returns at once and the function goes on, as an unmigrated one does on
 * Faasm.
 */
#ifndef FAASMC_MIGRATE_H
#define FAASMC_MIGRATE_H

#include "faasm/host_interface.h"

typedef void (*FaasmMigrateEntryPoint)(int);

static inline void __faasm_migrate_point(FaasmMigrateEntryPoint entryPoint, int entryArg) {
  (void)entryPoint;
  (void)entryArg;
}

#endif /* FAASMC_MIGRATE_H */
