// The `recoup` executable: wires the real file system and streams into the
// driver library, which does all the work.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "compiler/jit/object_cache.h"
#include "tools/recoup/driver.h"

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  recoup::language::RealFileSystem files;
  const char* stdlib = std::getenv("RECOUP_STDLIB");
  recoup::driver::Environment environment{files, std::cout, std::cerr,
                                          stdlib ? stdlib : RECOUP_DEFAULT_STDLIB};
  environment.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
  environment.cache_directory =
      recoup::compiler::jit::DefaultCacheDirectory(std::getenv("XDG_CACHE_HOME"), std::getenv("HOME"));
  int status = recoup::driver::Run(arguments, environment);
  std::cout.flush();
  return status;
}
