// noop: does nothing and returns 0: the unit of the gateway's latency and throughput benchmarks, so that
// they measure the call machinery, not the function.
int main() { return 0; }
