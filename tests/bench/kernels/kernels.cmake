# The compute kernels of tests/bench/kernels, the one list both builds of them read: the wasm part of the tree
# (tests/bench/kernels/CMakeLists.txt) and their native baselines (tests/bench/native/CMakeLists.txt).
set(FAASMJS_BENCH_KERNELS matmul stencil sort hash)
