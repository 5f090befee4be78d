// Progress of a long run (simulate, compare, gen-ledger, fit) on standard
// error, never on standard output, so results piped or written with --out
// are the same bytes with or without it (docs/reports.md, "Progress").
//
//   Progress progress(environment.err, ProgressSettingsFor(environment, quiet));
//   progress.Start("replaying policy.recoup", subjects, "subjects");
//   ...  progress.Update(done);   // from one thread, as often as you like
//   progress.Finish();
//
// Three styles: a bar redrawn in place with rate and time left when standard
// error is a terminal; a plain line every few seconds when it is not (a log
// file, CI), none at all for a run shorter than one interval; nothing with
// --quiet. Update() only reads the clock and compares, so calling it every
// block of work costs nothing measurable. Not thread-safe: work on several
// threads counts into an atomic and one thread calls Update (see
// simulation::ReplayOptions::progress).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace recoup::driver {

enum class ProgressStyle { None, Bar, Lines };

// How progress is shown; the clock and intervals are injectable for tests.
struct ProgressSettings {
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  ProgressStyle style = ProgressStyle::None;
  // Lines: the first line after one interval, then one per interval.
  std::chrono::milliseconds line_interval{5000};
  // Bar: redrawn at most this often.
  std::chrono::milliseconds bar_interval{100};
  Clock clock;  // empty: std::chrono::steady_clock::now
};

// --quiet: None; a terminal: Bar; anything else: Lines.
ProgressStyle ChooseProgressStyle(bool quiet, bool terminal);

class Progress {
 public:
  Progress(std::ostream& err, ProgressSettings settings);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Begins a task of `total` units ("subjects", "invoices"); finishes the
  // previous one first.
  void Start(std::string task, std::uint64_t total, std::string unit);
  // The total, when it is known only once the task has begun.
  void SetTotal(std::uint64_t total) { total_ = total; }
  // `done` units of the current task are finished (never decreasing).
  void Update(std::uint64_t done);
  // Ends the current task: clears the bar, or prints a last line when any
  // line was printed for it. Called by Start and the destructor too.
  void Finish();

  // "0:04", "1:02:03": a duration in whole seconds for people.
  static std::string Clock(std::int64_t seconds);

 private:
  std::chrono::steady_clock::time_point Now() const;
  std::string Describe(std::uint64_t done, double seconds) const;
  void DrawBar(std::uint64_t done, double seconds);

  std::ostream& err_;
  ProgressSettings settings_;
  bool active_ = false;
  bool shown_ = false;  // a line or a bar was printed for this task
  std::string task_, unit_;
  std::uint64_t total_ = 0, done_ = 0;
  std::chrono::steady_clock::time_point started_, next_;
};

}  // namespace recoup::driver
