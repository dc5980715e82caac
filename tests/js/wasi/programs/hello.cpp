// iostream and stdio on stdout and stderr, argv, and the environment Faasm sets.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  std::cout << "argc=" << argc << '\n';
  for (int i = 0; i < argc; ++i) std::cout << "argv[" << i << "]=" << argv[i] << '\n';
  for (const char* name : {"MKL_NUM_THREADS", "PYTHONHASHSEED", "PYTHONNOUSERSITE", "HOME"}) {
    const char* value = std::getenv(name);
    std::cout << name << '=' << (value ? value : "(unset)") << '\n';
  }
  std::printf("printf %d %.2f %s\n", 42, 3.14159, "mixed with iostream");
  std::cout << std::string(3, '*') << " unicode: h\u00e9llo \u20ac" << std::endl;
  std::cerr << "to stderr via cerr" << std::endl;
  std::fprintf(stderr, "to stderr via fprintf\n");
  std::cout << "no newline at the end";
  return 0;
}
