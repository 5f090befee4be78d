// A small JSON reader for the files Recoup reads back (payment models,
// priors, ground truth): values with their line and column, so a hand-
// edited model with a mistake gets an error that says where. Objects keep
// their keys in file order; numbers are doubles (no money passes here).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace recoup::runtime {

struct JsonValue {
  enum class Kind : std::uint8_t { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<JsonValue> items;                            // Array
  std::vector<std::pair<std::string, JsonValue>> members;  // Object, in file order
  std::uint32_t line = 1, column = 1;                      // where the value starts

  // Declared here and defaulted in json.cpp: clang 14 (the fuzz build)
  // otherwise instantiates the destructor of `members` while JsonValue is
  // still incomplete.
  JsonValue();
  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  // The member named `key`, or null when absent or not an object.
  const JsonValue* Find(std::string_view key) const;
  bool IsNumber() const { return kind == Kind::Number; }
  bool IsString() const { return kind == Kind::String; }
  bool IsObject() const { return kind == Kind::Object; }
  bool IsArray() const { return kind == Kind::Array; }
  bool IsNull() const { return kind == Kind::Null; }
};

struct JsonParseResult {
  std::optional<JsonValue> value;
  std::string error;  // "line:column: what was expected", when value is empty
};

// Parses one JSON document (RFC 8259; nesting at most 64 deep).
JsonParseResult ParseJson(std::string_view text);

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace recoup::runtime
