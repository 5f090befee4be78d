#include "tests/golden/golden_file.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <sstream>

namespace recoup::golden {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kRunPrefix = "# RUN:";
constexpr std::string_view kCodesPrefix = "# CODES:";
constexpr std::string_view kOutPrefix = "# OUT:";
constexpr std::string_view kExitPrefix = "# EXIT:";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

// Where the marker line starts, or npos.
std::size_t FindMarker(std::string_view bytes) {
  std::size_t position = 0;
  while ((position = bytes.find(kExpectedMarker, position)) != std::string_view::npos) {
    bool at_line_start = position == 0 || bytes[position - 1] == '\n' ||
                         (position == kByteOrderMark.size() && StartsWith(bytes, kByteOrderMark));
    if (at_line_start) return position;
    position += kExpectedMarker.size();
  }
  return std::string_view::npos;
}

// Reads RUN and CODES from the comment lines at the top of the policy part.
void ParseHeader(GoldenFile& file) {
  std::string_view text = file.policy_part;
  if (StartsWith(text, kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  bool saw_run = false;
  for (const std::string& line : SplitLines(text)) {
    if (!line.empty() && line[0] != '#') break;
    std::string_view view = line;
    if (StartsWith(view, kRunPrefix)) {
      if (saw_run) file.format_errors.push_back("more than one `# RUN:` line");
      saw_run = true;
      file.arguments.clear();
      for (std::string& word : SplitWords(view.substr(kRunPrefix.size()))) {
        file.arguments.push_back(word == "%s" ? file.path : word);
      }
    } else if (StartsWith(view, kCodesPrefix)) {
      if (file.codes) file.format_errors.push_back("more than one `# CODES:` line");
      file.codes = SplitWords(view.substr(kCodesPrefix.size()));
    }
  }
  if (!saw_run) file.arguments = {"check", file.path};
}

void ParseExpectedBlock(GoldenFile& file, std::string_view block) {
  std::vector<std::string> lines = SplitLines(block);
  for (std::size_t i = 1; i < lines.size(); ++i) {  // line 0 is the marker itself
    std::string_view line = lines[i];
    if (StartsWith(line, kOutPrefix)) {
      line.remove_prefix(kOutPrefix.size());
      if (StartsWith(line, " ")) line.remove_prefix(1);
      file.expected_output.emplace_back(line);
    } else if (StartsWith(line, kExitPrefix)) {
      std::string_view number = line.substr(kExitPrefix.size());
      while (StartsWith(number, " ")) number.remove_prefix(1);
      int status = 0;
      auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), status);
      if (error != std::errc() || end != number.data() + number.size()) {
        file.format_errors.push_back("`# EXIT:` is not followed by a number: " + std::string(lines[i]));
      } else {
        file.expected_exit = status;
      }
    } else if (!line.empty()) {
      file.format_errors.push_back("unexpected line in the expected block: " + std::string(line));
    }
  }
}

}  // namespace

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

GoldenFile ParseGoldenFile(std::string path, std::string_view bytes) {
  GoldenFile file;
  file.path = std::move(path);
  std::size_t marker = FindMarker(bytes);
  file.has_marker = marker != std::string_view::npos;
  file.policy_part = std::string(bytes.substr(0, file.has_marker ? marker : bytes.size()));
  if (file.policy_part.find("\r\n") != std::string::npos) file.line_ending = "\r\n";
  ParseHeader(file);
  if (file.has_marker) ParseExpectedBlock(file, bytes.substr(marker));
  return file;
}

std::string RewriteGoldenFile(const GoldenFile& file, std::string_view output, int exit_status) {
  std::string text = file.policy_part;
  if (!text.empty() && text.back() != '\n') text += file.line_ending;
  text += kExpectedMarker;
  text += file.line_ending;
  for (const std::string& line : SplitLines(output)) {
    text += line.empty() ? std::string(kOutPrefix) : std::string(kOutPrefix) + " " + line;
    text += file.line_ending;
  }
  text += std::string(kExitPrefix) + " " + std::to_string(exit_status) + file.line_ending;
  return text;
}

Expectation ExpectationFromName(std::string_view path) {
  std::string_view name = path.substr(path.find_last_of('/') + 1);
  if (StartsWith(name, "fail_")) return Expectation::Errors;
  if (StartsWith(name, "warn_")) return Expectation::WarningsOnly;
  return Expectation::Clean;
}

std::vector<std::string> CodesIn(std::string_view output) {
  static const std::regex kTextCode(R"((error|warning)\[([EW]\d{4})\])");
  static const std::regex kJsonCode(R"re("code"\s*:\s*"([EW]\d{4})")re");
  // GitHub annotations (`title=E0102 ...`) and SARIF results (`"ruleId":"E0102"`).
  static const std::regex kGithubCode(R"(::(error|warning) file=[^\n]*?title=([EW]\d{4}) )");
  static const std::regex kSarifCode(R"re("ruleId":"([EW]\d{4})")re");
  std::vector<std::string> codes;
  std::string text(output);
  const std::regex* pattern = &kTextCode;
  int group = 2;
  if (std::regex_search(text, kJsonCode)) {
    pattern = &kJsonCode, group = 1;
  } else if (std::regex_search(text, kSarifCode)) {
    pattern = &kSarifCode, group = 1;
  } else if (std::regex_search(text, kGithubCode)) {
    pattern = &kGithubCode, group = 2;
  }
  for (auto it = std::sregex_iterator(text.begin(), text.end(), *pattern); it != std::sregex_iterator(); ++it) {
    codes.push_back((*it)[group].str());
  }
  return codes;
}

std::string FirstDifference(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  std::size_t common = std::min(expected.size(), actual.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (expected[i] != actual[i]) {
      return "output line " + std::to_string(i + 1) + " differs\n  expected: " + expected[i] +
             "\n  actual:   " + actual[i];
    }
  }
  if (expected.size() == actual.size()) return "";
  if (expected.size() > actual.size()) {
    return "output ends early; line " + std::to_string(common + 1) + " expected: " + expected[common];
  }
  return "output has more lines than expected; line " + std::to_string(common + 1) + " is: " + actual[common];
}

}  // namespace recoup::golden
