/* Prints the platform it was compiled for, decided at compile time from the compiler's predefined macros:
   running it proves which binary an image holds and that the binary runs on (or under emulation of) that
   platform. Built with -static so that it needs nothing else in the image (for Windows: a PE executable made by
   MinGW-w64, which a Windows container runs; it cannot be run here). */
#include <stdio.h>

#if defined(_WIN32) && defined(__x86_64__)
#define PLATFORM "windows/amd64"
#elif defined(__x86_64__)
#define PLATFORM "linux/amd64"
#elif defined(__aarch64__)
#define PLATFORM "linux/arm64"
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
#define PLATFORM "linux/arm/v7"
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH == 6
#define PLATFORM "linux/arm/v6"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define PLATFORM "linux/ppc64le"
#elif defined(__s390x__)
#define PLATFORM "linux/s390x"
#else
#error "unknown target platform"
#endif

int main(void) {
  puts("hello from " PLATFORM);
  return 0;
}
