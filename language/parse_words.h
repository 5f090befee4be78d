// Word-level helpers shared by the grammar and its actions: reserved words,
// identifiers, and turning literal text into exact values. Internal to the
// parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "language/syntax_tree.h"

namespace recoup::language {

// Length of the identifier ([A-Za-z_][A-Za-z0-9_]*) starting at `begin`, 0 if none.
std::size_t IdentifierLength(const char* begin, const char* end);

// True for the words the language keeps for itself (docs/language.md).
bool IsReservedWord(std::string_view word);

// "12.50" -> {1250, 2}; nothing when it does not fit exactly (E0005).
std::optional<Decimal> ParseDecimalLiteral(std::string_view text);

// True when the date names a real day of the proleptic Gregorian calendar.
bool IsValidDate(const DateLiteral& date);
// The closest existing day (month clamped to 1..12, day to the month's
// length), used after reporting an invalid date so nothing downstream sees one.
DateLiteral NearestValidDate(DateLiteral date);

// The characters of a quoted text (without the quotes), escapes decoded.
// The grammar has already rejected unknown escapes.
std::string DecodeText(std::string_view body);

// "money" -> TypeName::Money; nothing for a word that is not a type.
std::optional<TypeName> TypeNameFromWord(std::string_view word);

// "mon" or "monday" -> Weekday::Monday; nothing otherwise.
std::optional<Weekday> WeekdayFromWord(std::string_view word);

}  // namespace recoup::language

namespace recoup::language {

// "+", "and", "of"...: an operator as written in source.
const char* BinaryOperatorSpelling(BinaryOperator op);

}  // namespace recoup::language
