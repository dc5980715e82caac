/*
 * Faasm's host-interface test numbers (libfaasm's <faasm/host_interface_test.h>), for
 * `__faasm_host_interface_test(testNum)` (faasmjs/detail/host_abi.h).
 *
 * The call never returns normally on Faasm: ExceptionPropagationTest throws a migration exception out of
 * the call (Faasm then records no result for it), and any other number, NoTest included, fails the call
 * ("Unrecognised host interface test!", return value 1). Every faasm.js host fails the call, naming the test.
 */
#ifndef FAASM_HOST_INTERFACE_TEST_H
#define FAASM_HOST_INTERFACE_TEST_H

#include "faasmjs/detail/host_abi.h"

enum HostInterfaceTest {
  NoTest = 0,
  ExceptionPropagationTest = 1,
};

#endif /* FAASM_HOST_INTERFACE_TEST_H */
