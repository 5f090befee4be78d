#include "language/parse_words.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <vector>

namespace recoup::language {
namespace {

bool IsIdentifierFirst(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsIdentifierOther(char c) { return IsIdentifierFirst(c) || (c >= '0' && c <= '9'); }

// Sorted, so IsReservedWord can search it.
constexpr std::string_view kReservedWords[] = {
    "after",   "agency",   "amount",  "and",      "applies",   "as",          "at",       "attribute",
    "balance", "before",   "calendar", "call",    "const",   "contingency", "continue",  "costs",    "credit",
    "currency", "customer", "defer",  "dispute",  "due",       "email",       "end",      "every",
    "expect",  "false",    "fee",     "fees",     "fired",    "for",       "from",        "hold",     "holiday",
    "horizon", "if",       "import",  "in",       "interest",  "invoice",     "issue",    "issued",
    "legal",   "letter",   "max",     "min",      "month",     "never",       "not",      "notice",
    "of",      "off",      "on",      "or",       "owner",     "paid",        "pause",    "payment",
    "payments", "per",     "policy",   "principal", "promise", "queue",    "release",   "resume",      "service",  "settle",   "skip",
    "sms",     "stop",     "subject", "suspend",  "task",      "template",    "test",     "times",
    "to",      "today",    "true",    "unless",   "until",     "use",         "version",  "weekend",
    "when",    "with",     "write",   "year",
};

}  // namespace

std::size_t IdentifierLength(const char* begin, const char* end) {
  if (begin == end || !IsIdentifierFirst(*begin)) return 0;
  const char* cursor = begin + 1;
  while (cursor != end && IsIdentifierOther(*cursor)) ++cursor;
  return static_cast<std::size_t>(cursor - begin);
}

bool IsReservedWord(std::string_view word) {
  static const auto sorted = [] {
    std::vector<std::string_view> words(std::begin(kReservedWords), std::end(kReservedWords));
    std::sort(words.begin(), words.end());
    return words;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), word);
}

std::optional<Decimal> ParseDecimalLiteral(std::string_view text) {
  constexpr std::int64_t kMax = INT64_MAX;
  std::int64_t digits = 0;
  int scale = 0;
  bool after_point = false;
  for (char c : text) {
    if (c == '.') {
      after_point = true;
      continue;
    }
    int digit = c - '0';
    if (digits > (kMax - digit) / 10) return std::nullopt;
    digits = digits * 10 + digit;
    if (after_point) ++scale;
  }
  // Trailing zeros may be dropped to fit the scale limit of 18 decimals.
  while (scale > 18 && digits % 10 == 0) {
    digits /= 10;
    --scale;
  }
  if (scale > 18) return std::nullopt;
  return Decimal{digits, static_cast<std::uint8_t>(scale)};
}

bool IsValidDate(const DateLiteral& date) {
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int days = kDays[date.month - 1];
  bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  if (date.month == 2 && leap) days = 29;
  return date.day <= days;
}

DateLiteral NearestValidDate(DateLiteral date) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  date.year = std::max(date.year, 1);
  date.month = static_cast<std::uint8_t>(std::clamp<int>(date.month, 1, 12));
  int days = kDays[date.month - 1];
  bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  if (date.month == 2 && leap) days = 29;
  date.day = static_cast<std::uint8_t>(std::clamp<int>(date.day, 1, days));
  return date;
}

std::string DecodeText(std::string_view body) {
  std::string text;
  text.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      char code = body[++i];
      text.push_back(code == 'n' ? '\n' : code == 't' ? '\t' : code);
    } else {
      text.push_back(c);
    }
  }
  return text;
}

std::optional<TypeName> TypeNameFromWord(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, TypeName>, 9> kTypes = {{
      {"money", TypeName::Money},
      {"percent", TypeName::Percent},
      {"rate", TypeName::Rate},
      {"duration", TypeName::Duration},
      {"date", TypeName::Date},
      {"count", TypeName::Count},
      {"number", TypeName::Number},
      {"bool", TypeName::Bool},
      {"text", TypeName::Text},
  }};
  for (const auto& [spelling, type] : kTypes) {
    if (spelling == word) return type;
  }
  return std::nullopt;
}

std::optional<Weekday> WeekdayFromWord(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kDays = {{
      {"mon", "monday"},
      {"tue", "tuesday"},
      {"wed", "wednesday"},
      {"thu", "thursday"},
      {"fri", "friday"},
      {"sat", "saturday"},
      {"sun", "sunday"},
  }};
  for (std::size_t i = 0; i < kDays.size(); ++i) {
    if (word == kDays[i].first || word == kDays[i].second) return static_cast<Weekday>(i);
  }
  return std::nullopt;
}

}  // namespace recoup::language

namespace recoup::language {

const char* BinaryOperatorSpelling(BinaryOperator op) {
  switch (op) {
    case BinaryOperator::Or: return "or";
    case BinaryOperator::And: return "and";
    case BinaryOperator::Equal: return "==";
    case BinaryOperator::NotEqual: return "!=";
    case BinaryOperator::Less: return "<";
    case BinaryOperator::LessEqual: return "<=";
    case BinaryOperator::Greater: return ">";
    case BinaryOperator::GreaterEqual: return ">=";
    case BinaryOperator::Add: return "+";
    case BinaryOperator::Subtract: return "-";
    case BinaryOperator::Multiply: return "*";
    case BinaryOperator::Divide: return "/";
    case BinaryOperator::Of: return "of";
  }
  return "?";
}

}  // namespace recoup::language
