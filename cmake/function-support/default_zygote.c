/* Faasm runs `_faasm_zygote` once per instance, after the constructors and before the first call, and every
 * function exports it. A function that needs no set-up gets this weak no-op; FAASM_ZYGOTE() in
 * <faasm/core.h> (or any strong definition) replaces it at link time. */
__attribute__((weak)) int _faasm_zygote(void) { return 0; }
