/* splice_limit: the raw zero-copy ceiling for one stream socket, with nothing else in the way.
 *
 *   splice_limit listen PATH              accept one Unix stream connection on PATH, splice
 *                                         socket -> private 1 MiB pipe -> /dev/null
 *   splice_limit send PATH FILE           connect to PATH, sendfile() FILE into the socket
 *   splice_limit tcp-listen HOST PORT     the same listener over TCP (PORT 0: any free port)
 *   splice_limit tcp-send HOST PORT FILE  the same sender over TCP
 *
 * Both sides print "splice_limit: <listening|received|sent> ..." on stderr; the listener prints
 * the byte count it moved so a benchmark can check that everything arrived. No event loop, no
 * options, blocking descriptors: what a relay could reach at best on this machine.
 * Build: gcc -O2 -o splice_limit splice_limit.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static void die(const char *what) {
  fprintf(stderr, "splice_limit: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void usage(void) {
  fprintf(stderr, "usage: splice_limit listen PATH | send PATH FILE |"
                  " tcp-listen HOST PORT | tcp-send HOST PORT FILE\n");
  exit(2);
}

static socklen_t unix_addr(const char *path, struct sockaddr_un *sa) {
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof sa->sun_path) {
    fprintf(stderr, "splice_limit: path too long: %s\n", path);
    exit(2);
  }
  strcpy(sa->sun_path, path);
  return (socklen_t)sizeof *sa;
}

static struct addrinfo *tcp_addr(const char *host, const char *port, int passive) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) {
    fprintf(stderr, "splice_limit: %s:%s: %s\n", host, port, gai_strerror(rc));
    exit(1);
  }
  return res;
}

/* Accept one connection on lfd and splice everything it sends into /dev/null. */
static int receive(int lfd) {
  int conn = accept(lfd, NULL, NULL);
  if (conn < 0) die("accept");
  close(lfd);
  int p[2];
  if (pipe(p) != 0) die("pipe");
  int cap = fcntl(p[1], F_SETPIPE_SZ, CHUNK);
  if (cap < 0) cap = 65536;
  int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (out < 0) die("open /dev/null");
  unsigned long long total = 0;
  for (;;) {
    ssize_t n = splice(conn, NULL, p[1], NULL, (size_t)cap, SPLICE_F_MOVE);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("splice socket->pipe");
    }
    if (n == 0) break;
    total += (unsigned long long)n;
    while (n > 0) {
      ssize_t m = splice(p[0], NULL, out, NULL, (size_t)n, SPLICE_F_MOVE);
      if (m < 0) {
        if (errno == EINTR) continue;
        die("splice pipe->/dev/null");
      }
      n -= m;
    }
  }
  close(conn);
  fprintf(stderr, "splice_limit: received %llu bytes\n", total);
  return 0;
}

/* sendfile() the whole of FILE into the connected socket fd. */
static int send_file(int fd, const char *file) {
  int in = open(file, O_RDONLY | O_CLOEXEC);
  if (in < 0) die(file);
  struct stat st;
  if (fstat(in, &st) != 0) die("fstat");
  unsigned long long total = 0;
  off_t left = st.st_size;
  while (left > 0) {
    size_t want = left > (1 << 30) ? (size_t)1 << 30 : (size_t)left;
    ssize_t n = sendfile(fd, in, NULL, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("sendfile");
    }
    if (n == 0) break;
    left -= n;
    total += (unsigned long long)n;
  }
  shutdown(fd, SHUT_WR);
  close(fd);
  close(in);
  fprintf(stderr, "splice_limit: sent %llu bytes\n", total);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) usage();
  const char *mode = argv[1];
  if (strcmp(mode, "listen") == 0 && argc == 3) {
    struct sockaddr_un sa;
    socklen_t len = unix_addr(argv[2], &sa);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (bind(fd, (struct sockaddr *)&sa, len) != 0) die("bind");
    if (listen(fd, 1) != 0) die("listen");
    fprintf(stderr, "splice_limit: listening on unix:%s\n", argv[2]);
    int rc = receive(fd);
    unlink(argv[2]);
    return rc;
  }
  if (strcmp(mode, "send") == 0 && argc == 4) {
    struct sockaddr_un sa;
    socklen_t len = unix_addr(argv[2], &sa);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (struct sockaddr *)&sa, len) != 0) die("connect");
    return send_file(fd, argv[3]);
  }
  if (strcmp(mode, "tcp-listen") == 0 && argc == 4) {
    struct addrinfo *ai = tcp_addr(argv[2], argv[3], 1);
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) die("bind");
    if (listen(fd, 1) != 0) die("listen");
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char host[NI_MAXHOST] = "?", port[NI_MAXSERV] = "?";
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
      getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, port, sizeof port,
                  NI_NUMERICHOST | NI_NUMERICSERV);
    fprintf(stderr, "splice_limit: listening on tcp:%s:%s\n", host, port);
    freeaddrinfo(ai);
    return receive(fd);
  }
  if (strcmp(mode, "tcp-send") == 0 && argc == 5) {
    struct addrinfo *ai = tcp_addr(argv[2], argv[3], 0);
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) die("connect");
    freeaddrinfo(ai);
    return send_file(fd, argv[4]);
  }
  usage();
  return 2;
}
