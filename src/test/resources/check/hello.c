/* Prints the platform it was compiled for (from the compiler's predefined macros) and exits 0. The unit tests of
   io.github.multiarch.check compile it with the Debian cross compilers, as executables, position-independent
   executables, shared libraries and objects, to read their headers and to run them in smoke runs. Compiled with
   -DSPIN, it never ends (for timeout tests). */
#include <stdio.h>

#if defined(__x86_64__)
#define PLATFORM "linux/amd64"
#elif defined(__aarch64__)
#define PLATFORM "linux/arm64"
#elif defined(__arm__)
#define PLATFORM "linux/arm/v7"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define PLATFORM "linux/ppc64le"
#elif defined(__s390x__)
#define PLATFORM "linux/s390x"
#else
#error "unknown target platform"
#endif

int main(void) {
#ifdef SPIN
  for (;;) {
  }
#endif
  puts("hello from " PLATFORM);
  return 0;
}
