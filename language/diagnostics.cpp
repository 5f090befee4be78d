// The diagnostic registry, the list every phase reports into, and the
// "did you mean" search. Rendering lives in diagnostics_render.cpp.
#include "language/diagnostics.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace recoup::language {
namespace {

constexpr DiagnosticKindInfo kKinds[] = {
#define RECOUP_DIAGNOSTIC(Name, Code, SeverityName, Summary) \
  {DiagnosticKind::Name, #Name, Code, Severity::SeverityName, Summary},
#include "language/diagnostic_kinds.def"
#undef RECOUP_DIAGNOSTIC
};

// Ordering key: where, then what, then everything else, so that the order
// never depends on the order in which phases reported.
bool NoteLess(const DiagnosticNote& a, const DiagnosticNote& b) {
  return std::tie(a.range.file, a.range.begin, a.range.end, a.message) <
         std::tie(b.range.file, b.range.begin, b.range.end, b.message);
}

bool NotesEqual(const DiagnosticNote& a, const DiagnosticNote& b) {
  return a.range.file == b.range.file && a.range.begin == b.range.begin && a.range.end == b.range.end &&
         a.message == b.message;
}

bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b) {
  auto key = [](const Diagnostic& d) {
    return std::make_tuple(d.range.file, d.range.begin, d.range.end, InfoOf(d.kind).code,
                           std::string_view(d.message), std::string_view(d.help));
  };
  if (key(a) != key(b)) return key(a) < key(b);
  return std::lexicographical_compare(a.notes.begin(), a.notes.end(), b.notes.begin(), b.notes.end(), NoteLess);
}

bool DiagnosticsEqual(const Diagnostic& a, const Diagnostic& b) {
  return a.kind == b.kind && a.range.file == b.range.file && a.range.begin == b.range.begin &&
         a.range.end == b.range.end && a.message == b.message && a.help == b.help &&
         std::equal(a.notes.begin(), a.notes.end(), b.notes.begin(), b.notes.end(), NotesEqual);
}

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of two neighbouring characters each cost one.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  const std::size_t columns = b.size() + 1;
  std::vector<std::size_t> previous2(columns), previous(columns), current(columns);
  for (std::size_t j = 0; j < columns; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j < columns; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], previous2[j - 2] + 1);
      }
    }
    std::swap(previous2, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

const DiagnosticKindInfo& InfoOf(DiagnosticKind kind) {
  return kKinds[static_cast<std::size_t>(kind)];
}

const std::vector<DiagnosticKindInfo>& AllDiagnosticKinds() {
  static const std::vector<DiagnosticKindInfo> kinds = [] {
    std::vector<DiagnosticKindInfo> sorted(std::begin(kKinds), std::end(kKinds));
    std::sort(sorted.begin(), sorted.end(),
              [](const DiagnosticKindInfo& a, const DiagnosticKindInfo& b) { return a.code < b.code; });
    return sorted;
  }();
  return kinds;
}

Diagnostic& DiagnosticList::Report(DiagnosticKind kind, SourceRange range, std::string message) {
  diagnostics_.push_back(Diagnostic{kind, range, std::move(message), {}, {}});
  return diagnostics_.back();
}

bool DiagnosticList::HasErrors() const { return ErrorCount() > 0; }

std::size_t DiagnosticList::ErrorCount() const {
  return static_cast<std::size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& d) {
    return d.severity() == Severity::Error;
  }));
}

std::size_t DiagnosticList::WarningCount() const {
  return static_cast<std::size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& d) {
    return d.severity() == Severity::Warning;
  }));
}

void DiagnosticList::SortAndDeduplicate() {
  // Notes keep the order they were added in: it is part of the message.
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), DiagnosticLess);
  diagnostics_.erase(std::unique(diagnostics_.begin(), diagnostics_.end(), DiagnosticsEqual), diagnostics_.end());
}

void DiagnosticList::Append(const DiagnosticList& other) {
  diagnostics_.insert(diagnostics_.end(), other.diagnostics_.begin(), other.diagnostics_.end());
}

std::string ClosestName(std::string_view name, const std::vector<std::string>& candidates) {
  if (name.size() > kMaxSuggestedNameLength) return std::string();
  const std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate.empty() || candidate == name) continue;
    std::size_t length_gap = candidate.size() > name.size() ? candidate.size() - name.size()
                                                            : name.size() - candidate.size();
    if (length_gap > limit) continue;
    std::size_t distance = EditDistance(name, candidate);
    if (distance < best_distance || (distance == best_distance && best && candidate < *best)) {
      best = &candidate;
      best_distance = distance;
    }
  }
  return best ? *best : std::string();
}

}  // namespace recoup::language
