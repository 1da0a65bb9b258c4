/* No C library: links with -nostdlib, so it builds for any float ABI (the tests make a soft-float ARM file). */
int twice(int x) {
  return x * 2;
}

void _start(void) {
  for (;;) {
  }
}
