/* A native Windows program (PE32+, x86-64) for the tests of io.github.multiarch.check: compiled with MinGW-w64
   (Debian package gcc-mingw-w64-x86-64) to put a real PE executable into Windows and Linux test images. */
#include <stdio.h>

int main(void) {
  puts("hello from windows/amd64");
  return 0;
}
