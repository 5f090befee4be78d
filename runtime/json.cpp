// A recursive-descent JSON reader with positions (json.h).
#include "runtime/json.h"

#include <fmt/format.h>

#include <cstdlib>

namespace recoup::runtime {

JsonValue::JsonValue() = default;
JsonValue::JsonValue(const JsonValue&) = default;
JsonValue::JsonValue(JsonValue&&) noexcept = default;
JsonValue& JsonValue::operator=(const JsonValue&) = default;
JsonValue& JsonValue::operator=(JsonValue&&) noexcept = default;
JsonValue::~JsonValue() = default;

namespace {

constexpr int kMaxDepth = 64;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  JsonParseResult Document() {
    JsonParseResult result;
    JsonValue value;
    SkipSpace();
    if (!Value(value, 0)) {
      result.error = error_;
      return result;
    }
    SkipSpace();
    if (at_ < text_.size()) {
      result.error = Where("text after the end of the JSON document");
      return result;
    }
    result.value = std::move(value);
    return result;
  }

 private:
  std::string Where(std::string_view what) const { return fmt::format("{}:{}: {}", line_, column_, what); }
  bool Fail(std::string_view what) {
    if (error_.empty()) error_ = Where(what);
    return false;
  }
  char Peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void Advance() {
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(text_[at_]) & 0xC0) != 0x80) {
      ++column_;
    }
    ++at_;
  }
  void SkipSpace() {
    while (at_ < text_.size() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) Advance();
  }
  bool Literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return Fail("expected a JSON value");
    for (std::size_t i = 0; i < word.size(); ++i) Advance();
    return true;
  }

  bool Value(JsonValue& value, int depth) {
    if (depth > kMaxDepth) return Fail("nested more than 64 deep");
    value.line = line_;
    value.column = column_;
    switch (Peek()) {
      case '{': return Object(value, depth);
      case '[': return Array(value, depth);
      case '"': value.kind = JsonValue::Kind::String; return String(value.text);
      case 't': value.kind = JsonValue::Kind::Bool; value.boolean = true; return Literal("true");
      case 'f': value.kind = JsonValue::Kind::Bool; return Literal("false");
      case 'n': return Literal("null");
      default: return Number(value);
    }
  }

  bool Number(JsonValue& value) {
    const std::size_t begin = at_;
    if (Peek() == '-') Advance();
    if (!(Peek() >= '0' && Peek() <= '9')) return Fail("expected a JSON value (a number, string, array, object, true, false or null)");
    while ((Peek() >= '0' && Peek() <= '9') || Peek() == '.' || Peek() == 'e' || Peek() == 'E' || Peek() == '+' ||
           Peek() == '-') {
      Advance();
    }
    const std::string digits(text_.substr(begin, at_ - begin));
    char* end = nullptr;
    value.number = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) return Fail(fmt::format("`{}` is not a number", digits));
    value.kind = JsonValue::Kind::Number;
    return true;
  }

  bool String(std::string& out) {
    Advance();  // opening quote
    while (at_ < text_.size()) {
      const char c = Peek();
      if (c == '"') {
        Advance();
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("a control character inside a string");
      if (c != '\\') {
        out += c;
        Advance();
        continue;
      }
      Advance();
      const char escape = Peek();
      if (at_ >= text_.size()) break;
      Advance();
      switch (escape) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (at_ + 4 > text_.size()) return Fail("a \\u escape needs four hex digits");
          unsigned code = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = Peek();
            const int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (digit < 0) return Fail("a \\u escape needs four hex digits");
            code = code * 16 + static_cast<unsigned>(digit);
            Advance();
          }
          if (code < 0x80) {
            out += static_cast<char>(code);
          } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
          }
          break;
        }
        default: return Fail("an unknown escape in a string");
      }
    }
    return Fail("a string is never closed");
  }

  bool Array(JsonValue& value, int depth) {
    value.kind = JsonValue::Kind::Array;
    Advance();
    SkipSpace();
    if (Peek() == ']') {
      Advance();
      return true;
    }
    for (;;) {
      JsonValue item;
      SkipSpace();
      if (!Value(item, depth + 1)) return false;
      value.items.push_back(std::move(item));
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == ']') {
        Advance();
        return true;
      }
      return Fail("expected `,` or `]` in an array");
    }
  }

  bool Object(JsonValue& value, int depth) {
    value.kind = JsonValue::Kind::Object;
    Advance();
    SkipSpace();
    if (Peek() == '}') {
      Advance();
      return true;
    }
    for (;;) {
      SkipSpace();
      if (Peek() != '"') return Fail("expected a member name in double quotes");
      std::string key;
      if (!String(key)) return false;
      SkipSpace();
      if (Peek() != ':') return Fail("expected `:` after a member name");
      Advance();
      SkipSpace();
      JsonValue member;
      if (!Value(member, depth + 1)) return false;
      value.members.emplace_back(std::move(key), std::move(member));
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        continue;
      }
      if (Peek() == '}') {
        Advance();
        return true;
      }
      return Fail("expected `,` or `}` in an object");
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::uint32_t line_ = 1, column_ = 1;
  std::string error_;
};

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

JsonParseResult ParseJson(std::string_view text) { return Reader(text).Document(); }

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace recoup::runtime
