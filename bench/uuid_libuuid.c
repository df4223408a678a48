/* uuid_libuuid: the straightforward C way to print N random UUIDs, one a line, with libuuid
 * (util-linux, the library uuidgen uses): uuid_generate_random + uuid_unparse_lower + fwrite
 * per UUID, stdio buffering left at its default.
 *
 *   uuid_libuuid N > /dev/null
 *
 * Build: gcc -O2 -o uuid_libuuid uuid_libuuid.c -luuid
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <uuid/uuid.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: uuid_libuuid N\n");
    return 2;
  }
  char *end = NULL;
  errno = 0;
  unsigned long long n = strtoull(argv[1], &end, 10);
  if (errno != 0 || end == argv[1] || *end != '\0') {
    fprintf(stderr, "uuid_libuuid: not a count: %s\n", argv[1]);
    return 2;
  }
  uuid_t u;
  char line[UUID_STR_LEN + 1]; /* 36 characters, the NUL, then room for the newline */
  for (unsigned long long i = 0; i < n; ++i) {
    uuid_generate_random(u);
    uuid_unparse_lower(u, line);
    line[36] = '\n';
    if (fwrite(line, 1, 37, stdout) != 37) {
      perror("uuid_libuuid: write");
      return 1;
    }
  }
  if (fflush(stdout) != 0) {
    perror("uuid_libuuid: write");
    return 1;
  }
  return 0;
}
