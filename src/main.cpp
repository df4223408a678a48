#include "run.hpp"

int main(int argc, char** argv) {
  return ipcat::run(argc, argv);
}
