#include <faasmjs/detail/host_abi.h>

#include <cstring>

int main() {
    const char greeting[] = "Hello from an installed faasm.js";
    __faasm_write_output(greeting, static_cast<long>(std::strlen(greeting)));
    return 0;
}
