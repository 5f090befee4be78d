// Fuzz target: any bytes as a ledger folder through runtime::LoadLedger and
// the rendering of its diagnostics. The first byte chooses the options
// (date format, skip_bad_rows); the rest is invoices.csv, and each line
// `#@file NAME` starts another file of the folder (payments.csv,
// disputes.csv...). Must never crash, hang or leak; aborts when the result
// contradicts itself (a ledger and errors, or neither).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "runtime/ledger_loader.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_ledger: invariant broken: %s\n", what);
  std::abort();
}

std::map<std::string, std::string> FolderFromInput(std::string_view input) {
  std::map<std::string, std::string> files;
  constexpr std::string_view kMarker = "\n#@file ";
  std::string name = "ledger/invoices.csv";
  while (true) {
    std::size_t at = input.find(kMarker);
    files[name] = std::string(input.substr(0, at));
    if (at == std::string_view::npos) break;
    input.remove_prefix(at + kMarker.size());
    std::size_t end = input.find('\n');
    name = "ledger/" + std::string(input.substr(0, std::min<std::size_t>(end, 32)));
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (end == std::string_view::npos) break;
  }
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  recoup::runtime::LedgerOptions options;
  options.date_format = static_cast<recoup::runtime::DateFormat>(data[0] % 3);
  options.skip_bad_rows = (data[0] & 4) != 0;
  options.max_diagnostics = (data[0] & 8) != 0 ? 3 : 100;
  std::map<std::string, std::string> files =
      FolderFromInput(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  auto read = [&](const std::string& path) {
    recoup::runtime::FileContents contents;
    auto found = files.find(path);
    if (found == files.end()) return contents;
    contents.status = recoup::runtime::FileContents::Status::Read;
    contents.bytes = found->second;
    return contents;
  };
  recoup::runtime::LedgerLoadResult result = recoup::runtime::LoadLedger("ledger", options, read);
  if (result.ok() && result.error_count != 0) Fail("a ledger despite errors");
  if (!result.ok() && result.error_count == 0) Fail("no ledger and no error");
  if (result.diagnostics.size() > options.max_diagnostics) Fail("more diagnostics than max_diagnostics");
  std::string rendered = recoup::runtime::RenderLedgerDiagnostics(result);
  (void)rendered;
  return 0;
}
