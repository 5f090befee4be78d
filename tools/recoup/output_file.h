// Writing a result file (--out, --report) so that a reader never sees half
// of it: written next to the target, then renamed over it.
#pragma once

#include <string>

namespace recoup::driver {

// False with `error` set ("cannot write X") when it could not be written.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string& error);

}  // namespace recoup::driver
