/* A tiny native program, cross-compiled for every platform of the image by the POM (exec-maven-plugin
   running the Debian cross compilers). It prints the platform it was compiled for, decided at compile time,
   so running the image shows which binary a node pulled. */
#include <stdio.h>

#if defined(__x86_64__)
#define PLATFORM "linux/amd64"
#elif defined(__aarch64__)
#define PLATFORM "linux/arm64"
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
#define PLATFORM "linux/arm/v7"
#else
#error "add a PLATFORM for this target"
#endif

int main(void) {
  puts("hello from " PLATFORM);
  return 0;
}
