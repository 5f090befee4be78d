// Progress on standard error: a bar on a terminal, a plain line every
// interval elsewhere (none for a short run), nothing with --quiet; and never
// a byte of difference on standard output. The clock is injected, so "a long
// run" takes no time here.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "language/file_system.h"
#include "tools/recoup/driver.h"
#include "tools/recoup/progress.h"

namespace recoup::driver {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A clock that moves `step` forward each time it is read.
ProgressSettings::Clock SteppingClock(milliseconds step) {
  auto now = std::make_shared<std::chrono::steady_clock::time_point>();
  return [now, step] {
    *now += step;
    return *now;
  };
}

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

TEST_CASE("progress: plain lines only once the run is longer than one interval", "[progress]") {
  ProgressSettings settings;
  settings.style = ProgressStyle::Lines;
  settings.line_interval = seconds(5);
  settings.clock = SteppingClock(seconds(1));
  std::ostringstream err;
  {
    Progress progress(err, settings);
    progress.Start("replaying a.recoup", 1000, "subjects");
    for (int done = 100; done <= 300; done += 100) progress.Update(done);  // 3 seconds
    progress.Finish();
  }
  CHECK(err.str().empty());

  settings.clock = SteppingClock(seconds(2));
  std::ostringstream long_err;
  {
    Progress progress(long_err, settings);
    progress.Start("replaying a.recoup", 1000, "subjects");
    for (int done = 100; done <= 1000; done += 100) progress.Update(done);  // 20 seconds
  }  // the destructor finishes
  std::string text = long_err.str();
  INFO(text);
  CHECK(text.find('\r') == std::string::npos);
  CHECK(Count(text, "\n") == 4);  // at 6, 12 and 18 seconds, and the last line
  CHECK(text.rfind("recoup: replaying a.recoup: 300 of 1,000 subjects (30%), 50 subjects/s, about 0:14 left\n", 0) == 0);
  CHECK(text.find("recoup: replaying a.recoup: done, 1,000 subjects in 0:22\n") != std::string::npos);
}

TEST_CASE("progress: a bar redrawn in place on a terminal, cleared at the end", "[progress]") {
  ProgressSettings settings;
  settings.style = ProgressStyle::Bar;
  settings.clock = SteppingClock(milliseconds(250));
  std::ostringstream err;
  Progress progress(err, settings);
  progress.Start("replaying a.recoup", 200, "subjects");
  progress.Update(50);
  progress.Update(100);
  progress.Finish();
  std::string text = err.str();
  CHECK(text.find('\n') == std::string::npos);
  CHECK(text.find("\r\x1b[Kreplaying a.recoup [######------------------] 50 of 200 subjects (25%)") != std::string::npos);
  CHECK(text.find("[############------------] 100 of 200 subjects (50%)") != std::string::npos);
  CHECK(text.find("left") != std::string::npos);
  CHECK(text.size() >= 4);
  CHECK(text.substr(text.size() - 4) == "\r\x1b[K");
}

TEST_CASE("progress: nothing at all with --quiet", "[progress]") {
  CHECK(ChooseProgressStyle(true, true) == ProgressStyle::None);
  CHECK(ChooseProgressStyle(true, false) == ProgressStyle::None);
  CHECK(ChooseProgressStyle(false, true) == ProgressStyle::Bar);
  CHECK(ChooseProgressStyle(false, false) == ProgressStyle::Lines);
  ProgressSettings settings;
  settings.clock = SteppingClock(seconds(60));
  std::ostringstream err;
  Progress progress(err, settings);
  progress.Start("replaying", 10, "subjects");
  for (int done = 0; done <= 10; ++done) progress.Update(done);
  progress.Finish();
  CHECK(err.str().empty());
  CHECK(Progress::Clock(3725) == "1:02:05");
  CHECK(Progress::Clock(64) == "1:04");
}

struct Finished {
  int status = 0;
  std::string out, err;
};

Finished Recoup(const std::vector<std::string>& arguments, bool terminal, ProgressSettings::Clock clock,
                milliseconds interval = seconds(5)) {
  language::RealFileSystem files;
  std::ostringstream out, err;
  Environment environment{files, out, err, std::string(RECOUP_SOURCE_DIR) + "/stdlib"};
  environment.err_is_terminal = terminal;
  environment.progress.clock = std::move(clock);
  environment.progress.line_interval = interval;
  Finished run;
  run.status = driver::Run(arguments, environment);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST_CASE("progress: compare prints progress on standard error only, standard output is the same bytes",
          "[progress][simulate]") {
  std::vector<std::string> arguments{"compare",  "examples/email-letter-call.recoup", "examples/final-notice-agency.recoup",
                                     "--ledger", "examples/ledgers/small",            "--threads",
                                     "1",        "--format",                          "json"};
  // A real clock and a run shorter than the interval: not a line.
  Finished fast = Recoup(arguments, false, {}, std::chrono::minutes(10));
  // Every block of subjects "takes" 2 seconds: a line each 5 seconds.
  Finished slow = Recoup(arguments, false, SteppingClock(seconds(2)));
  Finished bar = Recoup(arguments, true, SteppingClock(seconds(2)));
  std::vector<std::string> quiet_arguments = arguments;
  quiet_arguments.push_back("--quiet");
  Finished quiet = Recoup(quiet_arguments, true, SteppingClock(seconds(2)));
  REQUIRE(fast.status == 0);
  REQUIRE(slow.status == 0);
  REQUIRE(bar.status == 0);
  REQUIRE(quiet.status == 0);
  CHECK(fast.err.empty());
  CHECK(quiet.err.empty());
  CHECK(Count(slow.err, "recoup: replaying examples/email-letter-call.recoup (1 of 2): ") > 3);
  CHECK(Count(slow.err, "recoup: replaying examples/final-notice-agency.recoup (2 of 2): done, ") == 1);
  // On a terminal a long task name keeps its end, so the bar fits on one line.
  CHECK(Count(bar.err, "\r\x1b[K...") > 3);
  CHECK(Count(bar.err, "-agency.recoup (2 of 2) [") > 3);
  CHECK(slow.out == fast.out);
  CHECK(bar.out == fast.out);
  CHECK(quiet.out == fast.out);
  CHECK(fast.out.rfind("{\n  \"ledger\"", 0) == 0);
}

TEST_CASE("progress: gen-ledger reports the invoices it draws, and --quiet silences it", "[progress][gen-ledger]") {
  std::string out = (std::filesystem::temp_directory_path() / fmt::format("recoup-progress-test-{}", ::getpid())).string();
  std::vector<std::string> arguments{"gen-ledger", "--out", out, "--customers", "1500", "--months", "12", "--seed", "7"};
  Finished lines = Recoup(arguments, false, SteppingClock(seconds(3)));
  std::filesystem::remove_all(out);
  arguments.push_back("--quiet");
  Finished quiet = Recoup(arguments, false, SteppingClock(seconds(3)));
  std::filesystem::remove_all(out);
  REQUIRE(lines.status == 0);
  REQUIRE(quiet.status == 0);
  INFO(lines.err);
  CHECK(Count(lines.err, fmt::format("recoup: generating {}: ", out)) >= 2);
  CHECK(Count(lines.err, fmt::format("recoup: generating {}: done, ", out)) == 1);
  CHECK(lines.err.find("gen-ledger: wrote") != std::string::npos);  // the summary still follows
  CHECK(quiet.err.empty());
  CHECK(lines.out.empty());
}

}  // namespace
}  // namespace recoup::driver
