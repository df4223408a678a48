# ipcat in a container: the build stage builds ipcat and runs its interop tests; the
# runtime stage holds only the binary and its runtime libraries, and runs as a non-root user.
#   docker build -t ipcat .            (or ../shared/tools/podman-local build --pull=never -t ipcat .)
#   docker run --rm ipcat --version

FROM debian:bookworm-slim AS build
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      g++ cmake ninja-build pkgconf libasio-dev libcli11-dev uuid-dev libssl-dev catch2 uuid-runtime \
      socat netcat-openbsd ncat util-linux procps iproute2 python3 netbase \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Only the binary is built (the unit tests are compiled and run, with the rest of the suite, by
# scripts/test); the interop scenarios (socat, nc.openbsd, ncat, all in this stage) run here
# against the binary as the image builds it.
RUN rm -rf build* \
 && cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null \
 && cmake --build build -j "$(nproc)" --target ipcat \
 && cd build && ctest --output-on-failure -j "$(nproc)" -R '^interop[.]' \
 && DESTDIR=/out cmake --install . --prefix /usr

FROM debian:bookworm-slim
# OpenSSL for the TLS layer (libuuid is in the base image already).
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libssl3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/usr/bin/ipcat /usr/bin/ipcat
COPY --from=build /out/usr/share/man/man1/ipcat.1 /usr/share/man/man1/ipcat.1
RUN useradd --system --uid 10001 --create-home --home-dir /home/ipcat ipcat \
 && mkdir -p /run/ipcat && chown ipcat:ipcat /run/ipcat
USER ipcat
WORKDIR /home/ipcat
ENTRYPOINT ["ipcat"]
CMD ["--help"]
