#include "tools/recoup/progress.h"
#include "tools/recoup/driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace recoup::driver {
namespace {

constexpr int kBarWidth = 24;
constexpr std::size_t kBarTaskWidth = 40;

// 1234567 -> "1,234,567".
std::string Grouped(std::uint64_t value) {
  std::string digits = fmt::format("{}", value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

}  // namespace

ProgressStyle ChooseProgressStyle(bool quiet, bool terminal) {
  if (quiet) return ProgressStyle::None;
  return terminal ? ProgressStyle::Bar : ProgressStyle::Lines;
}

ProgressSettings ProgressSettingsFor(const Environment& environment, bool quiet) {
  ProgressSettings settings = environment.progress;
  settings.style = ChooseProgressStyle(quiet, environment.err_is_terminal);
  return settings;
}

Progress::Progress(std::ostream& err, ProgressSettings settings) : err_(err), settings_(std::move(settings)) {}

Progress::~Progress() { Finish(); }

std::chrono::steady_clock::time_point Progress::Now() const {
  return settings_.clock ? settings_.clock() : std::chrono::steady_clock::now();
}

std::string Progress::Clock(std::int64_t seconds) {
  seconds = std::max<std::int64_t>(0, seconds);
  if (seconds >= 3600) return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

void Progress::Start(std::string task, std::uint64_t total, std::string unit) {
  Finish();
  if (settings_.style == ProgressStyle::None) return;
  task_ = std::move(task);
  unit_ = std::move(unit);
  total_ = total;
  done_ = 0;
  active_ = true;
  shown_ = false;
  started_ = Now();
  next_ = started_ + (settings_.style == ProgressStyle::Lines ? settings_.line_interval : settings_.bar_interval);
}

// "12,345 of 40,000 subjects (30%), 8,100 subjects/s, about 0:04 left".
std::string Progress::Describe(std::uint64_t done, double seconds) const {
  std::string text = fmt::format("{} of {} {}", Grouped(done), Grouped(total_), unit_);
  if (total_ > 0) text += fmt::format(" ({}%)", done * 100 / total_);
  if (seconds > 0 && done > 0) {
    double rate = done / seconds;
    text += fmt::format(", {} {}/s", Grouped(static_cast<std::uint64_t>(std::llround(rate))), unit_);
    if (done < total_) {
      text += fmt::format(", about {} left", Clock(std::llround((total_ - done) / rate)));
    }
  }
  return text;
}

void Progress::DrawBar(std::uint64_t done, double seconds) {
  int filled = total_ == 0 ? kBarWidth : static_cast<int>(done * kBarWidth / std::max<std::uint64_t>(total_, 1));
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kBarWidth, '-');
  // \r and erase-to-end-of-line: the bar is redrawn in place, so it must
  // fit on one line of a terminal; a long task name keeps its end.
  std::string task = task_.size() > kBarTaskWidth ? "..." + task_.substr(task_.size() - (kBarTaskWidth - 3)) : task_;
  err_ << fmt::format("\r\x1b[K{} [{}] {}", task, bar, Describe(done, seconds)) << std::flush;
  shown_ = true;
}

void Progress::Update(std::uint64_t done) {
  if (!active_) return;
  done_ = std::min(std::max(done, done_), std::max(total_, done));
  std::chrono::steady_clock::time_point now = Now();
  if (now < next_) return;
  double seconds = std::chrono::duration<double>(now - started_).count();
  if (settings_.style == ProgressStyle::Bar) {
    DrawBar(done_, seconds);
    next_ = now + settings_.bar_interval;
  } else {
    err_ << fmt::format("recoup: {}: {}\n", task_, Describe(done_, seconds)) << std::flush;
    shown_ = true;
    next_ = now + settings_.line_interval;
  }
}

void Progress::Finish() {
  if (!active_) return;
  active_ = false;
  if (!shown_) return;
  if (settings_.style == ProgressStyle::Bar) {
    err_ << "\r\x1b[K" << std::flush;
    return;
  }
  double seconds = std::chrono::duration<double>(Now() - started_).count();
  err_ << fmt::format("recoup: {}: done, {} {} in {}\n", task_, Grouped(done_), unit_,
                      Clock(std::llround(seconds)))
       << std::flush;
}

}  // namespace recoup::driver
