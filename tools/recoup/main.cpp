// The `recoup` executable: wires the real file system and streams into the
// driver library, which does all the work.
#include <unistd.h>

#include <iostream>
#include <string>
#include <vector>

#include "tools/recoup/driver.h"

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  recoup::language::RealFileSystem files;
  const char* stdlib = std::getenv("RECOUP_STDLIB");
  recoup::driver::Environment environment{files, std::cout, std::cerr,
                                          stdlib ? stdlib : RECOUP_DEFAULT_STDLIB};
  environment.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
  int status = recoup::driver::Run(arguments, environment);
  std::cout.flush();
  return status;
}
