/* One program for Linux and Windows: compiled by gcc for Linux (ELF) and by MinGW-w64 for Windows (PE). */
#include <stdio.h>

#if defined(_WIN32)
#define OS "windows"
#else
#define OS "linux"
#endif

#if defined(__x86_64__)
#define ARCH "amd64"
#elif defined(__aarch64__)
#define ARCH "arm64"
#else
#error "unknown target architecture"
#endif

int main(void) {
  puts("hello from " OS "/" ARCH);
  return 0;
}
